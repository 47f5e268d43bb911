using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Vee;

/// <summary>What the daily VEE run did for one area-day (or, summed, for a run).</summary>
/// <param name="Areas">Areas processed.</param>
/// <param name="Series">Meter-channel curves examined.</param>
/// <param name="Estimated">Values estimated and stored (flagged Estimated, with the method).</param>
/// <param name="Unestimated">Gap values no method could fill (no neighbours and no reference days): left empty.</param>
/// <param name="CurvesWritten">Curves changed.</param>
/// <param name="SuddenDrops">Sudden-drop-to-zero observations raised.</param>
/// <param name="ReverseEnergy">Reverse-energy-without-generation observations raised.</param>
/// <param name="SpikeReferences">Series given a spike reference for ingestion (enough trusted values in the window); 0 for an area whose stored references come from a later day.</param>
public sealed record DailyVeeSummary(int Areas, int Series, int Estimated, int Unestimated, int CurvesWritten, int SuddenDrops, int ReverseEnergy, int SpikeReferences)
{
    public static readonly DailyVeeSummary Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    public static DailyVeeSummary operator +(DailyVeeSummary a, DailyVeeSummary b) => new(
        a.Areas + b.Areas, a.Series + b.Series, a.Estimated + b.Estimated, a.Unestimated + b.Unestimated,
        a.CurvesWritten + b.CurvesWritten, a.SuddenDrops + b.SuddenDrops, a.ReverseEnergy + b.ReverseEnergy, a.SpikeReferences + b.SpikeReferences);
}

