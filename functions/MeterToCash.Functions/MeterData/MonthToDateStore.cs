using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// The band classifier used while no tariff schedule is wired to ingestion: Shanghai-style two-band residential
/// time-of-use, peak 06:00–22:00 and valley 22:00–06:00 China time, by slot start.
/// </summary>
public static class DefaultTouClassifier
{
    public const string Description = "peak 06:00-22:00, valley 22:00-06:00 (China time, by interval start)";

    public static TouBand Classify(DateTimeOffset slotStartUtc) =>
        ChinaTime.MinuteOfDay(slotStartUtc) is >= 6 * 60 and < 22 * 60 ? TouBand.Peak : TouBand.Valley;
}

/// <summary>One day's contribution to a month's totals, with the curve revision it was computed from.</summary>
public sealed record DayContribution(DateOnly Day, long Revision, TouEnergy Energy, TouEnergy Estimated);

/// <summary>Month-to-date energy per band of one (meter, channel, month), as stored.</summary>
public sealed record StoredMonthToDate(MonthToDate Totals, IReadOnlyList<DayContribution> Days);

/// <summary>
/// Month-to-date totals per TOU band, kept as day blocks: one entity per area, channel and day holds every meter's band
/// totals of that day (computed with <see cref="MonthToDateAccumulator"/> from the stored curve) with the curve
/// revision each came from. A meter's month is the sum of its entries in the month's (at most 31) blocks, one range
/// query; billing reads an area's whole month with the same query. An update replaces a meter's day entry only with
/// one from a later curve revision, so redeliveries add nothing, a late or concurrent writer carrying an older curve
/// cannot roll a day back, and a crash between the curve write and this one is repaired by the next delivery of the same
/// data (which re-derives the day from the stored curve).
/// </summary>
/// <remarks>
/// Why blocks and not one entity per meter: a head-end delivers an area-day, so its totals change one block: one point
/// read and one ETag-conditional write per delivery, instead of a range query and a transaction over a hundred
/// per-meter entities whose size grows with the month. On Azurite that halved the storage work of a delivery (see
/// docs/benchmarks.md). Keys and limits: <see cref="MeterDataKeys"/>.
/// </remarks>
public sealed class MonthToDateStore(MeterDataStorage storage)
{
    const int MaxAttempts = 10;

    // Azure Tables: a binary property holds at most 64 KiB and an entity at most 1 MiB (252 properties).
    const int ChunkBytes = 60_000, MaxChunks = 16;

    /// <summary>A meter's month; the area is the meter's transformer area (from the <see cref="MeterDirectory"/>). Null when no day has data.</summary>
    public async Task<StoredMonthToDate?> GetAsync(string areaCode, MeterId meter, MeterChannel channel, int year, int month, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        string key = MeterDataKeys.Meter(meter.Value);
        List<DayContribution> days = [];
        await foreach (TableEntity block in QueryBlocksAsync(areaCode, channel, year, month, cancellationToken))
        {
            if (Decode(block).TryGetValue(key, out DayContribution? day))
            {
                days.Add(day);
            }
        }

        if (days.Count == 0)
        {
            return null;
        }

        TouEnergy energy = default, estimated = default;
        foreach (DayContribution d in days)
        {
            energy = Sum(energy, d.Energy);
            estimated = Sum(estimated, d.Estimated);
        }

        return new StoredMonthToDate(new MonthToDate(meter, channel, year, month, energy, estimated), [.. days.OrderBy(d => d.Day)]);
    }

