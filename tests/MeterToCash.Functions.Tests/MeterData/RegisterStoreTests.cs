using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.MeterData;

/// <summary>
/// The frozen-read copy against Azurite: <see cref="RegisterStore.AtManyAsync"/> answers exactly what
/// <see cref="RegisterStore.AtAsync"/> answers from each meter's own partition, whatever the copy holds.
/// </summary>
[Collection(BackendCollection.Name)]
public class RegisterStoreTests(BackendFixture backend)
{
    static readonly DateTimeOffset Midnight = ChinaTime.DayStart(new DateOnly(2024, 3, 1));

    static readonly (MeterChannel Channel, RegisterBand Band)[] ThreeRegisters =
        [(MeterChannel.ActiveImport, RegisterBand.Total), (MeterChannel.ActiveImport, RegisterBand.Peak), (MeterChannel.ReactiveImport, RegisterBand.Total)];

    RegisterStore Store() => backend.AppServices().GetRequiredService<RegisterStore>();

    /// <summary>Unique meter numbers per test, so tests sharing the fixture's Azurite do not see each other's reads.</summary>
    static string NewMeter(string suffix = "") => "RS" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant() + suffix;

    static StoredRegister Read(string meter, MeterChannel channel, RegisterBand band, DateTimeOffset at, decimal value) => new(
        new RegisterReading(new MeterId(meter), channel, band, at, value, MeterChannels.UnitOf(channel), ReadingQuality.Valid, 6),
        ReadingQuality.Valid, 1m, value, null, null, null, VeeRules.None, VeeRules.None, null, "raw/test");

    static StoredRegister[] ThreeReads(string meter, DateTimeOffset at, decimal offset) =>
        [.. ThreeRegisters.Select((r, k) => Read(meter, r.Channel, r.Band, at, 100m + (10m * k) + offset))];

    /// <summary>Stores reads of several meters, one meter's at a time (as the ingestion does).</summary>
    static async Task AddByMeterAsync(RegisterStore store, IEnumerable<StoredRegister> reads)
    {
        foreach (IGrouping<string, StoredRegister> meter in reads.GroupBy(r => r.Reading.Meter.Value))
        {
            await store.AddAsync([.. meter], default);
        }
    }

    async Task<List<TableEntity>> CopiedRowsAsync(string area, DateOnly day)
    {
        TableClient table = new(backend.StorageConnectionString, MeterDataKeys.FrozenRegistersTable(day));
        List<TableEntity> rows = [];
        try
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {MeterDataKeys.FrozenPartition(area, day)}")))
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException e) when (MeterDataStorage.IsMissingTable(e))
        {
            // Nothing of that month was ever copied.
        }

