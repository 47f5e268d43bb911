namespace MeterToCash.Domain.Load;

/// <summary>
/// Load rate (负载率) arithmetic. Pure. An interval's load is its energy spread evenly over the interval:
/// kW = kWh × 60 ÷ minutes; the capacity is rated kVA × power factor (kW); the rate is kW ÷ capacity as a share.
/// kW is rounded to 3 decimals and the rate to 4 decimals (0.0001 = 0.01 %), both half away from zero, and the rate is
/// computed from the unrounded kW so rounding happens once.
/// </summary>
public static class LoadRateCalculator
{
    /// <summary>Decimals of a rate (a share): 4, i.e. hundredths of a percent.</summary>
    public const int RateDecimals = 4;

    /// <summary>Decimals of a kW figure: 3 (watts).</summary>
    public const int KwDecimals = 3;

    /// <summary>Capacity in kW of a transformer: rated kVA × power factor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Rated kVA not above 0.</exception>
    public static decimal CapacityKw(decimal ratedKva, LoadRateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ratedKva <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratedKva), ratedKva, "The rated capacity must be above 0 kVA.");
        }

        return ratedKva * settings.PowerFactor;
    }

    /// <summary>Average kW of an interval of <paramref name="intervalMinutes"/> holding <paramref name="kwh"/> (unrounded).</summary>
    public static decimal Kw(decimal kwh, int intervalMinutes) =>
        intervalMinutes is 15 or 30 or 60 ? kwh * 60m / intervalMinutes : throw new ArgumentOutOfRangeException(nameof(intervalMinutes), intervalMinutes, "Intervals are 15, 30 or 60 minutes.");

    /// <summary>
    /// The load rate of each interval of a day: <paramref name="kwh"/>[i] is interval i's energy (null = no data),
    /// <paramref name="capacityKw"/> the capacity (for a feeder, the sum of its areas' capacities).
    /// </summary>
    public static LoadRatePoint[] Compute(IReadOnlyList<decimal?> kwh, int intervalMinutes, decimal capacityKw)
    {
        ArgumentNullException.ThrowIfNull(kwh);
        if (capacityKw <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityKw), capacityKw, "The capacity must be above 0 kW.");
        }

        var points = new LoadRatePoint[kwh.Count];
        for (int s = 0; s < points.Length; s++)
        {
            if (kwh[s] is { } energy)
            {
                decimal kw = Kw(energy, intervalMinutes);
                points[s] = new LoadRatePoint(s, energy, Math.Round(kw, KwDecimals, MidpointRounding.AwayFromZero), Math.Round(kw / capacityKw, RateDecimals, MidpointRounding.AwayFromZero));
            }
            else
            {
                points[s] = new LoadRatePoint(s, null, null, null);
            }
        }

        return points;
    }
}