    /// <summary>
    /// Reads the day blocks of these curves (one point read per area, channel and day) and says which curves they list,
    /// i.e. were stored and counted. A curve not listed was never written, or its delivery died between the curve write
    /// and this store's write; the pipeline reads only the listed ones and creates the others conditionally, so a wrong
    /// "not listed" ends in a 409 and a re-read, never in an overwrite. The blocks read are handed back to
    /// <see cref="ApplyAsync"/>, which then starts from them instead of reading them again.
    /// </summary>
    public async Task<DayBlocks> ReadBlocksAsync(IReadOnlyCollection<CurveKey> keys, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        DayBlocks read = new();
        var blocks = keys
            .GroupBy(k => (Pk: MeterDataKeys.MonthToDatePartition(k.AreaCode, k.Day.Year, k.Day.Month), Rk: MeterDataKeys.DayTotalsRow(k.Channel, k.Day)))
            .ToList();
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (block, ct) =>
        {
            StoredBlock stored = await ReadBlockAsync(block.Key.Pk, block.Key.Rk, ct);
            read.Add(block.Key.Pk, block.Key.Rk, stored, block.Where(k => stored.Entries.ContainsKey(MeterDataKeys.Meter(k.Meter.Value))));
        });
        return read;
    }

    /// <summary>
    /// Brings the day blocks of one area and month up to date with the given stored curves (any meters and channels of
    /// that area, days of that month). Each block is read, merged and written conditionally on its ETag; a block that
    /// loses a race (409/412) is re-read and re-merged, so concurrent deliveries lose nothing. A block that would not
    /// change is not written, so a redelivery leaves every ETag as it was.
    /// </summary>
    /// <param name="areaCode">The area.</param>
    /// <param name="year">Year of the month.</param>
    /// <param name="month">Month, 1–12.</param>
    /// <param name="curves">Stored curves of that area and month.</param>
    /// <param name="known">Blocks read earlier by <see cref="ReadBlocksAsync"/>: the first attempt starts from them (a stale one fails its ETag and is read again). Consumed.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task ApplyAsync(string areaCode, int year, int month, IReadOnlyList<StoredCurve> curves, DayBlocks? known, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync();
        string pk = MeterDataKeys.MonthToDatePartition(areaCode, year, month);
        var blocks = curves
            .GroupBy(c => MeterDataKeys.DayTotalsRow(c.Curve.Channel, c.Curve.Day))
            .Select(g => (RowKey: g.Key, Incoming: g.Select(c => (Meter: MeterDataKeys.Meter(c.Curve.Meter.Value), Day: Contribution(c, year, month))).ToList()))
            .ToList();
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (block, ct) => await ApplyBlockAsync(pk, block.RowKey, block.Incoming, known?.Take(pk, block.RowKey), ct));
    }

    async Task ApplyBlockAsync(string pk, string rk, List<(string Meter, DayContribution Day)> incoming, StoredBlock? known, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            StoredBlock block = attempt == 1 && known is not null ? known : await ReadBlockAsync(pk, rk, cancellationToken);
            SortedDictionary<string, DayContribution> entries = block.Entries;
            bool changed = false;
            foreach ((string meter, DayContribution day) in incoming)
            {
                if (!entries.TryGetValue(meter, out DayContribution? counted) || (day.Revision > counted.Revision && day != counted))
                {
                    entries[meter] = day;
                    changed = true;
                }
            }

            if (!changed)
            {
                return;
            }

            TableEntity entity = Encode(pk, rk, entries);
            try
            {
                if (block.ETag is { } etag)
                {
                    await storage.MonthToDate.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await storage.MonthToDate.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another delivery of this area-day changed the block since we read it: re-read and merge again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    async Task<StoredBlock> ReadBlockAsync(string pk, string rk, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> stored = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return stored.HasValue ? new StoredBlock(Decode(stored.Value!), stored.Value!.ETag) : new StoredBlock(new(StringComparer.Ordinal), null);
    }

    IAsyncEnumerable<TableEntity> QueryBlocksAsync(string areaCode, MeterChannel channel, int year, int month, CancellationToken cancellationToken)
    {
        string pk = MeterDataKeys.MonthToDatePartition(areaCode, year, month);
        string from = MeterDataKeys.DayTotalsRow(channel, new DateOnly(year, month, 1)), to = MeterDataKeys.DayTotalsRow(channel, new DateOnly(year, month, DateTime.DaysInMonth(year, month)));
        return storage.MonthToDate.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {from} and RowKey le {to}"), cancellationToken: cancellationToken);
    }

    static DayContribution Contribution(StoredCurve stored, int year, int month)
    {
        MonthToDate day = MonthToDateAccumulator.Apply(MonthToDate.Empty(stored.Curve.Meter, stored.Curve.Channel, year, month), null, stored.Curve, DefaultTouClassifier.Classify);
        return new DayContribution(stored.Curve.Day, stored.Revision, day.Energy, day.EstimatedEnergy);
    }

    /// <summary>
    /// A block: per meter (ordinal order) its key, the curve revision and eight decimals (energy then estimated, critical
    /// peak to valley), in binary. Decimals keep every digit (Azure Tables has no decimal type; a double would not add up).
    /// </summary>
    static TableEntity Encode(string pk, string rk, SortedDictionary<string, DayContribution> entries)
    {
        using MemoryStream buffer = new();
        using (BinaryWriter writer = new(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach ((string meter, DayContribution d) in entries)
            {
                writer.Write(meter);
                writer.Write(d.Revision);
                foreach (decimal v in (ReadOnlySpan<decimal>)[d.Energy.CriticalPeak, d.Energy.Peak, d.Energy.Flat, d.Energy.Valley, d.Estimated.CriticalPeak, d.Estimated.Peak, d.Estimated.Flat, d.Estimated.Valley])
                {
                    writer.Write(v);
                }
            }
        }

        byte[] bytes = buffer.ToArray();
        int chunks = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"The day block {pk}/{rk} would hold {entries.Count} meters ({bytes.Length:N0} bytes), more than one entity can; split the transformer area.");
        }

        TableEntity entity = new(pk, rk) { ["Meters"] = entries.Count, ["Chunks"] = chunks };
        for (int c = 0; c < chunks; c++)
        {
            entity["Data" + c.ToString(CultureInfo.InvariantCulture)] = bytes[(c * ChunkBytes)..Math.Min(bytes.Length, (c + 1) * ChunkBytes)];
        }

        return entity;
    }

    static SortedDictionary<string, DayContribution> Decode(TableEntity entity)
    {
        SortedDictionary<string, DayContribution> entries = new(StringComparer.Ordinal);
        int chunks = entity.GetInt32("Chunks") ?? 0;
        using MemoryStream buffer = new();
        for (int c = 0; c < chunks; c++)
        {
            buffer.Write(entity.GetBinary("Data" + c.ToString(CultureInfo.InvariantCulture)));
        }

        DateOnly day = MeterDataKeys.DayOfDayTotalsRow(entity.PartitionKey, entity.RowKey);
        buffer.Position = 0;
        using BinaryReader reader = new(buffer, System.Text.Encoding.UTF8);
        while (buffer.Position < buffer.Length)
        {
            string meter = reader.ReadString();
            long revision = reader.ReadInt64();
            TouEnergy energy = new(reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal());
            TouEnergy estimated = new(reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal());
            entries[meter] = new DayContribution(day, revision, energy, estimated);
        }

        return entries;
    }

    static TouEnergy Sum(TouEnergy a, TouEnergy b) =>
        new(a.CriticalPeak + b.CriticalPeak, a.Peak + b.Peak, a.Flat + b.Flat, a.Valley + b.Valley);
}

/// <summary>A day block as read: its entries by meter key and its ETag (null when it does not exist yet).</summary>
internal sealed record StoredBlock(SortedDictionary<string, DayContribution> Entries, ETag? ETag);

/// <summary>Day blocks read by <see cref="MonthToDateStore.ReadBlocksAsync"/>, and the curves they list.</summary>
public sealed class DayBlocks
{
    readonly Lock gate = new();
    readonly Dictionary<(string Partition, string Row), StoredBlock> blocks = [];
    readonly HashSet<CurveKey> listed = [];

    /// <summary>Whether the blocks list this curve: it was stored and counted. Read once every block is added.</summary>
    public bool Lists(CurveKey key) => listed.Contains(key);

    internal void Add(string partition, string row, StoredBlock block, IEnumerable<CurveKey> listedCurves)
    {
        lock (gate)
        {
            blocks[(partition, row)] = block;
            listed.UnionWith(listedCurves);
        }
    }

    /// <summary>The block as read, once: whoever takes it may change its entries.</summary>
    internal StoredBlock? Take(string partition, string row)
    {
        lock (gate)
        {
            return blocks.Remove((partition, row), out StoredBlock? block) ? block : null;
        }
    }
}