/// <summary>
/// The end-of-day VEE of one transformer area: estimates the gaps of the day's curves (linear interpolation for short
/// gaps, same-weekday or similar-day profiles for longer ones, <see cref="Estimator"/>), including whole days of meters
/// that reported before and are silent now, so billing gets a complete month-to-date; then the day's consumption
/// alarms (sudden drop to zero, reverse energy at a customer without generation); last the spike references ingestion
/// judges live data by (<see cref="SpikeReference"/> of each series' trusted values over the
/// <see cref="VeeOptions.SpikeReferenceDays"/> days ending with the run's day, <see cref="SpikeReferenceStore"/>).
/// <para>
/// Idempotent: a gap filled once is no longer a gap, merges never overwrite an actual value, and alarms deduplicate; a
/// later actual replaces an estimate through the normal pipeline, which keeps the estimate in the slot's history.
/// </para>
/// <para>
/// Reads: the area's partitions of the day, the day after (right neighbour at midnight) and the profile's reference days
/// (the previous 14 days and the same weekday 3 and 4 weeks back): 17 partition queries per area-day, each one area's
/// curves of one day. The profile days are read only when some gap needs them. The spike-reference window adds the
/// days 2 to 6 before (the day before is read already), 5 queries at most: each day is read once per run, and the
/// sudden-drop baseline of any active-import meter with a day of data reads them anyway.
/// </para>
/// </summary>
public sealed class AreaDayVee(
    CurveStore curves,
    MonthToDateStore monthToDate,
    MeterDirectory directory,
    ArchiveStore archive,
    SpikeReferenceStore spikeReferences,
    AlarmMonitor alarms,
    IOptions<DailyVeeOptions> options,
    ILogger<AreaDayVee> logger)
{
    public async Task<DailyVeeSummary> RunAsync(string area, DateOnly day, DateTimeOffset estimateBefore, CancellationToken cancellationToken)
    {
        DailyVeeOptions o = options.Value;
        EstimationOptions estimation = EstimationOptions.Default;
        HashSet<string> inService = await AreaMeters.InServiceAsync(archive, area, day, cancellationToken);
        Dictionary<DateOnly, Dictionary<(string, MeterChannel), DayCurve>> byDay = [];

        async Task<Dictionary<(string, MeterChannel), DayCurve>> DayAsync(DateOnly d)
        {
            if (!byDay.TryGetValue(d, out var found))
            {
                found = [];
                foreach (StoredCurve stored in await curves.ListAreaDayAsync(area, d, cancellationToken))
                {
                    found[(MeterDataKeys.Meter(stored.Curve.Meter.Value), stored.Curve.Channel)] = stored.Curve;
                }

                byDay[d] = found;
            }

            return found;
        }

        // The day's stored curves with their ETags (the merge is conditional on them).
        Dictionary<(string Meter, MeterChannel Channel), StoredCurve> today = [];
        foreach (StoredCurve stored in await curves.ListAreaDayAsync(area, day, cancellationToken))
        {
            today[(MeterDataKeys.Meter(stored.Curve.Meter.Value), stored.Curve.Channel)] = stored;
        }

        byDay[day] = today.ToDictionary(t => t.Key, t => t.Value.Curve);
        Dictionary<(string, MeterChannel), DayCurve> previous = await DayAsync(day.AddDays(-1));
        Dictionary<(string, MeterChannel), DayCurve> next = await DayAsync(day.AddDays(1));

        // A meter in service that reported yesterday but sent nothing today is a whole-day gap, not "no meter".
        foreach (((string meter, MeterChannel channel), DayCurve before) in previous)
        {
            if (inService.Contains(meter) && !today.ContainsKey((meter, channel)))
            {
                today[(meter, channel)] = new StoredCurve(DayCurve.Empty(before.Meter, channel, day, before.IntervalMinutes), null, 0);
            }
        }

        List<CurveChange> changes = [];
        int estimated = 0, unestimated = 0;
        foreach (((string meter, MeterChannel channel), StoredCurve stored) in today.OrderBy(t => t.Key.Meter, StringComparer.Ordinal).ThenBy(t => t.Key.Channel))
        {
            if (!inService.Contains(meter) || !HasGap(stored.Curve, estimateBefore))
            {
                continue;
            }

            Dictionary<DateOnly, DayCurve> history = [];
            foreach (DateOnly reference in ReferenceDays(day, estimation))
            {
                if ((await DayAsync(reference)).TryGetValue((meter, channel), out DayCurve? curve))
                {
                    history[reference] = curve;
                }
            }

            EstimationResult result = Estimator.EstimateGaps(
                stored.Curve, previous.GetValueOrDefault((meter, channel)), next.GetValueOrDefault((meter, channel)), history, estimateBefore, estimation);
            unestimated += result.Unestimated.Count;
            if (result.Updates.Count > 0)
            {
                changes.Add(new CurveChange(area, stored, [.. result.Updates]));
            }
        }

        IReadOnlyList<CurveWrite> writes = await curves.MergeAsync(changes, cancellationToken);
        List<StoredCurve> changed = [];
        foreach (CurveWrite write in writes)
        {
            estimated += write.Outcomes.Count(x => x is MergeOutcome.Inserted or MergeOutcome.Replaced);
            if (write.After is { } after && write.Outcomes.Any(x => x is MergeOutcome.Inserted or MergeOutcome.Replaced))
            {
                changed.Add(after);
                today[(MeterDataKeys.Meter(after.Curve.Meter.Value), after.Curve.Channel)] = after;
            }
            else if (write.After is null)
            {
                logger.CurveSkipped(MeterDataKeys.CurvePartition(area, day), MeterDataKeys.CurveRow(write.Change.Known.Curve.Meter.Value, write.Change.Known.Curve.Channel));
            }
        }

        if (changed.Count > 0)
        {
            await monthToDate.ApplyAsync(area, day.Year, day.Month, changed, null, cancellationToken);
        }

        (int drops, int reverse) = await ConsumptionAlarmsAsync(area, day, today, inService, DayAsync, cancellationToken);
        int references = await StoreSpikeReferencesAsync(area, day, today, DayAsync, cancellationToken);
        return new DailyVeeSummary(1, today.Count, estimated, unestimated, changed.Count, drops, reverse, references);
    }

    /// <summary>
    /// Stores the spike reference of every series of the area with curves in the window: the run's day as completed
    /// (estimates do not count) and the days before it, <see cref="VeeOptions.SpikeReferenceDays"/> in all. Series with
    /// too few trusted values get none and are not judged for spikes until they have a day of their own (a freshly
    /// installed meter). Nothing is written when the stored references come from a later day.
    /// </summary>
    /// <returns>How many series have a reference, or 0 when the stored ones were newer and kept.</returns>
    async Task<int> StoreSpikeReferencesAsync(
        string area,
        DateOnly day,
        Dictionary<(string Meter, MeterChannel Channel), StoredCurve> today,
        Func<DateOnly, Task<Dictionary<(string, MeterChannel), DayCurve>>> dayAsync,
        CancellationToken cancellationToken)
    {
        VeeOptions vee = VeeOptions.Default;
        Dictionary<(string Meter, MeterChannel Channel), List<DayCurve>> window = [];
        void Add((string, MeterChannel) series, DayCurve curve)
        {
            if (!window.TryGetValue(series, out List<DayCurve>? curves))
            {
                window[series] = curves = [];
            }

            curves.Add(curve);
        }

        foreach (((string, MeterChannel) series, StoredCurve stored) in today)
        {
            Add(series, stored.Curve);
        }

        for (int back = 1; back < vee.SpikeReferenceDays; back++)
        {
            foreach (((string, MeterChannel) series, DayCurve curve) in await dayAsync(day.AddDays(-back)))
            {
                Add(series, curve);
            }
        }

        Dictionary<(string, MeterChannel), SpikeReference> references = [];
        foreach (((string, MeterChannel) series, List<DayCurve> curves) in window)
        {
            if (SpikeReference.FromCurves(curves, vee) is { } reference)
            {
                references[series] = reference;
            }
        }

        bool inForce = await spikeReferences.ReplaceAsync(area, new AreaSpikeReferences(day, references), cancellationToken);
        return inForce ? references.Count : 0;
    }

    async Task<(int Drops, int Reverse)> ConsumptionAlarmsAsync(
        string area,
        DateOnly day,
        Dictionary<(string Meter, MeterChannel Channel), StoredCurve> today,
        HashSet<string> inService,
        Func<DateOnly, Task<Dictionary<(string, MeterChannel), DayCurve>>> dayAsync,
        CancellationToken cancellationToken)
    {
        DailyVeeOptions o = options.Value;
        int drops = 0, reverse = 0;
        foreach (((string meter, MeterChannel channel), StoredCurve stored) in today.Where(t => inService.Contains(t.Key.Meter)))
        {
            if (channel == MeterChannel.ActiveImport && stored.Curve.ActualCount() >= o.SuddenDropIntervals)
            {
                List<DayCurve> baseline = [];
                for (int back = 1; back <= o.SuddenDropBaselineDays; back++)
                {
                    if ((await dayAsync(day.AddDays(-back))).TryGetValue((meter, channel), out DayCurve? reference))
                    {
                        baseline.Add(reference);
                    }
                }

                if (ConsumptionRules.SuddenDropToZeroSince(stored.Curve, baseline, o.SuddenDropIntervals, o.SuddenDropMinimumAverageKwh) is { } since)
                {
                    await alarms.RaiseAsync(area, new AlarmCondition(new AlarmKey(AlarmKind.SuddenDropToZero, stored.Curve.Meter.Value), since, null,
                        $"consumption zero since {since.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm} (China time) after a {o.SuddenDropBaselineDays}-day baseline"), cancellationToken);
                    drops++;
                }
            }

            if (channel == MeterChannel.ActiveExport && await directory.ResolveAsync(meter, cancellationToken) is { } location)
            {
                decimal exported = stored.Curve.Total();
                if (ConsumptionRules.IsReverseEnergyWithoutGeneration(location.Entry, exported))
                {
                    await alarms.RaiseAsync(area, new AlarmCondition(new AlarmKey(AlarmKind.ReverseEnergyWithoutGeneration, stored.Curve.Meter.Value), ChinaTime.DayStart(day), null,
                        $"{exported} kWh exported on {day:yyyy-MM-dd} without generation on record"), cancellationToken);
                    reverse++;
                }
            }
        }

        return (drops, reverse);
    }

    static bool HasGap(DayCurve curve, DateTimeOffset estimateBefore)
    {
        ReadOnlySpan<CurveSlot> slots = curve.Slots;
        for (int s = 0; s < slots.Length; s++)
        {
            if (!slots[s].HasValue && curve.SlotStart(s).AddMinutes(curve.IntervalMinutes) <= estimateBefore)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The days <see cref="Estimator"/> may take a profile from: the same weekday of the previous weeks and the recent days.</summary>
    static IEnumerable<DateOnly> ReferenceDays(DateOnly day, EstimationOptions estimation) =>
        Enumerable.Range(1, estimation.ProfileWeeks).Select(w => day.AddDays(-7 * w))
            .Concat(Enumerable.Range(1, estimation.SimilarDayLookback).Select(d => day.AddDays(-d)))
            .Distinct();
}
