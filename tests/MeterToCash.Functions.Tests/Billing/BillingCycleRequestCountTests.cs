using System.Net.Http.Json;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Billing.BillingApi;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>
/// The storage requests a cycle makes per account, counted by the LocalHost (<c>LocalHost__CountStorageRequests</c>) on a
/// host of its own: the per-account reads and writes the design allows, and nothing per account beyond them.
/// </summary>
public class BillingCycleRequestCountTests
{
    const int Accounts = 10;

    [Fact]
    public async Task Cycle_OneBatchOfMeteredAccounts_ThreeStorageRequestsPerAccount()
    {
        Dictionary<string, long> cycle = await CountCycleAsync([]);

        // Per account (one meter, three registers): the bill; its notification; the ledger append. Per batch: the bill
        // histories, one range query over the accounts' partitions; the ledger heads (their snapshots of the entries), one
        // range query; the frozen register reads of the area at each of the period's two midnights, one query each (the
        // ingestion copied them there); the outbox row's add and delete. No register is read from a meter's own
        // partition, no ledger head or bill history is read per account, and no outbox row is written or deleted per bill.
        Assert.Equal(1, cycle.GetValueOrDefault("table Bills query"));
        Assert.Equal(1, cycle.GetValueOrDefault("table Ledger query"));
        Assert.Equal(2, cycle.Where(c => c.Key.StartsWith("table MeterFrozenRegisters", StringComparison.Ordinal) && c.Key.EndsWith(" query", StringComparison.Ordinal)).Sum(c => c.Value));
        Assert.False(cycle.ContainsKey("table MeterRegisters query"), string.Join(", ", cycle));
        Assert.Equal(Accounts, cycle.GetValueOrDefault("table Bills insert"));
        Assert.Equal(Accounts, cycle.GetValueOrDefault("queue bill-notifications POST"));
        Assert.False(cycle.ContainsKey("table Ledger point-read"), string.Join(", ", cycle));
        Assert.Equal(Accounts, cycle.GetValueOrDefault("table Ledger transaction"));
        Assert.Equal(1, cycle.GetValueOrDefault("table BillOutbox insert"));
        Assert.Equal(1, cycle.GetValueOrDefault("table BillOutbox delete"));
        Assert.False(cycle.ContainsKey("table Bills delete"), string.Join(", ", cycle));
        Assert.False(cycle.ContainsKey("table Bills transaction"), string.Join(", ", cycle));
        Assert.False(cycle.ContainsKey("table MeterRegisters point-read"), string.Join(", ", cycle));

        // Everything else is per cycle or per batch (plan, customers, tariff, calendar, due index, cycle records), not per account.
        long perAccount = (3 * Accounts) + 6;
        Assert.InRange(cycle.Values.Sum() - perAccount, 1, 12);
    }

    [Fact]
    public async Task Cycle_MoreBatchesThanTheCap_LargerBatchesOfOneRangeReadEach()
    {
        // Batches of 2 would make 5; at most 2 batches per cycle makes them ⌈10 / 2⌉ = 5 accounts each.
        Dictionary<string, long> cycle = await CountCycleAsync(new() { ["Billing__AccountsPerBatch"] = "2", ["Billing__MaxBatchesPerCycle"] = "2" });

        Assert.Equal(2, cycle.GetValueOrDefault("table Bills query"));
        Assert.Equal(2, cycle.GetValueOrDefault("table Ledger query"));
        Assert.Equal(2, cycle.GetValueOrDefault("table BillOutbox insert"));
        Assert.Equal(Accounts, cycle.GetValueOrDefault("table Bills insert"));
        Assert.Equal(Accounts, cycle.GetValueOrDefault("table Ledger transaction"));
    }

    /// <summary>
    /// The storage requests of one cycle of <see cref="Accounts"/> residential accounts in one area, each with one meter
    /// and three registers at both midnights, on a host of its own with every timer off and <paramref name="extraSettings"/>.
    /// </summary>
    static async Task<Dictionary<string, long>> CountCycleAsync(Dictionary<string, string> extraSettings)
    {
        await using Azurite azurite = await Azurite.StartAsync();
        // Every timer off: a sweep or scan that fires during the cycle would add its requests to the count.
        Dictionary<string, string> settings = QuietTimers.AllOff();
        settings["LocalHost__CountStorageRequests"] = "true";
        foreach (KeyValuePair<string, string> setting in extraSettings)
        {
            settings[setting.Key] = setting.Value;
        }

        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: settings);
        using HttpClient client = host.Client();
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        (string stamp, string area) = await SeedOwnHostAsync(host, client, "TR");
        for (int i = 0; i < Accounts; i++)
        {
            await CreateResidentialAsync(client, area, ResidentialReads());
        }

        string group = "BG-R" + stamp;
        await PutOkAsync(client, $"api/billing-groups/{group}", new { name = "Request count group", cycleDay = 1, areas = new[] { area } });

        List<RequestCount> before = await CountsAsync(admin);
        string cycleId = await StartCycleAsync(admin, group);
        Assert.Equal(Accounts, (await WaitForPhaseAsync(client, cycleId, "Completed")).GetProperty("issued").GetInt32());
        return Since(await CountsAsync(admin), before);
    }

    sealed record RequestCount(string Service, string Resource, string Operation, long Count);

    static async Task<List<RequestCount>> CountsAsync(HttpClient admin) =>
        await admin.GetFromJsonAsync<List<RequestCount>>("admin/storage-requests") ?? [];

    static Dictionary<string, long> Since(List<RequestCount> after, List<RequestCount> before) =>
        after.Select(a => (Key: $"{a.Service} {a.Resource} {a.Operation}", Count: a.Count - (before.FirstOrDefault(b => b.Service == a.Service && b.Resource == a.Resource && b.Operation == a.Operation)?.Count ?? 0)))
            .Where(c => c.Count > 0)
            .ToDictionary(c => c.Key, c => c.Count);
}
