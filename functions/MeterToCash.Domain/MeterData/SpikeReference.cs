namespace MeterToCash.Domain.MeterData;

/// <summary>
/// The level the Spike rule compares a value with, for one (meter, channel) series: the 95th percentile (nearest rank)
/// of the series' trusted values, in the channel's unit per interval on the primary side (kWh or kvarh per interval,
/// CT × PT applied, like the stored curves). Never negative.
/// <para>
/// Trusted values are non-negative actual values of quality <see cref="ReadingQuality.Valid"/> or
/// <see cref="ReadingQuality.ManuallyEdited"/>: an estimate is not a reading, and a
/// <see cref="ReadingQuality.Questionable"/> value (a spike flagged earlier, a read its head-end doubted) must not raise
/// the level that judges the next spike. A reference needs at least <see cref="VeeOptions.SpikeMinimumHistory"/> trusted
/// values; with fewer there is none, and spikes are not judged.
/// </para>
/// <para>
/// Which reference judges a delivery (<see cref="ForSeries"/>): the one of the stored history the delivery is validated
/// against (the days it touches) when that history has enough trusted values, else the series' stored reference (the
/// daily VEE run's, over <see cref="VeeOptions.SpikeReferenceDays"/> complete days), else none.
/// </para>
/// </summary>
public readonly record struct SpikeReference
{
    /// <summary>A reference at <paramref name="level"/> (channel unit per interval, primary side).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is negative.</exception>
    public SpikeReference(decimal level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        Level = level;
    }

    /// <summary>The 95th percentile of the trusted values, in the channel's unit per interval (primary side); ≥ 0.</summary>
    public decimal Level { get; }

    /// <summary>Whether a value of this quality may shape a reference: Valid and ManuallyEdited, not Estimated or Questionable.</summary>
    public static bool IsTrusted(ReadingQuality quality) => quality is ReadingQuality.Valid or ReadingQuality.ManuallyEdited;

    /// <summary>
    /// The reference of stored interval values (any meters' values are taken as given: the caller filters the series),
    /// or null when fewer than <see cref="VeeOptions.SpikeMinimumHistory"/> of them are trusted.
    /// </summary>
    public static SpikeReference? FromHistory(IEnumerable<IntervalReading> history, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        return OfTrustedValues(history.Where(h => IsTrusted(h.Quality) && h.Value >= 0m).Select(h => h.Value), options);
    }

    /// <summary>
    /// The reference of a series' day curves (e.g. its last <see cref="VeeOptions.SpikeReferenceDays"/> complete days),
    /// or null when they hold fewer than <see cref="VeeOptions.SpikeMinimumHistory"/> trusted values.
    /// </summary>
    public static SpikeReference? FromCurves(IEnumerable<DayCurve> curves, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(curves);
        List<decimal> values = [];
        foreach (DayCurve curve in curves)
        {
            ReadOnlySpan<CurveSlot> slots = curve.Slots;
            for (int s = 0; s < slots.Length; s++)
            {
                if (slots[s].HasValue && IsTrusted(slots[s].Quality) && slots[s].Value >= 0m)
                {
                    values.Add(slots[s].Value);
                }
            }
        }

        return OfTrustedValues(values, options);
    }

    /// <summary>The reference that judges a delivery: the history's when it has one, else the stored one, else none.</summary>
    /// <param name="ofHistory">From the stored values the delivery is validated against (<see cref="FromHistory"/>).</param>
    /// <param name="stored">The series' stored reference from the daily VEE run, or null (e.g. a freshly installed meter).</param>
    public static SpikeReference? ForSeries(SpikeReference? ofHistory, SpikeReference? stored) => ofHistory ?? stored;

    /// <summary>
    /// Whether <paramref name="value"/> is a spike against this reference: above <see cref="VeeOptions.SpikeFactor"/> ×
    /// <see cref="Level"/> and more than <see cref="VeeOptions.SpikeMinimumExcess"/> above it (both strict).
    /// </summary>
    public bool IsExceededBy(decimal value, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return value > Level * options.SpikeFactor && value - Level > options.SpikeMinimumExcess;
    }

    static SpikeReference? OfTrustedValues(IEnumerable<decimal> trusted, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        decimal[] values = [.. trusted];
        if (values.Length < Math.Max(1, options.SpikeMinimumHistory))
        {
            return null;
        }

        Array.Sort(values);
        int rank = (int)Math.Ceiling(0.95m * values.Length) - 1;
        return new SpikeReference(values[Math.Clamp(rank, 0, values.Length - 1)]);
    }
}
