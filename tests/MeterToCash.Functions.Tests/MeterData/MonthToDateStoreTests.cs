using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.MeterData;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.MeterData;

/// <summary>The month-to-date store against Azurite: what the pipeline relies on when it reuses the day blocks it read.</summary>
[Collection(BackendCollection.Name)]
public class MonthToDateStoreTests(BackendFixture backend)
{
    static readonly DateOnly Day = new(2025, 5, 14);

    /// <summary>The store as the app composes it (its meter directory and tariff bandings read the same Azurite).</summary>
    MonthToDateStore Store() => backend.AppServices().GetRequiredService<MonthToDateStore>();

    static StoredCurve Curve(string meter, decimal value)
    {
        DayCurve empty = DayCurve.Empty(new MeterId(meter), MeterChannel.ActiveImport, Day, 15);
        CurveUpdate[] updates = [.. Enumerable.Range(0, 96).Select(s => new CurveUpdate(s, value, ReadingQuality.Valid))];
        return new StoredCurve(empty.Merge(updates).Curve, null, 1);
    }

    static CurveKey Key(string area, string meter) => new(area, new MeterId(meter), MeterChannel.ActiveImport, Day, 15);

    [Fact]
    public async Task ReadBlocks_ListsOnlyCountedCurves()
    {
        MonthToDateStore store = Store();
        await store.ApplyAsync("TA9901", Day.Year, Day.Month, [Curve("M-A", 0.1m)], null, default);

        DayBlocks blocks = await store.ReadBlocksAsync([Key("TA9901", "M-A"), Key("TA9901", "m-b"), Key("TA9902", "M-A")], default);

        Assert.True(blocks.Lists(Key("TA9901", "M-A")));
        Assert.False(blocks.Lists(Key("TA9901", "m-b")));
        Assert.False(blocks.Lists(Key("TA9902", "M-A"))); // same meter number, another area's block
    }

    [Fact]
    public async Task Apply_BlockChangedSinceItWasRead_ReReadsAndKeepsBothWrites()
    {
        MonthToDateStore store = Store();
        await store.ApplyAsync("TA9903", Day.Year, Day.Month, [Curve("M-A", 0.1m)], null, default);

        // This delivery reads the block (A only); another delivery then counts meter C; this one writes B from the
        // block as it read it. The stale ETag must fail and the write start again from the stored block.
        DayBlocks stale = await store.ReadBlocksAsync([Key("TA9903", "M-B")], default);
        await store.ApplyAsync("TA9903", Day.Year, Day.Month, [Curve("M-C", 0.3m)], null, default);
        await store.ApplyAsync("TA9903", Day.Year, Day.Month, [Curve("M-B", 0.2m)], stale, default);

        foreach ((string meter, decimal value) in new[] { ("M-A", 0.1m), ("M-B", 0.2m), ("M-C", 0.3m) })
        {
            StoredMonthToDate? month = await store.GetAsync("TA9903", new MeterId(meter), MeterChannel.ActiveImport, Day.Year, Day.Month, default);
            Assert.Equal(96 * value, month?.Totals.Energy.Total);
        }
    }

    [Fact]
    public async Task Apply_BlockCreatedSinceItWasReadAsAbsent_ReReadsAndKeepsBothWrites()
    {
        MonthToDateStore store = Store();

        DayBlocks stale = await store.ReadBlocksAsync([Key("TA9904", "M-B")], default);
        await store.ApplyAsync("TA9904", Day.Year, Day.Month, [Curve("M-C", 0.3m)], null, default);
        await store.ApplyAsync("TA9904", Day.Year, Day.Month, [Curve("M-B", 0.2m)], stale, default);

        Assert.Equal(96 * 0.3m, (await store.GetAsync("TA9904", new MeterId("M-C"), MeterChannel.ActiveImport, Day.Year, Day.Month, default))?.Totals.Energy.Total);
        Assert.Equal(96 * 0.2m, (await store.GetAsync("TA9904", new MeterId("M-B"), MeterChannel.ActiveImport, Day.Year, Day.Month, default))?.Totals.Energy.Total);
    }
}
