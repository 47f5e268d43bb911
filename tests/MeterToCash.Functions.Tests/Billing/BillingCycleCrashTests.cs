using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Billing.BillingApi;
using static MeterToCash.Functions.Tests.Ingestion.ReadingJson;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>
/// A billing cycle whose host is SIGKILLed in the middle of billing, restarted, and compared with an uninterrupted run of
/// the same data on a fresh Azurite: the same bills (ids, statuses, totals, lines), the same ledger (one
/// <c>charge:{billId}</c> per issued bill and nothing else), and a bill-ready message for every issued bill.
/// </summary>
public class BillingCycleCrashTests
{
    const int Customers = 300;
    const string Group = "BG-CRASH";

    [Fact]
    public async Task Cycle_HostKilledMidway_SameBillsAndLedgerAsUninterruptedRun()
    {
        Dictionary<string, AccountResult> expected;
        await using (Azurite azurite = await Azurite.StartAsync())
        await using (LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: Settings()))
        {
            using HttpClient client = host.Client();
            string cycleId = await SeedAndStartAsync(host, client);
            JsonElement done = await WaitForEndAsync(client, cycleId);
            Assert.Equal(Customers, done.GetProperty("accounts").GetInt32());
            expected = await ResultsAsync(client);
        }

        await using Azurite crashAzurite = await Azurite.StartAsync();
        await using LocalHostProcess crashHost = await LocalHostProcess.StartAsync(crashAzurite, settings: Settings());
        using HttpClient crashClient = crashHost.Client();
        string crashCycle = await SeedAndStartAsync(crashHost, crashClient);
        int billedAtKill = await WaitForSomeBilledAsync(crashClient, crashCycle);
        crashHost.Kill();
        Assert.InRange(billedAtKill, 1, Customers - 1); // the host died with some accounts billed, not all

        await crashHost.StartAsync();
        JsonElement crashDone = await WaitForEndAsync(crashClient, crashCycle);
        Assert.Equal(Customers, crashDone.GetProperty("accounts").GetInt32());
        Dictionary<string, AccountResult> actual = await ResultsAsync(crashClient);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach ((string account, AccountResult want) in expected)
        {
            Assert.Equal(want, actual[account]);
        }

        List<string> issued = [.. actual.Values.SelectMany(r => r.Bills).Where(b => b.Status == "Issued").Select(b => b.BillId)];
        Assert.True(issued.Count > Customers / 2, $"only {issued.Count} of {Customers} bills issued: the data should bill most accounts");
        Assert.Equal(issued.Sum(id => actual[id[..id.IndexOf('-', StringComparison.Ordinal)]].Bills.Single().TotalFen), actual.Values.Sum(r => r.Ledger.Sum(e => e.AmountFen)));
        Assert.Equal(expected.Values.Sum(r => r.Ledger.Sum(e => e.AmountFen)), actual.Values.Sum(r => r.Ledger.Sum(e => e.AmountFen)));
        Assert.Equal(crashDone.GetProperty("issued").GetInt32(), CountOf(expected, "Issued"));

