namespace MeterToCash.Domain.Load;

/// <summary>
/// How a transformer area's load is turned into a load rate (负载率) and when it is heavy or overloaded. Validated on
/// construction, so a settings object that exists is usable.
/// </summary>
public sealed record LoadRateSettings
{
    /// <summary>Defaults: power factor 0.9, heavy at ≥ 0.80 for 4 consecutive intervals (one hour of 15-minute data), overload at ≥ 1.00.</summary>
    public static LoadRateSettings Default { get; } = new(0.9m, 0.80m, 1.00m, 4);

    /// <param name="powerFactor">Power factor that converts rated kVA to the kW the transformer can carry; in (0, 1].</param>
    /// <param name="heavyShare">Load rate (share, 0.80 = 80 %) at or above which an interval is heavy; in (0, overloadShare).</param>
    /// <param name="overloadShare">Load rate at or above which an interval is overloaded; in (heavyShare, 10].</param>
    /// <param name="heavyIntervals">Consecutive heavy intervals that make a heavy-load episode; 1–96.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public LoadRateSettings(decimal powerFactor, decimal heavyShare, decimal overloadShare, int heavyIntervals)
    {
        if (powerFactor is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(powerFactor), powerFactor, "The power factor must be above 0 and at most 1.");
        }

        if (heavyShare <= 0 || heavyShare >= overloadShare)
        {
            throw new ArgumentOutOfRangeException(nameof(heavyShare), heavyShare, "The heavy-load share must be above 0 and below the overload share.");
        }

        if (overloadShare > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(overloadShare), overloadShare, "The overload share must be at most 10 (1,000 %).");
        }

        if (heavyIntervals is < 1 or > 96)
        {
            throw new ArgumentOutOfRangeException(nameof(heavyIntervals), heavyIntervals, "Heavy-load intervals must be 1–96.");
        }

        PowerFactor = powerFactor;
        HeavyShare = heavyShare;
        OverloadShare = overloadShare;
        HeavyIntervals = heavyIntervals;
    }

    /// <summary>Power factor in (0, 1]: capacity in kW = rated kVA × power factor.</summary>
    public decimal PowerFactor { get; }

    /// <summary>Heavy-load threshold as a share (0.80 = 80 %), inclusive.</summary>
    public decimal HeavyShare { get; }

    /// <summary>Overload threshold as a share (1.00 = 100 %), inclusive.</summary>
    public decimal OverloadShare { get; }

    /// <summary>Consecutive heavy intervals (with values) that open a heavy-load episode.</summary>
    public int HeavyIntervals { get; }
}
