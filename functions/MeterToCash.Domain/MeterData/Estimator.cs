namespace MeterToCash.Domain.MeterData;

/// <summary>Estimation settings.</summary>
public sealed record EstimationOptions
{
    /// <summary>The defaults documented in docs/meter-data.md.</summary>
    public static readonly EstimationOptions Default = new();

    /// <summary>Gaps up to this length (inclusive) are linearly interpolated when both neighbours are actual (default 2 h).</summary>
    public TimeSpan MaxInterpolationGap { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Previous weeks searched for the same weekday (default 4).</summary>
    public int ProfileWeeks { get; init; } = 4;

    /// <summary>Previous days searched for days of the same type when no same weekday has data (default 14).</summary>
    public int SimilarDayLookback { get; init; } = 14;

    /// <summary>
    /// Workday calendar; defaults to Monday–Friday. Pass the State Council holiday calendar (调休) when available.
    /// </summary>
    public Func<DateOnly, bool> IsWorkday { get; init; } = d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Decimals estimates are rounded to, half away from zero (default 3, i.e. 1 Wh).</summary>
    public int Decimals { get; init; } = 3;
}

/// <summary>Estimates for the gaps of one day curve.</summary>
/// <param name="Updates">Estimated values to merge (quality Estimated, rule Gap); merging never overwrites an actual.</param>
/// <param name="Unestimated">Gap slots no method could fill (no neighbours and no reference days).</param>
public sealed record EstimationResult(IReadOnlyList<CurveUpdate> Updates, IReadOnlyList<int> Unestimated);

/// <summary>The estimation step of VEE. Pure and deterministic.</summary>
public static class Estimator
{
    /// <summary>
    /// Finds the gaps of <paramref name="day"/> (empty slots ending at or before <paramref name="estimateBefore"/>)
    /// and estimates them: runs no longer than <see cref="EstimationOptions.MaxInterpolationGap"/> with actual values on both
    /// sides (the neighbours may lie in the adjacent days) are linearly interpolated; every other gap slot gets the
    /// average of the same slot on the same weekday of the previous weeks, or failing that on recent days of the same day type.
    /// </summary>
    /// <param name="day">The curve to complete.</param>
    /// <param name="previousDay">The preceding day's curve of the same series, for the left neighbour at midnight; may be null.</param>
    /// <param name="nextDay">The following day's curve, for the right neighbour; may be null.</param>
    /// <param name="history">Earlier curves of the same series by local day (profile source).</param>
    /// <param name="estimateBefore">Only slots ending at or before this instant (UTC) are gaps; later ones may still arrive.</param>
    /// <param name="options">Settings.</param>
    public static EstimationResult EstimateGaps(
        DayCurve day,
        DayCurve? previousDay,
        DayCurve? nextDay,
        IReadOnlyDictionary<DateOnly, DayCurve> history,
        DateTimeOffset estimateBefore,
        EstimationOptions options)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        ReadOnlySpan<CurveSlot> slots = day.Slots;
        var updates = new List<CurveUpdate>();
        var unestimated = new List<int>();
        int maxInterpolated = (int)(options.MaxInterpolationGap.Ticks / (day.IntervalMinutes * TimeSpan.TicksPerMinute));

        int i = 0;
        while (i < slots.Length)
        {
            if (slots[i].HasValue || day.SlotStart(i).AddMinutes(day.IntervalMinutes) > estimateBefore)
            {
                i++;
                continue;
            }

            int start = i;
            while (i < slots.Length && !slots[i].HasValue && day.SlotStart(i).AddMinutes(day.IntervalMinutes) <= estimateBefore)
            {
                i++;
            }

            int end = i - 1;
            int length = end - start + 1;
            decimal? left = start > 0 ? ActualAt(day, start - 1) : LastActual(previousDay, day.IntervalMinutes);
            decimal? right = end < slots.Length - 1 ? ActualAt(day, end + 1) : FirstActual(nextDay, day.IntervalMinutes);
            if (length <= maxInterpolated && left is { } l && right is { } r)
            {
                for (int k = 1; k <= length; k++)
                {
                    decimal value = l + ((r - l) * k / (length + 1));
                    updates.Add(Estimate(start + k - 1, value, EstimationMethod.LinearInterpolation, options));
                }

                continue;
            }

            for (int s = start; s <= end; s++)
            {
                if (TryProfile(day, s, history, options, out decimal value, out EstimationMethod method))
                {
                    updates.Add(Estimate(s, value, method, options));
                }
                else
                {
                    unestimated.Add(s);
                }
            }
        }

        return new EstimationResult(updates, unestimated);
    }

    private static CurveUpdate Estimate(int slot, decimal value, EstimationMethod method, EstimationOptions options) =>
        new(slot, decimal.Round(value, options.Decimals, MidpointRounding.AwayFromZero), ReadingQuality.Estimated, VeeRules.Gap, method);

    private static decimal? ActualAt(DayCurve curve, int slot)
    {
        CurveSlot s = curve.Slots[slot];
        return s.HasValue && MeterChannels.IsActual(s.Quality) ? s.Value : null;
    }

    private static decimal? LastActual(DayCurve? curve, int interval) =>
        curve is not null && curve.IntervalMinutes == interval ? ActualAt(curve, curve.SlotCount - 1) : null;

    private static decimal? FirstActual(DayCurve? curve, int interval) =>
        curve is not null && curve.IntervalMinutes == interval ? ActualAt(curve, 0) : null;

    private static bool TryProfile(DayCurve day, int slot, IReadOnlyDictionary<DateOnly, DayCurve> history, EstimationOptions options, out decimal value, out EstimationMethod method)
    {
        decimal sum = 0m;
        int count = 0;
        for (int w = 1; w <= options.ProfileWeeks; w++)
        {
            Accumulate(day.Day.AddDays(-7 * w));
        }

        if (count > 0)
        {
            value = sum / count;
            method = EstimationMethod.SameWeekdayProfile;
            return true;
        }

        bool workday = options.IsWorkday(day.Day);
        for (int back = 1; back <= options.SimilarDayLookback; back++)
        {
            DateOnly candidate = day.Day.AddDays(-back);
            if (options.IsWorkday(candidate) == workday)
            {
                Accumulate(candidate);
            }
        }

        value = count > 0 ? sum / count : 0m;
        method = count > 0 ? EstimationMethod.SimilarDayProfile : EstimationMethod.None;
        return count > 0;

        void Accumulate(DateOnly reference)
        {
            if (history.TryGetValue(reference, out DayCurve? curve) && curve.IntervalMinutes == day.IntervalMinutes
                && ActualAt(curve, slot) is { } v)
            {
                sum += v;
                count++;
            }
        }
    }
}