        // Every issued bill notified, at least once, whatever the kill interrupted (the drain sends what it left).
        using HttpClient admin = crashHost.Client(LocalHostProcess.MasterKey);
        await FireTimerAsync(admin, "DrainBillOutbox");
        QueueClient queue = new(crashAzurite.ConnectionString, "bill-notifications", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        HashSet<string> notified = new(StringComparer.Ordinal);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!notified.IsSupersetOf(issued) && DateTime.UtcNow < deadline)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value;
            notified.UnionWith(batch.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("billId").GetString()!));
            if (batch.Length == 0)
            {
                await Task.Delay(500);
            }
        }

        Assert.Empty(issued.Except(notified));
        Assert.Empty(notified.Except(issued));

        static int CountOf(Dictionary<string, AccountResult> results, string status) => results.Values.Count(r => r.Bills.Single().Status == status);
    }

    /// <summary>Small batches so the cycle spans many activities; no review window, so held bills end the cycle at once; the outbox drain without grace.</summary>
    static Dictionary<string, string> Settings() => new()
    {
        ["Billing__AccountsPerBatch"] = "10",
        ["Billing__BatchesPerSubOrchestration"] = "3",
        ["Billing__ReviewHours"] = "0",
        ["Billing__OutboxGrace"] = "00:00:00",
    };

    /// <summary>The same data on every run: the demo archive of one area, each meter's register reads at the period's midnights, a group over the area.</summary>
    static async Task<string> SeedAndStartAsync(LocalHostProcess host, HttpClient client)
    {
        await ReferenceDataSeed.SeedAsync(host);
        await new DemoUtility(customers: 0, areas: 2).SeedNetworkAsync(client);
        DemoUtility demo = new(customers: Customers, areas: 1);
        string csv = demo.ArchiveCsv();
        string importId = await ImportClient.ImportIdAsync(await ImportClient.PostAsync(client, csv));
        JsonElement imported = await ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(3));
        Assert.Equal(Customers, imported.GetProperty("rowsImported").GetInt32());

        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        await Parallel.ForEachAsync(lines.Select((line, i) => (Columns: line.Split(','), Index: i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, ct) =>
        {
            using HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", Bytes(RegisterDocument(row.Columns[12], row.Columns[16].Split('|'), row.Index)), ct);
            string body = await pushed.Content.ReadAsStringAsync(ct);
            Assert.True(pushed.StatusCode == HttpStatusCode.OK && !body.Contains("Quarantined", StringComparison.Ordinal), body);
        });

        await PutOkAsync(client, $"api/billing-groups/{Group}", new { name = "Crash group", cycleDay = 1, areas = new[] { DemoUtility.AreaCode(1) } });
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        return await StartCycleAsync(admin, Group);
    }

    /// <summary>
    /// One meter's reads at the period's two midnights, for each active register it has: a total of 100 + (i mod 400)
    /// kWh meter-side, split 40 % peak, 30 % flat (or valley when it has no flat), the rest valley, 5 % critical peak
    /// taken from peak.
    /// </summary>
    static JsonObject RegisterDocument(string meterNo, string[] registers, int i)
    {
        decimal start = 1000m + i, used = 100m + (i % 400);
        decimal critical = registers.Contains("ActiveImportCriticalPeak") ? used * 0.05m : 0m;
        decimal peak = used * 0.4m - critical;
        decimal flat = registers.Contains("ActiveImportFlat") ? used * 0.3m : 0m;
        decimal valley = used - critical - peak - flat;
        Dictionary<string, (string Code, decimal Used)> bands = new()
        {
            ["ActiveImportTotal"] = (Total, used), ["ActiveImportCriticalPeak"] = (CriticalPeak, critical), ["ActiveImportPeak"] = (Peak, peak),
            ["ActiveImportFlat"] = (Flat, flat), ["ActiveImportValley"] = (Valley, valley),
        };
        JsonObject[] reads = [.. registers.Where(bands.ContainsKey).SelectMany(r => new[]
        {
            Register(bands[r].Code, Midnight(PeriodStart), start, 6),
            Register(bands[r].Code, Midnight(PeriodEnd), start + bands[r].Used, 6),
        })];
        return Registers(meterNo, reads);
    }

    static async Task<int> WaitForSomeBilledAsync(HttpClient client, string cycleId)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            int billed = (await GetJsonAsync(client, $"api/billing/cycles/{cycleId}/bills")).GetProperty("bills").GetArrayLength();
            if (billed > 0)
            {
                return billed;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Cycle {cycleId} billed nothing in 3 minutes.");
        return 0;
    }

    static async Task<JsonElement> WaitForEndAsync(HttpClient client, string cycleId)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(5);
        JsonElement status;
        do
        {
            status = await GetJsonAsync(client, $"api/billing/cycles/{cycleId}");
            if (status.GetProperty("status").GetString() == "Completed")
            {
                return status;
            }

            Assert.NotEqual("Failed", status.GetProperty("status").GetString());
            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Cycle {cycleId} did not complete: {status}");
        return status;
    }

    /// <summary>Every account's bills (with their lines) and ledger entries, as the API answers them.</summary>
    static async Task<Dictionary<string, AccountResult>> ResultsAsync(HttpClient client)
    {
        string[] accounts = [.. Enumerable.Range(0, Customers).Select(i => (3100000000L + i).ToString(CultureInfo.InvariantCulture))];
        ConcurrentDictionary<string, AccountResult> results = new(StringComparer.Ordinal);
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (account, _) =>
        {
            List<BillResult> bills = [];
            foreach (JsonElement summary in (await GetJsonAsync(client, $"api/accounts/{account}/bills")).GetProperty("bills").EnumerateArray())
            {
                string billId = summary.GetProperty("billId").GetString()!;
                JsonElement bill = await GetJsonAsync(client, $"api/bills/{billId}");
                JsonElement document = bill.GetProperty("bill");
                bills.Add(new BillResult(
                    billId,
                    bill.GetProperty("status").GetString()!,
                    document.GetProperty("totalFen").GetInt64(),
                    document.TryGetProperty("rated", out JsonElement rated) ? rated.GetRawText() : "",
                    document.TryGetProperty("reasons", out JsonElement reasons) ? reasons.GetRawText() : ""));
            }

            JsonElement ledger = await GetJsonAsync(client, $"api/accounts/{account}/ledger");
            List<EntryResult> entries = [.. ledger.GetProperty("entries").EnumerateArray().Select(e => new EntryResult(e.GetProperty("entryId").GetString()!, e.GetProperty("kind").ToString(), e.GetProperty("amountFen").GetInt64()))];
            Assert.Equal(entries.Count, entries.Select(e => e.EntryId).Distinct().Count());
            results[account] = new AccountResult(bills, entries);
        });

        foreach ((string account, AccountResult result) in results)
        {
            // One bill per account and period, never twice; an issued bill with a total is charged once, and nothing else posts.
            BillResult bill = Assert.Single(result.Bills);
            Assert.Equal(BillId(account, 1), bill.BillId);
            List<EntryResult> expectedEntries = bill.Status == "Issued" && bill.TotalFen > 0 ? [new EntryResult($"charge:{bill.BillId}", "Charge", bill.TotalFen)] : [];
            Assert.Equal(expectedEntries, result.Ledger);
        }

        return new Dictionary<string, AccountResult>(results, StringComparer.Ordinal);
    }

    sealed record BillResult(string BillId, string Status, long TotalFen, string Lines, string Reasons);

    sealed record EntryResult(string EntryId, string Kind, long AmountFen);

    sealed record AccountResult(IReadOnlyList<BillResult> Bills, IReadOnlyList<EntryResult> Ledger)
    {
        public bool Equals(AccountResult? other) => other is not null && Bills.SequenceEqual(other.Bills) && Ledger.SequenceEqual(other.Ledger);

        public override int GetHashCode() => Bills.Count;
    }
}
