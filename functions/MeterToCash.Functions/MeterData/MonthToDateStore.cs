using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// The band classifier of a day no tariff governs (a meter with no tariff assigned that day, or a tariff with no version
/// in force): two bands, peak 06:00–22:00 and valley 22:00–06:00 China time, by slot start.
/// </summary>
public static class DefaultTouClassifier
{
    public const string Description = "peak 06:00-22:00, valley 22:00-06:00 (China time, by interval start)";

    public static TouBand Classify(DateTimeOffset slotStartUtc) =>
        ChinaTime.MinuteOfDay(slotStartUtc) is >= 6 * 60 and < 22 * 60 ? TouBand.Peak : TouBand.Valley;
}

/// <summary>One day's contribution to a month's totals, with the curve revision and the banding it was computed with.</summary>
/// <param name="Day">China-local day.</param>
/// <param name="Revision">Write revision of the stored curve the totals were derived from.</param>
/// <param name="Energy">Energy per band, primary side, in the channel's unit.</param>
/// <param name="Estimated">The estimated part of <paramref name="Energy"/>.</param>
/// <param name="Banding">The banding's key (<see cref="MeterDayBanding.Key"/>).</param>
/// <param name="Provisional">True when the banding used the plain weekday/weekend rule for want of a published calendar.</param>
/// <param name="EmptySlots">Slots of the day's curve holding no value (a gap neither delivered nor estimated): billing holds a bill over an incomplete day instead of reading it as zero.</param>
public sealed record DayContribution(DateOnly Day, long Revision, TouEnergy Energy, TouEnergy Estimated, string Banding, bool Provisional, int EmptySlots);

/// <summary>Which stored day entries a write may replace.</summary>
public enum DayTotalsWrite
{
    /// <summary>Ingestion: only an entry derived from an older curve revision (redeliveries and stale writers change nothing).</summary>
    Ingest,

    /// <summary>Recomputation after a tariff or calendar change: any entry of the same or an older revision that differs.</summary>
    Recompute,
}

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
/// <para>
/// Bands follow each meter's own tariff (<see cref="TouBandings"/>): the version in force that day and the calendar's
/// day type; each entry keeps the banding's key. When a tariff version or a calendar changes for past days,
/// <see cref="DayTotalsWrite.Recompute"/> re-derives the entries from the same curves with the new banding.
/// </para>
/// </summary>
/// <remarks>
/// Why blocks and not one entity per meter: a head-end delivers an area-day, so its totals change one block: one point
/// read and one ETag-conditional write per delivery, instead of a range query and a transaction over a hundred
/// per-meter entities whose size grows with the month. On Azurite that halved the storage work of a delivery (see
/// docs/benchmarks.md). Keys and limits: <see cref="MeterDataKeys"/>.
/// </remarks>
public sealed class MonthToDateStore(MeterDataStorage storage, MeterDirectory directory, TouBandings bandings)
{
    const int MaxAttempts = 10;

    // Azure Tables: a binary property holds at most 64 KiB and an entity at most 1 MiB (252 properties).
    const int ChunkBytes = 60_000, MaxChunks = 16;

    /// <summary>Block layout with each entry's banding (key and provisional mark); blocks without a Format column predate bandings.</summary>
    const int Format = 2;

    /// <summary>
    /// Partition of the provisional markers: one row per year (RowKey <c>yyyy</c>) that has entries banded without a
    /// published calendar, written before the first such entry. A calendar's first publish recomputes only a year
    /// that has one; the table's day-block partitions are <c>{area}-{yyyyMM}</c>, so the keys cannot meet.
    /// </summary>
    const string ProvisionalPartition = "~provisional";

    readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Task>> provisionalMarked = new();

