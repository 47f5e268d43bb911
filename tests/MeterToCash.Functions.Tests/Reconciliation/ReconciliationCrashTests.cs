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
/// A reconciliation whose host is SIGKILLed in the middle of its match (after the items are written, before the totals:
/// held there by the test hook <c>Reconciliation__TestPauseAfter=items</c>), then restarted: the engine runs the match
/// again and the day ends with exactly the planted differences, as an uninterrupted run does.
/// </summary>
public class ReconciliationCrashTests
{
    [Fact]
    public async Task Match_HostKilledMidway_SameResultAfterRestart()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: new Dictionary<string, string> { ["Reconciliation__TestPauseAfter"] = "items" });
        using HttpClient client = host.Client();
        using HttpClient anonymous = Anonymous(host.BaseAddress);
        await SeedOwnHostAsync(host, client);

        DateOnly day = new(2026, 3, 9);
        string a = await CustomerAsync(client), b = await CustomerAsync(client);
        (string fileId, List<BankLine> lines) = await CloseAndUploadAsync(client, Icbc(anonymous), day, [a, b], [1_000, 2_000, 3_000, 4_000, 5_000, 6_000], new ReconPlants(Dropped: 1, Extra: 2, ChangedAmounts: 1));

        // Held after the items: the totals are not written yet.
        TableClient items = new(azurite.ConnectionString, "ReconItems");
        string partition = $"{Channel}|{Day(day)}|{fileId}";
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Exists(items, partition) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(Exists(items, partition), "The match did not write its items.");
        Assert.NotEqual("AwaitingDecisions", (await ReportAsync(client, day)).GetProperty("status").GetString());
        host.Kill();
        await host.StartAsync();

        JsonElement report = await WaitForStatusAsync(client, day, "AwaitingDecisions");
        Assert.Equal((4, 2, 1, 1), (Count(report, "Matched"), Count(report, "BankLong"), Count(report, "BankShort"), Count(report, "AmountMismatch")));
        Assert.Equal(4, report.GetProperty("openCount").GetInt32());
        Assert.Equal(lines.Count + 1, items.Query<TableEntity>($"PartitionKey eq '{partition}'").Count()); // every bank line once, plus the dropped payment
    }

    static bool Exists(TableClient table, string partition)
    {
        try
        {
            return table.Query<TableEntity>($"PartitionKey eq '{partition}'", maxPerPage: 1).Any();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
