namespace MeterToCash.Domain.MeterData;

/// <summary>One meter's reading outcome for one day, input to the read success rate.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Expected">True when the meter was installed for the whole day and should have been read.</param>
/// <param name="DailyRegisterReceived">The daily frozen register read (日冻结) arrived.</param>
/// <param name="ActualSlots">Curve slots with actual values.</param>
/// <param name="SlotCount">Slots in the day (96 for 15 minutes).</param>
public readonly record struct MeterDayReadStatus(Common.MeterId Meter, bool Expected, bool DailyRegisterReceived, int ActualSlots, int SlotCount)
{
    /// <summary>Successfully read (采集成功): the daily frozen register arrived, or the curve is complete with actuals.</summary>
    public bool Succeeded => DailyRegisterReceived || (SlotCount > 0 && ActualSlots >= SlotCount);
}

/// <summary>Read success rate (采集成功率) of one area for one China local day.</summary>
/// <param name="AreaId">Area.</param>
/// <param name="Day">Local day.</param>
/// <param name="Expected">Meters that should have been read.</param>
/// <param name="Succeeded">Of those, meters read successfully.</param>
public readonly record struct ReadSuccessRate(string AreaId, DateOnly Day, int Expected, int Succeeded)
{
    /// <summary>Succeeded / Expected as a fraction rounded to 4 decimals (half away from zero); 1 when nothing was expected.</summary>
    public decimal Rate => Expected == 0 ? 1m : decimal.Round((decimal)Succeeded / Expected, 4, MidpointRounding.AwayFromZero);

    /// <summary>Computes the rate; meters not expected are ignored.</summary>
    public static ReadSuccessRate Compute(string areaId, DateOnly day, IEnumerable<MeterDayReadStatus> meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        int expected = 0;
        int succeeded = 0;
        foreach (MeterDayReadStatus m in meters)
        {
            if (!m.Expected)
            {
                continue;
            }

            expected++;
            if (m.Succeeded)
            {
                succeeded++;
            }
        }

        return new ReadSuccessRate(areaId, day, expected, succeeded);
    }
}

/// <summary>VEE statistics over a set of values; combine partial statistics with <see cref="Add(VeeStatistics)"/>.</summary>
public sealed record VeeStatistics
{
    private readonly int[] _failuresByRule = new int[16];

    /// <summary>No values.</summary>
    public static VeeStatistics Empty { get; } = new();

    /// <summary>Values validated.</summary>
    public int Validated { get; private init; }

    /// <summary>Accepted as delivered.</summary>
    public int Accepted { get; private init; }

    /// <summary>Stored as questionable.</summary>
    public int Suspect { get; private init; }

    /// <summary>Rejected (quarantined).</summary>
    public int Rejected { get; private init; }

    /// <summary>Dropped as duplicates.</summary>
    public int Duplicates { get; private init; }

    /// <summary>Values produced by estimation.</summary>
    public int Estimated { get; private init; }

    /// <summary>Share of estimated values among stored values (accepted + suspect + estimated), 4 decimals; 0 when none.</summary>
    public decimal EstimatedShare => Share(Estimated, Accepted + Suspect + Estimated);

    /// <summary>Share of rejected values among validated values, 4 decimals; 0 when none.</summary>
    public decimal RejectedShare => Share(Rejected, Validated);

    /// <summary>How many values failed each rule (a value can fail several).</summary>
    public int FailuresOf(VeeRules rule)
    {
        int bit = System.Numerics.BitOperations.Log2((uint)rule);
        return rule != VeeRules.None && System.Numerics.BitOperations.IsPow2((uint)rule) ? _failuresByRule[bit] : 0;
    }

