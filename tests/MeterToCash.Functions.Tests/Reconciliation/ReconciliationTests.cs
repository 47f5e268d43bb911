using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools.Reconciliation;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;
using static MeterToCash.Functions.Tests.Reconciliation.ReconKit;

namespace MeterToCash.Functions.Tests.Reconciliation;

/// <summary>
/// A bank day reconciled through HTTP against the real durable engine: payments through the bank API, the day closed, the
/// bank's file generated from the journal with planted differences, uploaded, decided, closed. Each test has its own
/// channel date of BANK-ICBC.
/// </summary>
[Collection(BackendCollection.Name)]
public class ReconciliationTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task DoneMeans_TwoPlantedDifferences_FoundDecidedDayClosedLedgerAndReportAgree()
    {
        DateOnly day = new(2026, 3, 2);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string postpaid = await CustomerAsync(Client), prepaid = await CustomerAsync(Client, "Prepaid");
        await PayAsync(bank, day, [postpaid, prepaid], [12_300, 4_500, 8_800, 20_000]);
        await CloseDayAsync(bank, day);

        // The bank's file: one of our payments dropped (bank-short), one payment only the bank has (bank-long).
        List<BankLine> lines = await BankLinesAsync(Client, day, new ReconPlants(Dropped: 1, Extra: 1));
        (HttpStatusCode status, JsonElement accepted) = await UploadAsync(Client, Csv(day, lines), csv: true);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(4, accepted.GetProperty("lines").GetInt32());
        Assert.Equal(1, accepted.GetProperty("version").GetInt32());

        JsonElement report = await WaitForStatusAsync(Client, day, "AwaitingDecisions");
        Assert.Equal((3, 1, 1, 2, 2), (Count(report, "Matched"), Count(report, "BankLong"), Count(report, "BankShort"), report.GetProperty("differenceCount").GetInt32(), report.GetProperty("openCount").GetInt32()));
        Assert.Equal(0, Count(report, "LedgerMissing"));
        JsonElement[] differences = Differences(report);
        JsonElement bankLong = Assert.Single(differences, d => d.GetProperty("class").GetString() == "BankLong");
        JsonElement bankShort = Assert.Single(differences, d => d.GetProperty("class").GetString() == "BankShort");
        BankLine extra = Assert.Single(lines, l => l.ChannelTxnId?.StartsWith("EXTRA-", StringComparison.Ordinal) == true);
        Assert.Equal(extra.BankRef, bankLong.GetProperty("bank").GetProperty("bankRef").GetString());
        string droppedTxn = bankShort.GetProperty("journal").GetProperty("channelTxnId").GetString()!;
        Assert.DoesNotContain(lines, l => l.ChannelTxnId == droppedTxn);
        string droppedAccount = bankShort.GetProperty("journal").GetProperty("accountNo").GetString()!;
        long droppedFen = bankShort.GetProperty("journal").GetProperty("amountFen").GetInt64();

        // Reverse is not a decision for a bank-long; the bank's account is unknown to us, so the operator names the customer.
        string longId = bankLong.GetProperty("itemId").GetString()!, shortId = bankShort.GetProperty("itemId").GetString()!;
        (status, JsonElement refused) = await DecideAsync(Client, day, longId, new { action = "reverse", @operator = "王会计" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "action-not-allowed"), (status, Rule(refused)));
        (status, refused) = await DecideAsync(Client, day, longId, new { action = "post", @operator = "王会计" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "account-not-found"), (status, Rule(refused)));

        (status, JsonElement posted) = await DecideAsync(Client, day, longId, new { action = "post", @operator = "王会计", note = "客户柜台缴费", accountNo = prepaid });
        Assert.Equal(HttpStatusCode.Accepted, status);
        (status, JsonElement postedAgain) = await DecideAsync(Client, day, longId, new { action = "post", @operator = "王会计", note = "客户柜台缴费", accountNo = prepaid });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(posted.GetProperty("ledgerEntryId").GetString(), postedAgain.GetProperty("ledgerEntryId").GetString());
        (status, refused) = await DecideAsync(Client, day, longId, new { action = "write-off", @operator = "李主管" });
        Assert.Equal((HttpStatusCode.Conflict, "decision-differs"), (status, Rule(refused)));
        (status, _) = await DecideAsync(Client, day, shortId, new { action = "reverse", @operator = "王会计", note = "银行未收到" });
        Assert.Equal(HttpStatusCode.Accepted, status);

        JsonElement closed = await WaitForStatusAsync(Client, day, "Reconciled");
        Assert.Equal(0, closed.GetProperty("openCount").GetInt32());
        Assert.True(closed.TryGetProperty("reconciledAt", out _));
        JsonElement[] decisions = [.. closed.GetProperty("decisions").EnumerateArray()];
        Assert.Equal(2, decisions.Length);
        Assert.All(decisions, d => Assert.Equal("Applied", d.GetProperty("status").GetString()));

        // The ledger agrees with the report: the bank-long payment posted once to the prepaid account (its top-up), the
        // bank-short payment reversed once, each under the entry id the report names.
        string postEntry = Assert.Single(decisions, d => d.GetProperty("action").GetString() == "post").GetProperty("ledgerEntryId").GetString()!;
        string reverseEntry = Assert.Single(decisions, d => d.GetProperty("action").GetString() == "reverse").GetProperty("ledgerEntryId").GetString()!;
        JsonElement[] prepaidLedger = await LedgerAsync(Client, prepaid);
        JsonElement topUp = Assert.Single(prepaidLedger, e => e.GetProperty("entryId").GetString() == postEntry);
        Assert.Equal(-extra.AmountFen, topUp.GetProperty("amountFen").GetInt64()); // a payment credits the account
        Assert.Contains("王会计", topUp.GetProperty("text").GetString(), StringComparison.Ordinal);
        JsonElement reversal = Assert.Single(await LedgerAsync(Client, droppedAccount), e => e.GetProperty("entryId").GetString() == reverseEntry);
        Assert.Equal("Reversal", reversal.GetProperty("kind").GetString());
        Assert.Equal(droppedFen, reversal.GetProperty("amountFen").GetInt64());

        // The summary for the day agrees with the report.
        JsonElement summary = JsonDocument.Parse(await Client.GetStringAsync($"api/reconciliation/summary?from={Day(day)}&to={Day(day)}&channelId={Channel}")).RootElement;
        JsonElement row = Assert.Single(summary.GetProperty("days").EnumerateArray());
        Assert.Equal(extra.AmountFen, row.GetProperty("bankLongFen").GetInt64());
        Assert.Equal(droppedFen, row.GetProperty("bankShortFen").GetInt64());
        Assert.Equal(lines.Where(l => l.ChannelTxnId?.StartsWith("EXTRA-", StringComparison.Ordinal) != true).Sum(l => l.AmountFen), row.GetProperty("matchedFen").GetInt64());
        Assert.Equal(0, summary.GetProperty("open").GetInt32());

        // The same report as CSV: a total row per class and a row per difference with its decision.
        using HttpRequestMessage csvRequest = new(HttpMethod.Get, $"api/reconciliation/{Channel}/{Day(day)}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using HttpResponseMessage csvResponse = await Client.SendAsync(csvRequest);
        string[] csv = (await csvResponse.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("record,channelId,channelDate,class,itemId", csv[0], StringComparison.Ordinal);
        Assert.Equal(Enum.GetValues<ReconClass>().Length, csv.Count(l => l.StartsWith("total,", StringComparison.Ordinal)));
        Assert.Contains(csv, l => l.StartsWith("difference,", StringComparison.Ordinal) && l.Contains(longId, StringComparison.Ordinal) && l.Contains(postEntry, StringComparison.Ordinal));

        // A rerun matches the same file again: the same items and totals, decisions kept, no second ledger entry.
        int prepaidEntries = prepaidLedger.Length;
        using HttpResponseMessage rerun = await Client.PostAsync($"api/reconciliation/{Channel}/{Day(day)}/rerun", null);
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        string before = closed.GetProperty("matchedAt").GetString()!;
        JsonElement again = await WaitForAsync(Client, day, r => r.GetProperty("matchedAt").GetString() != before && r.GetProperty("status").GetString() == "Reconciled", "rerun and reconciled");
        Assert.Equal(closed.GetProperty("totals").GetRawText(), again.GetProperty("totals").GetRawText());
        Assert.Equal(closed.GetProperty("differences").GetRawText(), again.GetProperty("differences").GetRawText());
        Assert.Equal(prepaidEntries, (await LedgerAsync(Client, prepaid)).Length);
        Assert.Single(await LedgerAsync(Client, droppedAccount), e => e.GetProperty("kind").GetString() == "Reversal");
    }

    [Fact]
    public async Task Camt053BeforeDayClose_WaitsForTheClose_SameBytesOneFile_SupersedingCsvReclassifies()
    {
        DateOnly day = new(2026, 3, 3);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(Client);
        await PayAsync(bank, day, [account], [5_000, 6_000, 7_000]);

        // A statement with one of our payments missing, sent before the day is closed: stored, not yet matched.
        List<BankLine> short1 = await BankLinesAsync(Client, day, new ReconPlants(Dropped: 1));
        byte[] camt = Camt053(day, short1);
        Assert.Contains("TxsSummry", System.Text.Encoding.UTF8.GetString(camt), StringComparison.Ordinal);
        (HttpStatusCode status, JsonElement first) = await UploadAsync(Client, camt, csv: false, day);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("AwaitingDayClose", first.GetProperty("status").GetString());
        (status, JsonElement repeat) = await UploadAsync(Client, camt, csv: false, day);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first.GetProperty("fileId").GetString(), repeat.GetProperty("fileId").GetString());
        Assert.Equal(1, repeat.GetProperty("version").GetInt32());

        // The day closes; the scan starts the reconciliation.
        await CloseDayAsync(bank, day);
        await Billing.BillingApi.FireTimerAsync(admin, "StartPendingReconciliations");
        JsonElement report = await WaitForStatusAsync(Client, day, "AwaitingDecisions");
        Assert.Equal((2, 1), (Count(report, "Matched"), Count(report, "BankShort")));
        Assert.Equal("xml", report.GetProperty("format").GetString());

        // The bank sends a corrected file for the same day: version 2 supersedes the statement, and nothing is different any more.
        List<BankLine> complete = await BankLinesAsync(Client, day, new ReconPlants());
        (status, JsonElement second) = await UploadAsync(Client, Csv(day, complete), csv: true);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal((2, first.GetProperty("fileId").GetString()), (second.GetProperty("version").GetInt32(), second.GetProperty("supersedes").GetString()));
        JsonElement reclassified = await WaitForAsync(Client, day, r => r.GetProperty("matchedFileId").GetString() == second.GetProperty("fileId").GetString() && r.GetProperty("status").GetString() == "Reconciled", "reclassified");
        Assert.Equal((3, 0, 0), (Count(reclassified, "Matched"), Count(reclassified, "BankShort"), reclassified.GetProperty("differenceCount").GetInt32()));
    }

    [Fact]
    public async Task StartPendingReconciliations_FileBeforeDayClose_IndexedUntilMatchedThenStartedByTheSweepAndIndexEmptied()
    {
        DateOnly day = new(2026, 3, 7);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(Client);
        await PayAsync(bank, day, [account], [1_100, 2_200]);
        TableClient days = new(backend.StorageConnectionString, "ReconDays");
        string indexKey = $"pending|{Day(day)}|{Channel}";

        // The file comes before the day closes: the day is pending, and so listed in the index the sweep reads.
        (HttpStatusCode status, _) = await UploadAsync(Client, Csv(day, await BankLinesAsync(Client, day, new ReconPlants())), csv: true);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True((await ReportAsync(Client, day)).GetProperty("pending").GetBoolean());
        Assert.True((await days.GetEntityIfExistsAsync<TableEntity>("days", indexKey)).HasValue);

        // The day closes; the sweep starts the match, and the match takes the day out of the index.
        await CloseDayAsync(bank, day);
        await Billing.BillingApi.FireTimerAsync(admin, "StartPendingReconciliations");
        JsonElement report = await WaitForStatusAsync(Client, day, "Reconciled");
        Assert.Equal(2, Count(report, "Matched"));
        Assert.False((await days.GetEntityIfExistsAsync<TableEntity>("days", indexKey)).HasValue);

        // A superseding file of the closed day is indexed with its claim and out again once matched.
        (status, JsonElement second) = await UploadAsync(Client, Csv(day, await BankLinesAsync(Client, day, new ReconPlants(Extra: 1))), csv: true);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await WaitForAsync(Client, day, r => r.GetProperty("matchedFileId").GetString() == second.GetProperty("fileId").GetString() && !r.GetProperty("pending").GetBoolean(), "matched again");
        Assert.False((await days.GetEntityIfExistsAsync<TableEntity>("days", indexKey)).HasValue);
    }

    [Fact]
    public async Task LedgerMissing_JournalEntryWithoutLedgerEntry_ClassifiedAndCriticalAlarmAtOnce()
    {
        DateOnly day = new(2026, 3, 4);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(Client);
        await PayAsync(bank, day, [account], [3_000]);

        // Fault injection: a journal line whose ledger entry was never written (the payment feature never leaves one at rest).
        TableClient journal = new(backend.StorageConnectionString, "ChannelJournal");
        string paidAt = new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.FromHours(8)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await journal.UpsertEntityAsync(new TableEntity($"{Channel}|{Day(day)}", "GHOST-1|P")
        {
            ["Type"] = "Payment", ["Key"] = "GHOST-1", ["PaymentId"] = "GHOST-1", ["AccountNo"] = account, ["AmountFen"] = 777L,
            ["PaidAt"] = paidAt, ["PostedAt"] = paidAt, ["LedgerSequence"] = 99L, ["EntryId"] = $"pay:{Channel}:GHOST-1",
        });
        await CloseDayAsync(bank, day);

        (HttpStatusCode status, _) = await UploadAsync(Client, Csv(day, await BankLinesAsync(Client, day, new ReconPlants())), csv: true);
        Assert.Equal(HttpStatusCode.Accepted, status);
        JsonElement report = await WaitForStatusAsync(Client, day, "AwaitingDecisions");
        Assert.Equal((1, 1), (Count(report, "Matched"), Count(report, "LedgerMissing")));
        Assert.Equal("j-P-GHOST-1", Assert.Single(Differences(report)).GetProperty("itemId").GetString());

        JsonElement alarm = Assert.Single(await Monitoring.MonitoringSweepTests.AlarmsAsync(Client, Channel, "ReconciliationLedgerMissing"));
        Assert.Equal((Day(day), "Critical", "Finance", "Open"), (alarm.GetProperty("subject").GetString(), alarm.GetProperty("severity").GetString(), alarm.GetProperty("department").GetString(), alarm.GetProperty("state").GetString()));

        // Explained by an operator, the day closes.
        (status, _) = await DecideAsync(Client, day, "j-P-GHOST-1", new { action = "explain", @operator = "运维值班", note = "injected by the test" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        await WaitForStatusAsync(Client, day, "Reconciled");
    }

    [Fact]
    public async Task BlobDrop_CamtUnderChannelDayPath_TakenAsItsUploadWouldBe_BadFileSetAsideWithReason()
    {
        DateOnly day = new(2026, 3, 6);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(Client);
        await PayAsync(bank, day, [account], [2_500, 3_500]);
        await CloseDayAsync(bank, day);
        byte[] camt = ReconFileWriter.Camt(ReconFileFormat.Camt054, "6222000011112222", day, await BankLinesAsync(Client, day, new ReconPlants(Extra: 1)));

        Azure.Storage.Blobs.BlobContainerClient drop = new(backend.StorageConnectionString, "recon-drop");
        await drop.CreateIfNotExistsAsync();
        await drop.UploadBlobAsync($"{Channel}/{Day(day)}/icbc-notification.xml", BinaryData.FromBytes(camt));
        await drop.UploadBlobAsync($"{Channel}/{Day(day)}/statement.xml", BinaryData.FromString("<Document><BkToCstmrStmt>"));
        await Billing.BillingApi.FireTimerAsync(admin, "ScanReconciliationDrop");

        JsonElement report = await WaitForStatusAsync(Client, day, "AwaitingDecisions");
        Assert.Equal((2, 1), (Count(report, "Matched"), Count(report, "BankLong")));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(camt)), report.GetProperty("fileId").GetString());
        string[] names = [.. drop.GetBlobs().Select(b => b.Name)];
        Assert.Contains($"processed/{Channel}/{Day(day)}/icbc-notification.xml.json", names);
        Assert.Contains($"rejected/{Channel}/{Day(day)}/statement.xml.reason.json", names);
        Assert.DoesNotContain($"{Channel}/{Day(day)}/icbc-notification.xml", names);

        // The same bytes uploaded are the same file.
        (HttpStatusCode status, JsonElement again) = await UploadAsync(Client, camt, csv: false, day);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(again.GetProperty("known").GetBoolean());
    }

    static string? Rule(JsonElement problem) => problem.GetProperty("errors")[0].GetProperty("rule").GetString();
}