        return rows;
    }

    async Task AssertAnswersAsAtAsync(RegisterStore store, IReadOnlyList<RegistersAt> requests)
    {
        IReadOnlyList<StoredRegister>[] many = await store.AtManyAsync(requests, 4, default);
        Assert.Equal(requests.Count, many.Length);
        for (int i = 0; i < requests.Count; i++)
        {
            IReadOnlyList<StoredRegister> one = await store.AtAsync(requests[i].Meter, requests[i].Registers, requests[i].ReadAt, default);
            Assert.Equal(one.Select(r => r.Reading), many[i].Select(r => r.Reading));
        }
    }

    [Fact]
    public async Task Add_TwoMetersReadAtTheSameInstant_ShareNoRowKeyAndEachAnswersItsOwn()
    {
        RegisterStore store = Store();
        string first = NewMeter(), second = NewMeter();
        await AddByMeterAsync(store, [.. ThreeReads(first, Midnight, 0m), .. ThreeReads(second, Midnight, 5m)]);

        TableClient registers = new(backend.StorageConnectionString, MeterDataKeys.RegistersTable);
        List<string> firstKeys = [], secondKeys = [];
        await foreach (TableEntity row in registers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {first}"), select: ["RowKey"]))
        {
            firstKeys.Add(row.RowKey);
        }

        await foreach (TableEntity row in registers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {second}"), select: ["RowKey"]))
        {
            secondKeys.Add(row.RowKey);
        }

        Assert.Equal(3, firstKeys.Count);
        Assert.Equal(3, secondKeys.Count);
        Assert.Empty(firstKeys.Intersect(secondKeys, StringComparer.Ordinal));
        Assert.All(firstKeys, key => Assert.EndsWith("|" + first, key, StringComparison.Ordinal));
        IReadOnlyList<StoredRegister> atFirst = await store.AtAsync(new MeterId(first), ThreeRegisters, Midnight, default);
        IReadOnlyList<StoredRegister> atSecond = await store.AtAsync(new MeterId(second), ThreeRegisters, Midnight, default);
        Assert.Equal([100m, 110m, 120m], atFirst.Select(r => r.Reading.Value));
        Assert.Equal([105m, 115m, 125m], atSecond.Select(r => r.Reading.Value));
    }

    [Fact]
    public async Task AtMany_EveryReadCopied_AnswersEachMeterAsItsPartitionDoes()
    {
        // Meter numbers where one is a prefix of another: '!' keeps each meter's rows together inside the RowKey range.
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), first = NewMeter(), second = first + "-2", third = NewMeter("Z");
        RegisterStore store = Store();
        StoredRegister[] reads = [.. new[] { first, second, third }.SelectMany((meter, m) => ThreeReads(meter, Midnight, m))];
        await AddByMeterAsync(store, reads);

        await store.CopyFrozenAsync(reads.Select(r => (area, r)), default);

        RegistersAt[] requests = [.. new[] { first, second, third }.Select(meter => new RegistersAt(area, new MeterId(meter), ThreeRegisters, Midnight))];
        IReadOnlyList<StoredRegister>[] answers = await store.AtManyAsync(requests, 4, default);
        Assert.All(answers, answer => Assert.Equal(3, answer.Count));
        await AssertAnswersAsAtAsync(store, requests);
    }

    [Fact]
    public async Task AtMany_CopyLacksARegister_ReadsTheMeterPartitionInstead()
    {
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), meter = NewMeter();
        RegisterStore store = Store();
        StoredRegister[] reads = ThreeReads(meter, Midnight, 0m);
        await store.AddAsync(reads, default);
        await store.CopyFrozenAsync(reads.Take(2).Select(r => (area, r)), default); // as if a crash left the reactive read out

        RegistersAt request = new(area, new MeterId(meter), ThreeRegisters, Midnight);
        IReadOnlyList<StoredRegister> answer = (await store.AtManyAsync([request], 4, default))[0];

        Assert.Equal(reads.Select(r => r.Reading), answer.Select(r => r.Reading));
    }

    [Fact]
    public async Task AtMany_MonthWithoutACopyTable_ReadsTheMeterPartitionInstead()
    {
        // A month no test copies into, so its table is never created: reads stored before the copy existed.
        DateTimeOffset midnight = ChinaTime.DayStart(new DateOnly(2019, 7, 1));
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), meter = NewMeter();
        RegisterStore store = Store();
        StoredRegister[] reads = ThreeReads(meter, midnight, 0m);
        await store.AddAsync(reads, default);

        RegistersAt request = new(area, new MeterId(meter), ThreeRegisters, midnight);
        IReadOnlyList<StoredRegister> answer = (await store.AtManyAsync([request], 4, default))[0];

        Assert.Equal(reads.Select(r => r.Reading), answer.Select(r => r.Reading));
    }

    [Fact]
    public async Task CopyFrozen_MidnightsOfTwoMonths_EachInItsMonthTable()
    {
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), meter = NewMeter();
        DateTimeOffset nextMonth = ChinaTime.DayStart(new DateOnly(2024, 4, 1));
        RegisterStore store = Store();
        StoredRegister[] reads = [.. ThreeReads(meter, Midnight, 0m), .. ThreeReads(meter, nextMonth, 50m)];
        await store.AddAsync(reads, default);

        await store.CopyFrozenAsync(reads.Select(r => (area, r)), default);

        Assert.Equal(3, (await CopiedRowsAsync(area, ChinaTime.LocalDay(Midnight))).Count);
        Assert.Equal(3, (await CopiedRowsAsync(area, new DateOnly(2024, 4, 1))).Count);
        Assert.NotEqual(MeterDataKeys.FrozenRegistersTable(ChinaTime.LocalDay(Midnight)), MeterDataKeys.FrozenRegistersTable(new DateOnly(2024, 4, 1)));
        await AssertAnswersAsAtAsync(store, [new RegistersAt(area, new MeterId(meter), ThreeRegisters, Midnight), new RegistersAt(area, new MeterId(meter), ThreeRegisters, nextMonth)]);
    }

    [Fact]
    public async Task AtMany_MeterFiledUnderAnotherArea_ReadsTheMeterPartitionInstead()
    {
        string oldArea = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), newArea = oldArea + "N", meter = NewMeter();
        RegisterStore store = Store();
        StoredRegister[] reads = ThreeReads(meter, Midnight, 0m);
        await store.AddAsync(reads, default);
        await store.CopyFrozenAsync(reads.Select(r => (oldArea, r)), default);

        IReadOnlyList<StoredRegister> answer = (await store.AtManyAsync([new RegistersAt(newArea, new MeterId(meter), ThreeRegisters, Midnight)], 4, default))[0];

        Assert.Equal(reads.Select(r => r.Reading), answer.Select(r => r.Reading));
    }

    [Fact]
    public async Task AtMany_NotAtMidnightOrNothingWanted_AnswersAsItsPartitionDoes()
    {
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), meter = NewMeter();
        DateTimeOffset noon = Midnight.AddHours(12);
        RegisterStore store = Store();
        StoredRegister[] reads = ThreeReads(meter, noon, 0m);
        await store.AddAsync(reads, default);
        await store.CopyFrozenAsync(reads.Select(r => (area, r)), default);

        Assert.Empty(await CopiedRowsAsync(area, ChinaTime.LocalDay(noon))); // only midnight reads are copied
        RegistersAt[] requests = [new(area, new MeterId(meter), ThreeRegisters, noon), new(area, new MeterId(meter), [], Midnight), new(area, new MeterId(meter), ThreeRegisters, Midnight)];
        IReadOnlyList<StoredRegister>[] answers = await store.AtManyAsync(requests, 4, default);

        Assert.Equal(reads.Select(r => r.Reading), answers[0].Select(r => r.Reading));
        Assert.Empty(answers[1]);
        Assert.Empty(answers[2]); // nothing was read at that midnight
        await AssertAnswersAsAtAsync(store, requests);
    }

    [Fact]
    public async Task CopyFrozen_SameReadsTwice_OneRowPerRegister()
    {
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), meter = NewMeter();
        RegisterStore store = Store();
        StoredRegister[] reads = ThreeReads(meter, Midnight, 0m);
        await store.AddAsync(reads, default);

        await store.CopyFrozenAsync(reads.Select(r => (area, r)), default);
        await store.CopyFrozenAsync([.. reads.Select(r => (area, r)), .. reads.Select(r => (area, r))], default);

        List<TableEntity> rows = await CopiedRowsAsync(area, ChinaTime.LocalDay(Midnight));
        Assert.Equal(
            ThreeRegisters.Select(r => MeterDataKeys.FrozenRow(meter, r.Channel, r.Band)).Order(StringComparer.Ordinal),
            rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CopyFrozen_MoreReadsThanOneTransactionHolds_CopiesEveryRead()
    {
        // 80 meters × 3 registers at one midnight of one area: 240 rows, three entity-group transactions of at most 100.
        string area = "TRS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        string[] meters = [.. Enumerable.Range(0, 80).Select(_ => NewMeter())];
        RegisterStore store = Store();
        StoredRegister[] reads = [.. meters.SelectMany((meter, m) => ThreeReads(meter, Midnight, m))];
        await AddByMeterAsync(store, reads);

        await store.CopyFrozenAsync(reads.Select(r => (area, r)), default);

        Assert.Equal(reads.Length, (await CopiedRowsAsync(area, ChinaTime.LocalDay(Midnight))).Count);
        RegistersAt[] requests = [.. meters.Select(meter => new RegistersAt(area, new MeterId(meter), ThreeRegisters, Midnight))];
        IReadOnlyList<StoredRegister>[] answers = await store.AtManyAsync(requests, 4, default);
        Assert.Equal(reads.Select(r => r.Reading).OrderBy(r => r.Meter.Value, StringComparer.Ordinal).ThenBy(r => r.Channel).ThenBy(r => r.Band),
            answers.SelectMany(a => a).Select(r => r.Reading).OrderBy(r => r.Meter.Value, StringComparer.Ordinal).ThenBy(r => r.Channel).ThenBy(r => r.Band));
    }

    [Fact]
    public async Task NeighboursMany_DailyMonthlyNewBackFilledAndScatteredMeters_AnswerAsEachMetersOwnQuery()
    {
        RegisterStore store = Store();
        string prefix = NewMeter();
        string daily = prefix + "A", monthly = prefix + "B", fresh = prefix + "C", backFilled = prefix + "D", oneRegister = prefix + "E", scattered = prefix + "Z";
        string between = prefix + "BB";
        List<StoredRegister> stored = [];
        // Daily: the six midnights before the delivery; its previous reads are the day before.
        stored.AddRange(Enumerable.Range(1, 6).SelectMany(d => ThreeReads(daily, Midnight.AddDays(-d), -d)));
        // Monthly: 60 and 30 days before; beyond the first, recent look.
        stored.AddRange([.. ThreeReads(monthly, Midnight.AddDays(-60), -60), .. ThreeReads(monthly, Midnight.AddDays(-30), -30)]);
        // Back-filled: a later read 10 days after the delivery and the previous one 5 days before it.
        stored.AddRange([.. ThreeReads(backFilled, Midnight.AddDays(10), 10), .. ThreeReads(backFilled, Midnight.AddDays(-5), -5)]);
        stored.AddRange(Enumerable.Range(1, 4).SelectMany(d => ThreeReads(oneRegister, Midnight.AddDays(-d), -d)));
        stored.AddRange(Enumerable.Range(1, 2).SelectMany(d => ThreeReads(scattered, Midnight.AddDays(-d), -d)));
        // A meter not delivered, between the monthly and the back-filled one in key order, with more rows than the whole-lookback
        // range read of those two may pass over: the back-filled one is then read by a query of its own.
        stored.AddRange(Enumerable.Range(1, 40).SelectMany(d => ThreeReads(between, Midnight.AddDays(-d), -d)));
        await AddByMeterAsync(store, stored);

        (MeterId Meter, IReadOnlyList<RegisterReading> Delivered)[] deliveries =
        [
            .. new[] { daily, monthly, fresh, backFilled, scattered }.Select(m => (new MeterId(m), (IReadOnlyList<RegisterReading>)[.. ThreeReads(m, Midnight, 0).Select(r => r.Reading)])),
            (new MeterId(oneRegister), [Read(oneRegister, MeterChannel.ActiveImport, RegisterBand.Total, Midnight, 100m).Reading]),
        ];

        IReadOnlyDictionary<string, IReadOnlyList<StoredRegister>> many = await store.NeighboursManyAsync(deliveries, default);

        foreach ((MeterId meter, IReadOnlyList<RegisterReading> delivered) in deliveries)
        {
            IReadOnlyList<StoredRegister> own = await store.NeighboursAsync(meter, delivered, default);
            Assert.Equal(own.Select(r => r.Reading), many[MeterDataKeys.RegisterPartition(meter.Value)].Select(r => r.Reading));
        }

        Assert.Equal(3, many[MeterDataKeys.RegisterPartition(daily)].Count);
        Assert.All(many[MeterDataKeys.RegisterPartition(daily)], r => Assert.Equal(Midnight.AddDays(-1), r.Reading.ReadAt));
        Assert.All(many[MeterDataKeys.RegisterPartition(monthly)], r => Assert.Equal(Midnight.AddDays(-30), r.Reading.ReadAt));
        Assert.Empty(many[MeterDataKeys.RegisterPartition(fresh)]);
        Assert.Equal([Midnight.AddDays(10), Midnight.AddDays(-5)], many[MeterDataKeys.RegisterPartition(backFilled)].Select(r => r.Reading.ReadAt).Distinct());
        Assert.Equal([RegisterBand.Total], many[MeterDataKeys.RegisterPartition(oneRegister)].Select(r => r.Reading.Band).Distinct());
        Assert.Equal(3, many[MeterDataKeys.RegisterPartition(scattered)].Count);
    }
}