    /// <summary>Statistics of validated values and estimates.</summary>
    public static VeeStatistics From(IEnumerable<ValidatedInterval> validated, int estimated = 0)
    {
        ArgumentNullException.ThrowIfNull(validated);
        var s = new VeeStatistics { Estimated = estimated };
        int accepted = 0, suspect = 0, rejected = 0, duplicates = 0, total = 0;
        foreach (ValidatedInterval v in validated)
        {
            total++;
            switch (v.Disposition)
            {
                case ValueDisposition.Accepted: accepted++; break;
                case ValueDisposition.Suspect: suspect++; break;
                case ValueDisposition.Rejected: rejected++; break;
                default: duplicates++; break;
            }

            uint failed = (uint)v.Failed;
            while (failed != 0)
            {
                int bit = System.Numerics.BitOperations.TrailingZeroCount(failed);
                s._failuresByRule[bit]++;
                failed &= failed - 1;
            }
        }

        return s with { Validated = total, Accepted = accepted, Suspect = suspect, Rejected = rejected, Duplicates = duplicates };
    }

    /// <summary>The sum of two statistics.</summary>
    public VeeStatistics Add(VeeStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sum = new VeeStatistics
        {
            Validated = Validated + other.Validated,
            Accepted = Accepted + other.Accepted,
            Suspect = Suspect + other.Suspect,
            Rejected = Rejected + other.Rejected,
            Duplicates = Duplicates + other.Duplicates,
            Estimated = Estimated + other.Estimated,
        };
        for (int i = 0; i < _failuresByRule.Length; i++)
        {
            sum._failuresByRule[i] = _failuresByRule[i] + other._failuresByRule[i];
        }

        return sum;
    }

    /// <summary>Equal when all counts are equal.</summary>
    public bool Equals(VeeStatistics? other) =>
        other is not null && Validated == other.Validated && Accepted == other.Accepted && Suspect == other.Suspect
        && Rejected == other.Rejected && Duplicates == other.Duplicates && Estimated == other.Estimated
        && _failuresByRule.AsSpan().SequenceEqual(other._failuresByRule);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Validated, Accepted, Suspect, Rejected, Duplicates, Estimated);

    private static decimal Share(int part, int whole) => whole == 0 ? 0m : decimal.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}

/// <summary>An area's load in one interval: the sum over its meters' curves.</summary>
/// <param name="AreaId">Area.</param>
/// <param name="SlotStart">Interval start, UTC.</param>
/// <param name="IntervalMinutes">Interval length.</param>
/// <param name="Energy">Summed energy of meters with a value, channel unit.</param>
/// <param name="MetersWithValue">Meters contributing a value.</param>
/// <param name="MetersEstimated">Of those, meters whose value is estimated.</param>
public readonly record struct AreaLoad(string AreaId, DateTimeOffset SlotStart, int IntervalMinutes, decimal Energy, int MetersWithValue, int MetersEstimated)
{
    /// <summary>Average demand over the interval in kW (energy × 60 / minutes), exact.</summary>
    public decimal AverageDemandKw => IntervalMinutes == 0 ? 0m : Energy * 60m / IntervalMinutes;

    /// <summary>
    /// Sums the slot starting at <paramref name="slotStart"/> over the given curves (one per meter, same channel);
    /// curves not covering that start on their grid are skipped.
    /// </summary>
    public static AreaLoad At(string areaId, IEnumerable<DayCurve> curves, DateTimeOffset slotStart)
    {
        ArgumentNullException.ThrowIfNull(curves);
        decimal energy = 0m;
        int withValue = 0;
        int estimated = 0;
        int minutes = 0;
        foreach (DayCurve curve in curves)
        {
            if (!curve.TryGetSlot(slotStart, out int slot) || !curve.Slots[slot].HasValue)
            {
                continue;
            }

            CurveSlot s = curve.Slots[slot];
            energy += s.Value;
            withValue++;
            estimated += s.Quality == ReadingQuality.Estimated ? 1 : 0;
            minutes = curve.IntervalMinutes;
        }

        return new AreaLoad(areaId, slotStart, minutes, energy, withValue, estimated);
    }
}

