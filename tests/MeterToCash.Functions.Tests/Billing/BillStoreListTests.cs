using Azure.Data.Tables;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>A batch's earlier bills read together (<see cref="BillStore.ListEarlierManyAsync"/>) against Azurite: the same as one partition query per account.</summary>
[Collection(BackendCollection.Name)]
public class BillStoreListTests(BackendFixture backend)
{
    BillStore Store() => backend.AppServices().GetRequiredService<BillStore>();

    /// <summary>A prefix unique to one test, so accounts of tests sharing the fixture's Azurite do not fall between them.</summary>
    static string NewPrefix() => "LM" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    static StoredBill Bill(string account, DateOnly periodStart, int revision) => new()
    {
        BillId = BillStore.BillId(account, periodStart, revision),
        AccountNo = account,
        CustomerName = "张三",
        CustomerClass = "Residential",
        Address = "1 Test Road",
        GroupCode = "G1",
        CycleId = "test-cycle",
        PeriodStart = periodStart,
        PeriodEnd = periodStart.AddMonths(1),
        Revision = revision,
        Decision = BillDecision.HeldForReview,
        TariffCode = "T1",
        TotalFen = 1000 + revision,
        IssuedOn = periodStart.AddMonths(1),
        DueDate = periodStart.AddMonths(1).AddDays(20),
        CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Determinants = revision == 1 ? null : new BillDeterminants { Period = new BillingPeriod(periodStart, periodStart.AddMonths(1)), TotalKwh = 1234.5m + periodStart.Month },
    };

    static async Task AddAsync(BillStore store, string account, int periods, int revisions = 1)
    {
        for (int period = 0; period < periods; period++)
        {
            for (int revision = 1; revision <= revisions; revision++)
            {
                await store.AddAsync(Bill(account, new DateOnly(2026, 1, 1).AddMonths(period), revision), BillStatus.Held, default);
            }
        }
    }

    static async Task AssertListsAsListAsync(BillStore store, string[] accounts)
    {
        IReadOnlyList<EarlierBill>[] many = await store.ListEarlierManyAsync(accounts, 2, default);

        Assert.Equal(accounts.Length, many.Length);
        for (int i = 0; i < accounts.Length; i++)
        {
            IReadOnlyList<BillEntry> one = await store.ListAsync(accounts[i], default);
            Assert.Equal(one.Select(EarlierBill.Of), many[i]);
        }
    }

    [Fact]
    public async Task ListEarlierMany_AccountsWithRevisionsNoneAndALegacyRow_ListsWhatListAsyncLists()
    {
        BillStore store = Store();
        string prefix = NewPrefix();
        string withRevisions = prefix + "1", none = prefix + "2", withLegacy = prefix + "3", prefixOfAnother = prefix + "30";
        await AddAsync(store, withRevisions, periods: 2, revisions: 2);
        await AddAsync(store, withLegacy, periods: 1);
        await AddAsync(store, prefixOfAnother, periods: 3);
        await new TableClient(backend.StorageConnectionString, BillStore.BillsTable).AddEntityAsync(new TableEntity(withLegacy, "20251201-r01") { ["Status"] = "Issued" });

        await AssertListsAsListAsync(store, [withLegacy, none, prefixOfAnother, withRevisions]);
        IReadOnlyList<EarlierBill>[] many = await store.ListEarlierManyAsync([withRevisions, none, withLegacy], 2, default);
        Assert.Equal((4, 0, 1), (many[0].Count, many[1].Count, many[2].Count));
        Assert.Equal([null, 1235.5m, null, 1236.5m], many[0].Select(b => b.TotalKwh));
    }

    [Fact]
    public async Task ListEarlierMany_ABillRowWrittenBeforeTheSummaryColumn_ReadsThatAccountWhole()
    {
        BillStore store = Store();
        string prefix = NewPrefix();
        string before = prefix + "1", after = prefix + "2";
        await AddAsync(store, before, periods: 2, revisions: 2);
        await AddAsync(store, after, periods: 2, revisions: 2);
        TableClient bills = new(backend.StorageConnectionString, BillStore.BillsTable);
        TableEntity row = (await bills.GetEntityAsync<TableEntity>(before, "20260201-r02|" + before)).Value;
        row.Remove("TotalKwh");
        await bills.UpsertEntityAsync(row, TableUpdateMode.Replace);

        await AssertListsAsListAsync(store, [before, after]);
        IReadOnlyList<EarlierBill>[] many = await store.ListEarlierManyAsync([before, after], 2, default);
        Assert.Equal(1236.5m, many[0][^1].TotalKwh);
    }

    [Fact]
    public async Task ListEarlierMany_MoreOtherBillsBetweenThanTheBudget_FallsBackAndListsTheSame()
    {
        BillStore store = Store();
        string prefix = NewPrefix();
        await AddAsync(store, prefix + "1", periods: 2);
        await AddAsync(store, prefix + "3", periods: 2);
        // An account between them with more bills than the range read may pass over for two accounts.
        await AddAsync(store, prefix + "2", periods: (2 * PartitionRange.ForeignRowsPerPartition) + 1);

        await AssertListsAsListAsync(store, [prefix + "1", prefix + "3"]);
    }
}
