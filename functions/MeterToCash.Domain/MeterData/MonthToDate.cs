using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>Energy per time-of-use band, in the channel unit.</summary>
/// <param name="CriticalPeak">Critical peak (尖).</param>
/// <param name="Peak">Peak (峰).</param>
/// <param name="Flat">Flat (平).</param>
/// <param name="Valley">Valley (谷).</param>
public readonly record struct TouEnergy(decimal CriticalPeak, decimal Peak, decimal Flat, decimal Valley)
{
    /// <summary>Sum over all bands.</summary>
    public decimal Total => CriticalPeak + Peak + Flat + Valley;

    /// <summary>Energy of one band.</summary>
    public decimal Of(TouBand band) => band switch
    {
        TouBand.CriticalPeak => CriticalPeak,
        TouBand.Peak => Peak,
        TouBand.Flat => Flat,
        _ => Valley,
    };

    /// <summary>A copy with <paramref name="delta"/> added to one band.</summary>
    public TouEnergy Add(TouBand band, decimal delta) => band switch
    {
        TouBand.CriticalPeak => this with { CriticalPeak = CriticalPeak + delta },
        TouBand.Peak => this with { Peak = Peak + delta },
        TouBand.Flat => this with { Flat = Flat + delta },
        _ => this with { Valley = Valley + delta },
    };
}

/// <summary>Month-to-date totals of one (meter, channel) for one China local calendar month.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Year">Local year.</param>
/// <param name="Month">Local month 1–12.</param>
/// <param name="Energy">All stored energy (actual and estimated) per band.</param>
/// <param name="EstimatedEnergy">The estimated part of <paramref name="Energy"/>, per band.</param>
public sealed record MonthToDate(MeterId Meter, MeterChannel Channel, int Year, int Month, TouEnergy Energy, TouEnergy EstimatedEnergy)
{
    /// <summary>Zero totals for a month.</summary>
    public static MonthToDate Empty(MeterId meter, MeterChannel channel, int year, int month) =>
        new(meter, channel, year, month, default, default);
}

/// <summary>
/// Maintains month-to-date totals as day curves change. It adds the difference between a curve before and after a
/// merge, so replays (no change) add nothing, revisions correct the totals, and the result equals summing the final curves.
/// </summary>
public static class MonthToDateAccumulator
{
    /// <summary>Applies the change from <paramref name="before"/> to <paramref name="after"/> to the totals.</summary>
    /// <param name="totals">Current totals of the curve's month.</param>
    /// <param name="before">The stored curve before the merge, or null when the day had none.</param>
    /// <param name="after">The curve after the merge (same series and day as <paramref name="before"/>).</param>
    /// <param name="classify">Tariff calendar: the band of a slot, given the slot start (UTC).</param>
    /// <exception cref="ArgumentException">The curves are of another series or month than the totals (a caller bug).</exception>
    public static MonthToDate Apply(MonthToDate totals, DayCurve? before, DayCurve after, Func<DateTimeOffset, TouBand> classify)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(classify);
        if (after.Meter != totals.Meter || after.Channel != totals.Channel || after.Day.Year != totals.Year || after.Day.Month != totals.Month)
        {
            throw new ArgumentException("The curve is not of this series and month.", nameof(after));
        }

        if (before is not null && (before.Meter != after.Meter || before.Channel != after.Channel || before.Day != after.Day || before.IntervalMinutes != after.IntervalMinutes))
        {
            throw new ArgumentException("Before and after are different curves.", nameof(before));
        }

        TouEnergy energy = totals.Energy;
        TouEnergy estimated = totals.EstimatedEnergy;
        ReadOnlySpan<CurveSlot> a = after.Slots;
        for (int i = 0; i < a.Length; i++)
        {
            CurveSlot old = before is null ? default : before.Slots[i];
            CurveSlot now = a[i];
            if (old == now)
            {
                continue;
            }

            TouBand band = classify(after.SlotStart(i));
            decimal oldValue = old.HasValue ? old.Value : 0m;
            decimal newValue = now.HasValue ? now.Value : 0m;
            energy = energy.Add(band, newValue - oldValue);
            decimal oldEstimated = old.HasValue && old.Quality == ReadingQuality.Estimated ? old.Value : 0m;
            decimal newEstimated = now.HasValue && now.Quality == ReadingQuality.Estimated ? now.Value : 0m;
            estimated = estimated.Add(band, newEstimated - oldEstimated);
        }

        return totals with { Energy = energy, EstimatedEnergy = estimated };
    }
}