/// <summary>
/// VEE statistics of an area-day of one channel, from what was stored (the day's curves: each value's quality, the soft
/// rules it failed, its estimation method) and what was rejected (quarantined values by reason). Shares are of the
/// values received or estimated (stored + rejected), rounded half away from zero to 4 decimals; 0 when there are none.
/// </summary>
/// <param name="Expected">Slots of the in-service meters (meters × slots per day).</param>
/// <param name="Stored">Values held by the curves (actual, suspect, estimated, edited).</param>
/// <param name="Actual">Stored values of quality Valid.</param>
/// <param name="Suspect">Stored values flagged Questionable by a soft rule.</param>
/// <param name="Estimated">Stored values estimated (by the head-end or by VEE).</param>
/// <param name="Edited">Stored values manually edited.</param>
/// <param name="Rejected">Values quarantined.</param>
/// <param name="Missing">Expected slots with no stored value (gaps not (yet) estimated).</param>
/// <param name="FailedByRule">Stored values flagged, and rejected values, per rule or reason name.</param>
/// <param name="EstimatedByMethod">Estimated values per method (None = estimated by the head-end).</param>
public sealed record AreaDayVeeStatistics(
    int Expected,
    int Stored,
    int Actual,
    int Suspect,
    int Estimated,
    int Edited,
    int Rejected,
    int Missing,
    IReadOnlyDictionary<string, int> FailedByRule,
    IReadOnlyDictionary<string, int> EstimatedByMethod)
{
    /// <summary>Estimated / (stored + rejected).</summary>
    public decimal EstimatedShare => Share(Estimated);

    /// <summary>Rejected / (stored + rejected).</summary>
    public decimal RejectedShare => Share(Rejected);

    /// <summary>Suspect / (stored + rejected).</summary>
    public decimal SuspectShare => Share(Suspect);

    /// <summary>
    /// Computes the statistics. <paramref name="curves"/> are the area-day's curves of one channel; a curve's meter
    /// counts for <paramref name="expectedMeters"/> only if listed there (meters out of service still count as stored).
    /// </summary>
    /// <param name="curves">The stored curves.</param>
    /// <param name="expectedMeters">Meter numbers (upper case) in service all day, with their slots per day.</param>
    /// <param name="rejected">Quarantined values per reason; a value rejected by several rules is listed under each rule name
    /// in <paramref name="rejectedRules"/> and once here.</param>
    /// <param name="rejectedRules">Rule or reason counts of the rejected values.</param>
    public static AreaDayVeeStatistics Compute(IEnumerable<DayCurve> curves, IReadOnlyDictionary<string, int> expectedMeters, int rejected, IReadOnlyDictionary<string, int> rejectedRules)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(expectedMeters);
        ArgumentNullException.ThrowIfNull(rejectedRules);
        int stored = 0, actual = 0, suspect = 0, estimated = 0, edited = 0, missing = 0;
        SortedDictionary<string, int> byRule = new(StringComparer.Ordinal);
        SortedDictionary<string, int> byMethod = new(StringComparer.Ordinal);
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (DayCurve curve in curves)
        {
            string meter = curve.Meter.Value.ToUpperInvariant();
            int held = 0;
            foreach (CurveSlot slot in curve.Slots)
            {
                if (!slot.HasValue)
                {
                    continue;
                }

                held++;
                switch (slot.Quality)
                {
                    case ReadingQuality.Valid: actual++; break;
                    case ReadingQuality.Questionable: suspect++; break;
                    case ReadingQuality.Estimated:
                        estimated++;
                        Increment(byMethod, slot.Method.ToString());
                        break;
                    default: edited++; break;
                }

                foreach (VeeRules rule in VeeRuleCatalog.All)
                {
                    if ((slot.Failed & rule) != 0)
                    {
                        Increment(byRule, rule.ToString());
                    }
                }
            }

            stored += held;
            if (expectedMeters.ContainsKey(meter) && seen.Add(meter))
            {
                missing += Math.Max(0, curve.SlotCount - held);
            }
        }

        foreach ((string meter, int slots) in expectedMeters)
        {
            if (!seen.Contains(meter))
            {
                missing += slots;
            }
        }

        foreach ((string rule, int count) in rejectedRules)
        {
            byRule[rule] = byRule.GetValueOrDefault(rule) + count;
        }

        return new AreaDayVeeStatistics(expectedMeters.Values.Sum(), stored, actual, suspect, estimated, edited, rejected, missing, byRule, byMethod);
    }

    private static void Increment(SortedDictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private decimal Share(int part)
    {
        int total = Stored + Rejected;
        return total == 0 ? 0m : decimal.Round((decimal)part / total, 4, MidpointRounding.AwayFromZero);
    }
}
