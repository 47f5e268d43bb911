using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>A day curve as stored, with the ETag that guards its next write and a write counter.</summary>
/// <param name="Curve">The decoded curve.</param>
/// <param name="ETag">Its ETag; null when the curve is not stored yet.</param>
/// <param name="Revision">Number of writes so far (0 when not stored); orders the curve's states for month-to-date.</param>
public sealed record StoredCurve(DayCurve Curve, ETag? ETag, long Revision);

/// <summary>One curve to read: where it is stored and, for an absent one, the interval length of the empty curve.</summary>
public readonly record struct CurveKey(string AreaCode, MeterId Meter, MeterChannel Channel, DateOnly Day, int IntervalMinutes);

/// <summary>Updates for one stored curve.</summary>
/// <param name="AreaCode">Area of the meter (partition).</param>
/// <param name="Known">The curve as read for validation; the first write attempt starts from it.</param>
/// <param name="Updates">Values to merge, in delivery order.</param>
public sealed record CurveChange(string AreaCode, StoredCurve Known, CurveUpdate[] Updates);

/// <summary>The result of merging one <see cref="CurveChange"/>.</summary>
/// <param name="Change">The change.</param>
/// <param name="After">The curve as stored after the merge (also when nothing changed), or null when the stored curve is unreadable.</param>
/// <param name="Outcomes">One outcome per update.</param>
public sealed record CurveWrite(CurveChange Change, StoredCurve? After, MergeOutcome[] Outcomes);

/// <summary>The stored curve could not be decoded; its values are quarantined rather than overwritten.</summary>
public sealed class UnreadableCurveException(string partition, string row)
    : Exception($"Stored curve {partition}/{row} cannot be decoded.");

/// <summary>Reads and writes packed day curves (keys: <see cref="MeterDataKeys"/>).</summary>
public sealed class CurveStore(MeterDataStorage storage)
{
    const int MaxAttempts = 10;

