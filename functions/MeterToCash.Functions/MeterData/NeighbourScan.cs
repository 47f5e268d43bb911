using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// What one meter's delivery is validated against, gathered from its partition's rows offered newest first: every read
/// from <see cref="RegisterStore.NextLookahead"/> after the latest delivered read down to the first read before each
/// delivered register's earliest read, within <see cref="RegisterStore.PreviousLookback"/>. The one rule
/// <see cref="RegisterStore.NeighboursAsync"/> (a query of the partition) and <see cref="RegisterStore.NeighboursManyAsync"/>
/// (range reads over many partitions) both apply, so the two answer the same.
/// </summary>
internal sealed class NeighbourScan
{
    readonly Dictionary<string, DateTimeOffset> earliest = new(StringComparer.Ordinal);
    readonly HashSet<string> waiting;
    readonly DateTimeOffset first = DateTimeOffset.MaxValue;

    public NeighbourScan(MeterId meter, IReadOnlyList<RegisterReading> delivered)
    {
        DateTimeOffset latest = DateTimeOffset.MinValue;
        foreach (RegisterReading r in delivered)
        {
            string code = MeterDataKeys.RegisterCode(r.Channel, r.Band);
            earliest[code] = earliest.TryGetValue(code, out DateTimeOffset e) && e < r.ReadAt ? e : r.ReadAt;
            latest = r.ReadAt > latest ? r.ReadAt : latest;
            first = r.ReadAt < first ? r.ReadAt : first;
        }

        waiting = new(earliest.Keys, StringComparer.Ordinal);
        Meter = meter;
        Delivered = delivered;
        PartitionKey = MeterDataKeys.RegisterPartition(meter.Value);
        From = MeterDataKeys.RegisterTime(RegisterStore.Clamp(latest, RegisterStore.NextLookahead));
        To = ToWithin(RegisterStore.PreviousLookback);
    }

    /// <summary>The meter, as the archive numbers it.</summary>
    public MeterId Meter { get; }

    /// <summary>The meter's delivered reads the scan looks for neighbours of.</summary>
    public IReadOnlyList<RegisterReading> Delivered { get; }

    /// <summary>No register delivered: nothing to look for.</summary>
    public bool IsEmpty => earliest.Count == 0;

    public string PartitionKey { get; }

    /// <summary>Lowest RowKey looked at (the latest instant: keys run newest first).</summary>
    public string From { get; }

    /// <summary>Highest RowKey looked at, inclusive: every register at the instant <see cref="RegisterStore.PreviousLookback"/> before the earliest delivered read.</summary>
    public string To { get; }

    /// <summary>The reads gathered so far, newest first.</summary>
    public List<StoredRegister> Found { get; } = [];

    /// <summary>The highest RowKey, inclusive, of a look <paramref name="lookback"/> (at most <see cref="RegisterStore.PreviousLookback"/>) before the earliest delivered read.</summary>
    public string ToWithin(TimeSpan lookback) =>
        MeterDataKeys.RegisterTime(RegisterStore.Clamp(first, -(lookback < RegisterStore.PreviousLookback ? lookback : RegisterStore.PreviousLookback))) + "~~";

    /// <summary>Whether a row of the partition lies in the span looked at.</summary>
    public bool Covers(string rowKey) => string.CompareOrdinal(rowKey, From) >= 0 && string.CompareOrdinal(rowKey, To) <= 0;

    /// <summary>Takes the next row (newest first); true once every delivered register has its previous read, when the scan is done.</summary>
    public bool Offer(TableEntity row)
    {
        if (RegisterStore.FromEntity(row) is not { } stored)
        {
            return false;
        }

        string code = MeterDataKeys.RegisterCode(stored.Reading.Channel, stored.Reading.Band);
        if (!earliest.TryGetValue(code, out DateTimeOffset needBefore))
        {
            return false;
        }

        Found.Add(stored);
        return stored.Reading.ReadAt < needBefore && waiting.Remove(code) && waiting.Count == 0;
    }
}