    /// <summary>A meter's month; the area is the meter's transformer area (from the <see cref="MeterDirectory"/>). Null when no day has data.</summary>
    public async Task<StoredMonthToDate?> GetAsync(string areaCode, MeterId meter, MeterChannel channel, int year, int month, CancellationToken cancellationToken)
    {
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

    /// <summary>Whether any entry of <paramref name="year"/> was banded provisionally (without a published calendar).</summary>
    public async Task<bool> HasProvisionalAsync(int year, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> marker = await storage.MonthToDate.GetEntityIfExistsAsync<TableEntity>(
            ProvisionalPartition, year.ToString("D4", CultureInfo.InvariantCulture), ["RowKey"], cancellationToken);
        return marker.HasValue;
    }

    /// <summary>Writes the year's provisional marker once per process (an upsert: idempotent across instances).</summary>
    Task MarkProvisionalAsync(int year, CancellationToken cancellationToken) =>
        provisionalMarked.GetOrAdd(year, y => new Lazy<Task>(async () =>
        {
            try
            {
                await storage.MonthToDate.UpsertEntityAsync(new TableEntity(ProvisionalPartition, y.ToString("D4", CultureInfo.InvariantCulture)), TableUpdateMode.Replace, CancellationToken.None);
            }
            catch
            {
                provisionalMarked.TryRemove(y, out _);
                throw;
            }
        })).Value.WaitAsync(cancellationToken);

    /// <summary>Whether an area has any day block in a month (one query of at most one key): recomputations skip empty months.</summary>
    public async Task<bool> HasMonthAsync(string areaCode, int year, int month, CancellationToken cancellationToken)
    {
        string pk = MeterDataKeys.MonthToDatePartition(areaCode, year, month);
        await foreach (Page<TableEntity> page in storage.MonthToDate.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return true;
            }

            if (page.ContinuationToken is null)
            {
                break;
            }
        }

        return false;
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
    /// <param name="mode">Which stored entries may be replaced (<see cref="DayTotalsWrite"/>).</param>
    /// <param name="locations">The curves' meters as the caller resolved them (keyed by <see cref="MeterDataKeys.Meter"/>); null to resolve them here.</param>
    /// <returns>How many meter-day entries changed.</returns>
    public async Task<int> ApplyAsync(string areaCode, int year, int month, IReadOnlyList<StoredCurve> curves, DayBlocks? known, CancellationToken cancellationToken, DayTotalsWrite mode = DayTotalsWrite.Ingest, IReadOnlyDictionary<string, MeterLocation?>? locations = null)
    {
        string pk = MeterDataKeys.MonthToDatePartition(areaCode, year, month);
        locations ??= await directory.ResolveManyAsync(curves.Select(c => c.Curve.Meter.Value), cancellationToken);
        List<(string RowKey, string Meter, DayContribution Day)> contributions = new(curves.Count);
        foreach (StoredCurve curve in curves)
        {
            string meter = MeterDataKeys.Meter(curve.Curve.Meter.Value);
            MeterDayBanding banding = await bandings.ForAsync(locations.GetValueOrDefault(meter), curve.Curve.Day, cancellationToken);
            contributions.Add((MeterDataKeys.DayTotalsRow(curve.Curve.Channel, curve.Curve.Day), meter, Contribution(curve, year, month, banding)));
        }

        if (contributions.Any(c => c.Day.Provisional))
        {
            await MarkProvisionalAsync(year, cancellationToken);
        }

        var blocks = contributions
            .GroupBy(c => c.RowKey, StringComparer.Ordinal)
            .Select(g => (RowKey: g.Key, Incoming: g.Select(c => (c.Meter, c.Day)).ToList()))
            .ToList();
        int changed = 0;
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (block, ct) => Interlocked.Add(ref changed, await ApplyBlockAsync(pk, block.RowKey, block.Incoming, known?.Take(pk, block.RowKey), mode, ct)));
        return changed;
    }

    async Task<int> ApplyBlockAsync(string pk, string rk, List<(string Meter, DayContribution Day)> incoming, StoredBlock? known, DayTotalsWrite mode, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            StoredBlock block = attempt == 1 && known is not null ? known : await ReadBlockAsync(pk, rk, cancellationToken);
            SortedDictionary<string, DayContribution> entries = block.Entries;
            int changed = 0;
            foreach ((string meter, DayContribution day) in incoming)
            {
                if (Replaces(day, entries.GetValueOrDefault(meter), mode))
                {
                    entries[meter] = day;
                    changed++;
                }
            }

            if (changed == 0)
            {
                return 0;
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

                return changed;
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

    /// <summary>
    /// Whether an incoming entry replaces the counted one: a missing entry always; in ingestion only one from a later curve
    /// revision; in a recomputation also one from the same revision that differs (a new banding of the same curve), but
    /// never one from an older revision, so a recomputation racing a delivery cannot roll the day back.
    /// </summary>
    static bool Replaces(DayContribution incoming, DayContribution? counted, DayTotalsWrite mode) =>
        counted is null
        || (incoming != counted && (incoming.Revision > counted.Revision || (mode == DayTotalsWrite.Recompute && incoming.Revision == counted.Revision)));

    static DayContribution Contribution(StoredCurve stored, int year, int month, MeterDayBanding banding)
    {
        MonthToDate day = MonthToDateAccumulator.Apply(MonthToDate.Empty(stored.Curve.Meter, stored.Curve.Channel, year, month), null, stored.Curve, banding.Classify);
        return new DayContribution(stored.Curve.Day, stored.Revision, day.Energy, day.EstimatedEnergy, banding.Key, banding.Provisional, stored.Curve.EmptyCount());
    }

    /// <summary>
    /// A block: per meter (ordinal order) its key, the curve revision, the banding key and provisional mark, the count of
    /// empty slots, and eight
    /// decimals (energy then estimated, critical peak to valley), in binary. Decimals keep every digit (Azure Tables has
    /// no decimal type; a double would not add up).
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
                writer.Write(d.Banding);
                writer.Write(d.Provisional);
                writer.Write((short)d.EmptySlots);
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

        TableEntity entity = new(pk, rk) { ["Format"] = Format, ["Meters"] = entries.Count, ["Chunks"] = chunks };
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
        bool withBanding = entity.GetInt32("Format") >= Format;
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
            string banding = withBanding ? reader.ReadString() : MeterDayBanding.DefaultKey;
            bool provisional = withBanding && reader.ReadBoolean();
            int emptySlots = withBanding ? reader.ReadInt16() : 0;
            TouEnergy energy = new(reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal());
            TouEnergy estimated = new(reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal(), reader.ReadDecimal());
            entries[meter] = new DayContribution(day, revision, energy, estimated, banding, provisional, emptySlots);
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