    /// <summary>Reads one curve; an absent curve is an empty one with no ETag.</summary>
    /// <exception cref="UnreadableCurveException">The stored bytes are not a valid curve.</exception>
    public async Task<StoredCurve> GetAsync(string areaCode, MeterId meter, MeterChannel channel, DateOnly day, int intervalMinutes, CancellationToken cancellationToken)
    {
        string pk = MeterDataKeys.CurvePartition(areaCode, day), rk = MeterDataKeys.CurveRow(meter.Value, channel);
        NullableResponse<TableEntity>? response = null;
        try
        {
            response = await storage.Curves(day).GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (MeterDataStorage.IsMissingTable(e))
        {
            // No curve was ever written for that day.
        }

        return response is { HasValue: true }
            ? Decode(response.Value!, meter, channel, day)
            : new StoredCurve(DayCurve.Empty(meter, channel, day, intervalMinutes), null, 0);
    }

    /// <summary>
    /// Reads many curves; the answer maps each key to its stored curve (an empty one when absent) or null when the stored
    /// bytes are unreadable. A delivery is mostly an area-day, so its curves share a partition: they are read with one
    /// RowKey-range query per 100 rows instead of one point read each.
    /// </summary>
    /// <param name="keys">The curves.</param>
    /// <param name="mayBeStored">
    /// When given, keys it rejects are taken as absent without a read: the caller knows they were never written, and
    /// <see cref="MergeAsync"/> creates them with Add, which fails (and re-reads) if one was written after all.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<IReadOnlyDictionary<CurveKey, StoredCurve?>> GetManyAsync(IReadOnlyCollection<CurveKey> keys, Func<CurveKey, bool>? mayBeStored, CancellationToken cancellationToken)
    {
        ConcurrentDictionary<CurveKey, StoredCurve?> found = new();
        if (mayBeStored is not null)
        {
            foreach (CurveKey key in keys.Where(k => !mayBeStored(k)))
            {
                found[key] = Absent(key);
            }
        }

        IEnumerable<CurveKey[]> chunks = keys
            .Where(k => !found.ContainsKey(k))
            .GroupBy(k => MeterDataKeys.CurvePartition(k.AreaCode, k.Day), StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(k => MeterDataKeys.CurveRow(k.Meter.Value, k.Channel), StringComparer.Ordinal).Chunk(100));
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            if (chunk.Length <= 2)
            {
                // A range query costs about what a point read does; for one or two rows point reads read nothing extra.
                foreach (CurveKey key in chunk)
                {
                    found[key] = await TryGetAsync(key, ct);
                }

                return;
            }

            string pk = MeterDataKeys.CurvePartition(chunk[0].AreaCode, chunk[0].Day);
            Dictionary<string, CurveKey> wanted = chunk.ToDictionary(k => MeterDataKeys.CurveRow(k.Meter.Value, k.Channel), StringComparer.Ordinal);
            string first = MeterDataKeys.CurveRow(chunk[0].Meter.Value, chunk[0].Channel), last = MeterDataKeys.CurveRow(chunk[^1].Meter.Value, chunk[^1].Channel);
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {first} and RowKey le {last}");
            await foreach (TableEntity e in QueryDayAsync(chunk[0].Day, filter, null, ct))
            {
                if (wanted.Remove(e.RowKey, out CurveKey key))
                {
                    found[key] = TryDecode(e, key.Meter, key.Channel, key.Day, out StoredCurve? curve) ? curve : null;
                }
            }

            foreach (CurveKey absent in wanted.Values)
            {
                found[absent] = Absent(absent);
            }
        });
        return found;
    }

    static StoredCurve Absent(CurveKey key) => new(DayCurve.Empty(key.Meter, key.Channel, key.Day, key.IntervalMinutes), null, 0);

    async Task<StoredCurve?> TryGetAsync(CurveKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(key.AreaCode, key.Meter, key.Channel, key.Day, key.IntervalMinutes, cancellationToken);
        }
        catch (UnreadableCurveException)
        {
            return null;
        }
    }

    /// <summary>All curves of an area's day (one partition query).</summary>
    public async Task<IReadOnlyList<StoredCurve>> ListAreaDayAsync(string areaCode, DateOnly day, CancellationToken cancellationToken)
    {
        string pk = MeterDataKeys.CurvePartition(areaCode, day);
        List<StoredCurve> curves = [];
        await foreach (TableEntity e in QueryDayAsync(day, TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), null, cancellationToken))
        {
            if (MeterId.TryParse(e.GetString("Meter"), out MeterId meter) && MeterDataKeys.TryCurveRowChannel(e.RowKey, out MeterChannel channel))
            {
                curves.Add(Decode(e, meter, channel, day));
            }
        }

        return curves;
    }

    /// <summary>
    /// When each meter's curves of an area's days were last written (the table's own Timestamp, i.e. the storage clock),
    /// by meter key: the arrival of its latest new data. Reads keys and timestamps only. A redelivery of data already
    /// stored writes nothing, so it does not count as an arrival; a live meter adds a new interval every period.
    /// </summary>
    public async Task<Dictionary<string, DateTimeOffset>> LastWrittenAsync(string areaCode, IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        Dictionary<string, DateTimeOffset> latest = new(StringComparer.Ordinal);
        foreach (DateOnly day in days)
        {
            string pk = MeterDataKeys.CurvePartition(areaCode, day);
            await foreach (TableEntity e in QueryDayAsync(day, TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), ["Meter", "Timestamp"], cancellationToken))
            {
                if (e.GetString("Meter") is { } meter && e.Timestamp is { } written)
                {
                    string key = MeterDataKeys.Meter(meter);
                    if (!latest.TryGetValue(key, out DateTimeOffset known) || written > known)
                    {
                        latest[key] = written;
                    }
                }
            }
        }

        return latest;
    }

    /// <summary>
    /// Merges every change into its stored curve. Curves of one partition are written in entity-group transactions of at
    /// most 100, each entity conditional on its ETag (or created with Add); when another writer got there first (412/409)
    /// the chunk is re-read, re-merged and written again, so concurrent deliveries never lose values. Curves the merge
    /// did not change are not written at all, so a redelivery leaves every ETag as it was.
    /// </summary>
    public async Task<IReadOnlyList<CurveWrite>> MergeAsync(IReadOnlyList<CurveChange> changes, CancellationToken cancellationToken)
    {
        ConcurrentBag<CurveWrite> results = [];
        IEnumerable<CurveChange[]> chunks = changes
            .GroupBy(c => MeterDataKeys.CurvePartition(c.AreaCode, c.Known.Curve.Day))
            .SelectMany(g => g.Chunk(100));
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            foreach (CurveWrite write in await MergeChunkAsync(chunk, ct))
            {
                results.Add(write);
            }
        });
        return [.. results];
    }

    async Task<CurveWrite[]> MergeChunkAsync(CurveChange[] chunk, CancellationToken cancellationToken)
    {
        StoredCurve?[] current = chunk.Select(c => (StoredCurve?)c.Known).ToArray();
        for (int attempt = 1; ; attempt++)
        {
            var writes = new CurveWrite[chunk.Length];
            List<TableTransactionAction> actions = [];
            for (int i = 0; i < chunk.Length; i++)
            {
                CurveChange change = chunk[i];
                if (current[i] is not { } stored)
                {
                    writes[i] = new CurveWrite(change, null, Enumerable.Repeat(MergeOutcome.Invalid, change.Updates.Length).ToArray());
                    continue;
                }

                var outcomes = new MergeOutcome[change.Updates.Length];
                DayCurve merged = stored.Curve.Merge(change.Updates, outcomes);
                if (ReferenceEquals(merged, stored.Curve))
                {
                    writes[i] = new CurveWrite(change, stored, outcomes);
                    continue;
                }

                long revision = stored.Revision + 1;
                TableEntity entity = ToEntity(change.AreaCode, merged, revision);
                actions.Add(stored.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
                writes[i] = new CurveWrite(change, new StoredCurve(merged, null, revision), outcomes);
            }

            if (actions.Count == 0)
            {
                return writes;
            }

            try
            {
                DateOnly day = chunk[0].Known.Curve.Day;
                await storage.EnsureCurvesTableAsync(day);
                await storage.Curves(day).SubmitTransactionAsync(actions, cancellationToken);
                return writes;
            }
            catch (RequestFailedException e) when (MeterDataStorage.IsMissingTable(e) && attempt < MaxAttempts)
            {
                // The day's table was dropped (retention on another instance) after this process created it: create it again.
                storage.ForgetCurvesTable(chunk[0].Known.Curve.Day);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another delivery wrote one of these curves since we read it: start again from what is stored now.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
                current = await Task.WhenAll(chunk.Select(c => TryGetAsync(c, cancellationToken)));
            }
        }
    }

    /// <summary>A query of one day's table; a day whose table was never created has no curves.</summary>
    async IAsyncEnumerable<TableEntity> QueryDayAsync(DateOnly day, string filter, IEnumerable<string>? select, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using IAsyncEnumerator<TableEntity> page = storage.Curves(day).QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await page.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (MeterDataStorage.IsMissingTable(e))
            {
                yield break;
            }

            yield return page.Current;
        }
    }

    async Task<StoredCurve?> TryGetAsync(CurveChange change, CancellationToken cancellationToken)
    {
        DayCurve known = change.Known.Curve;
        try
        {
            return await GetAsync(change.AreaCode, known.Meter, known.Channel, known.Day, known.IntervalMinutes, cancellationToken);
        }
        catch (UnreadableCurveException)
        {
            return null;
        }
    }

    static StoredCurve Decode(TableEntity e, MeterId meter, MeterChannel channel, DateOnly day) =>
        TryDecode(e, meter, channel, day, out StoredCurve? stored) ? stored! : throw new UnreadableCurveException(e.PartitionKey, e.RowKey);

    static bool TryDecode(TableEntity e, MeterId meter, MeterChannel channel, DateOnly day, out StoredCurve? stored)
    {
        byte[]? data = e.GetBinary("Curve");
        if (data is null || !DayCurve.TryDecode(meter, channel, day, data, out DayCurve? curve))
        {
            stored = null;
            return false;
        }

        stored = new StoredCurve(curve!, e.ETag, e.TryGetValue("Revision", out object? revision) ? revision switch { int i => i, long l => l, _ => 1 } : 1);
        return true;
    }

    /// <remarks>
    /// Only what is read back: the day is the table and partition, the channel ends the row key, the interval length is
    /// inside the encoded curve, and the meter keeps its own spelling (the row key is upper-cased). The storage service
    /// parses and stores every property of every entity (on Azurite, property parsing was an eighth of its CPU in
    /// ingestion); the Day, IntervalMinutes and Channel columns of entities written until 2026-12 are ignored. The revision
    /// is an Int32 while it fits (a curve is written a few times a day): an Int64 travels as a string with a type
    /// annotation, one more property per entity to send and parse. Entities written until 2026-12 hold an Int64; both read.
    /// </remarks>
    static TableEntity ToEntity(string areaCode, DayCurve curve, long revision) =>
        new(MeterDataKeys.CurvePartition(areaCode, curve.Day), MeterDataKeys.CurveRow(curve.Meter.Value, curve.Channel))
        {
            ["Curve"] = curve.Encode(),
            ["Meter"] = curve.Meter.Value,
            ["Revision"] = revision <= int.MaxValue ? (object)(int)revision : revision,
        };
}
