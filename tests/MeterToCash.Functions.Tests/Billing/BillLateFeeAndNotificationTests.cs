using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Billing.BillingApi;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>
/// Late fees and bill-ready notifications on a host of their own: bills due the day after they are issued
/// (<c>Billing__DueDays=1</c>), the late-fee run assessing as of ten days after the due date
/// (<c>Billing__LateFeeAsOf</c>), a rebill whose reversed bill leaves the due index, and no grace for the outbox drain, so every row it could send it does.
/// </summary>
public class BillLateFeeAndNotificationTests
{
    [Fact]
    public async Task CycleThenTimers_OneNotificationPerIssuedBill_OneLateFeePerBillAndDay()
    {
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)); // China local, as the app issues bills
        DateOnly asOf = today.AddDays(11);
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string>
        {
            ["Billing__DueDays"] = "1",
            ["Billing__LateFeeAsOf"] = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Billing__OutboxGrace"] = "00:00:00",
            ["Billing__OutboxSchedule"] = "0 0 0 1 1 *", // fired by the test only: with no grace, a scheduled drain during the cycle could send a bill twice (at least once by design)
            ["Billing__LateFeeSchedule"] = "0 0 0 1 1 *",
        });
        using HttpClient client = host.Client();
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        (string stamp, string area) = await SeedOwnHostAsync(host, client, "TL");
        // 300 kWh, peak 200 and valley 100, all tier 1: 200 × 0.617 + 100 × 0.307 = 154.10 yuan, as in BillingCycleTests.
        string first = await CreateResidentialAsync(client, area, ResidentialReads());
        string second = await CreateResidentialAsync(client, area, ResidentialReads());
        string held = await CreateResidentialAsync(client, area, []); // no reads: held for review
        string group = "BG-L" + stamp;
        await PutOkAsync(client, $"api/billing-groups/{group}", new { name = "Late fee group", cycleDay = 1, areas = new[] { area } });

        string cycleId = await StartCycleAsync(admin, group);
        await WaitForPhaseAsync(client, cycleId, "Review");

        // Notifications: one per issued bill, sent right after the write, no outbox row left behind.
        QueueClient queue = new(azurite.ConnectionString, "bill-notifications", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        TableClient bills = new(azurite.ConnectionString, "Bills");
        TableClient batchOutbox = new(azurite.ConnectionString, "BillOutbox");
        Assert.Empty(bills.Query<TableEntity>("RowKey gt 'o~' and RowKey lt 'o\u007f'"));
        Assert.Empty(batchOutbox.Query<TableEntity>());
        await FireTimerAsync(admin, "DrainBillOutbox");
        await Task.Delay(2000);
        QueueMessage[] messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        Assert.Equal([BillId(first, 1), BillId(second, 1)], messages.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("billId").GetString()!).Order(StringComparer.Ordinal));
        JsonElement message = JsonDocument.Parse(messages.Single(m => m.Body.ToString().Contains(first, StringComparison.Ordinal)).Body.ToString()).RootElement;
        Assert.Equal(first, message.GetProperty("accountNo").GetString());
        Assert.Equal("2026-10-01/2026-11-01", message.GetProperty("period").GetString());
        Assert.Equal(15410, message.GetProperty("totalFen").GetInt64());
        Assert.Equal(today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), message.GetProperty("dueDate").GetString());
        Assert.Equal($"/api/bills/{BillId(first, 1)}/document", message.GetProperty("documentUrl").GetString());

        // Released in review: issued now, notified once more (a 0-fen bill is notified, never charged).
        using HttpResponseMessage released = await client.PostAsync($"api/bills/{BillId(held, 1)}/release", JsonContent("{\"who\":\"reviewer-1\"}"));
        Assert.True(released.IsSuccessStatusCode, await released.Content.ReadAsStringAsync());
        await WaitForPhaseAsync(client, cycleId, "Completed");
        QueueMessage[] afterRelease = await ReceiveAtLeastAsync(queue, 1);
        Assert.Equal([BillId(held, 1)], afterRelease.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("billId").GetString()!));
        await FireTimerAsync(admin, "DrainBillOutbox");
        await Task.Delay(2000);
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        // A batch outbox row as a crash leaves it (written before its bills, one of which was never stored): the drain
        // sends the stored, Issued bill and nothing for the other, and removes the row.
        await batchOutbox.AddEntityAsync(new TableEntity(cycleId, "left-by-a-crash") { ["BillIds"] = $"{BillId(first, 1)},{BillId(first, 7)}" });
        await FireTimerAsync(admin, "DrainBillOutbox");
        QueueMessage[] drained = await ReceiveAtLeastAsync(queue, 1);
        Assert.Equal([BillId(first, 1)], drained.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("billId").GetString()!));
        await Task.Delay(2000);
        Assert.Empty(batchOutbox.Query<TableEntity>());
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);

        // The second account is rebilled: its first bill's charge is reversed (so the run takes it out of the due index)
        // and the new revision, due the same day, is charged.
        using HttpResponseMessage rebilled = await admin.PostAsync($"api/bills/{BillId(second, 1)}/rebill", JsonContent("{\"who\":\"reviewer-2\"}"));
        Assert.True(rebilled.IsSuccessStatusCode, await rebilled.Content.ReadAsStringAsync());

        // Late fees, fired twice. Due today+1, assessed as of today+11: 10 days late, no grace, 1‰ a day on 154.10
        // = 154.10 × 0.001 × 10 = 1.541 yuan → 154 fen (rounded half away from zero).
        await FireTimerAsync(admin, "AssessLateFees");
        await WaitForLogAsync(host, "Late fees as of", 1);
        await FireTimerAsync(admin, "AssessLateFees");
        await WaitForLogAsync(host, "Late fees as of", 2);
        Assert.Equal(
            [($"charge:{BillId(first, 1)}", 15410L), ($"latefee:{BillId(first, 1)}:{asOf:yyyy-MM-dd}", 154L)],
            await EntriesAsync(client, first, today));
        Assert.Equal(
            [($"charge:{BillId(second, 1)}", 15410L), ($"reverse:{BillId(second, 1)}", -15410L), ($"charge:{BillId(second, 2)}", 15410L), ($"latefee:{BillId(second, 2)}:{asOf:yyyy-MM-dd}", 154L)],
            await EntriesAsync(client, second, today));
        TableClient due = new(azurite.ConnectionString, "BillsDue");
        Assert.Equal([BillId(first, 1), BillId(second, 2)], due.Query<TableEntity>().Select(e => e.RowKey).Order(StringComparer.Ordinal));

        Assert.Empty((await GetJsonAsync(client, $"api/accounts/{held}/ledger")).GetProperty("entries").EnumerateArray());
    }

    static async Task<List<(string, long)>> EntriesAsync(HttpClient client, string account, DateOnly today) =>
        [.. (await GetJsonAsync(client, $"api/accounts/{account}/ledger?from=2026-01-01&to={today.AddDays(1):yyyy-MM-dd}")).GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("entryId").GetString()!, e.GetProperty("amountFen").GetInt64()))];

    static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    static async Task<QueueMessage[]> ReceiveAtLeastAsync(QueueClient queue, int count)
    {
        List<QueueMessage> received = [];
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            received.AddRange((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value);
            await Task.Delay(200);
        }

        return [.. received];
    }

    static async Task WaitForLogAsync(LocalHostProcess host, string text, int occurrences)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (CountOf(host.Output, text) < occurrences)
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' was not logged {occurrences} times:\n{host.Output}");
            await Task.Delay(300);
        }
    }

    static int CountOf(string haystack, string needle)
    {
        int count = 0;
        for (int at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
