namespace MeterToCash.Domain.MeterData;

/// <summary>
/// The validation rules of VEE, as flags so a value's per-rule results fit in two bytes
/// (stored with the value in <see cref="DayCurve"/>). The flag name is the rule name.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Rules" is the domain word, not a collection suffix clash.
public enum VeeRules : ushort
#pragma warning restore CA1711
{
    /// <summary>No rule.</summary>
    None = 0,

    /// <summary>Same key already seen with the same value and quality (in the delivery or stored), or a conflicting repeat within one delivery.</summary>
    Duplicate = 1 << 0,

    /// <summary>Arrived after a later value of the same series (late back-fill). Recorded only.</summary>
    OutOfOrder = 1 << 1,

    /// <summary>Interval end (or register time) later than now plus the clock tolerance.</summary>
    FutureTimestamp = 1 << 2,

    /// <summary>Before the meter's installation.</summary>
    BeforeInstallation = 1 << 3,

    /// <summary>At or after the meter's removal.</summary>
    AfterRemoval = 1 << 4,

    /// <summary>No value delivered for a slot; outcome is Estimated when estimation filled it.</summary>
    Gap = 1 << 5,

    /// <summary>Value far above the series' own trusted values (factor × 95th percentile, <see cref="SpikeReference"/>).</summary>
    Spike = 1 << 6,

    /// <summary>Negative consumption on an interval or a negative register.</summary>
    NegativeConsumption = 1 << 7,

    /// <summary>A register decreased without a plausible rollover.</summary>
    RegisterRollback = 1 << 8,

    /// <summary>Sum of interval values differs from the register delta over the same period.</summary>
    IntervalSumMismatch = 1 << 9,

    /// <summary>Part of an uninterrupted run of zero values at least as long as the configured duration.</summary>
    ProlongedZero = 1 << 10,

    /// <summary>Unit does not match the channel, or interval length/alignment does not match the meter's configuration.</summary>
    UnitChannelMismatch = 1 << 11,
}

/// <summary>A rule's outcome for one value.</summary>
public enum VeeOutcome
{
    /// <summary>The rule did not apply (e.g. no history for spike detection).</summary>
    NotEvaluated = 0,

    /// <summary>Passed.</summary>
    Pass = 1,

    /// <summary>Failed.</summary>
    Fail = 2,

    /// <summary>The value was produced by estimation because of this rule.</summary>
    Estimated = 3,
}

/// <summary>What a failed rule does to the value.</summary>
public enum VeeRuleAction
{
    /// <summary>The value is not stored; it goes to quarantine.</summary>
    Reject = 0,

    /// <summary>The value is stored with quality <see cref="ReadingQuality.Questionable"/>.</summary>
    Suspect = 1,

    /// <summary>Only recorded (statistics); the value is unaffected.</summary>
    Note = 2,
}

/// <summary>What happens to a validated value.</summary>
public enum ValueDisposition
{
    /// <summary>Store as delivered.</summary>
    Accepted = 0,

    /// <summary>Store, flagged questionable.</summary>
    Suspect = 1,

    /// <summary>Do not store; quarantine.</summary>
    Rejected = 2,

    /// <summary>Already known; drop silently (no effect).</summary>
    Duplicate = 3,
}

/// <summary>Thresholds of the validation rules. Energies are in the channel's unit per interval.</summary>
public sealed record VeeOptions
{
    /// <summary>The defaults documented in docs/meter-data.md.</summary>
    public static readonly VeeOptions Default = new();

    /// <summary>How far in the future an interval end may be, for head-end clock skew (default 5 minutes).</summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A value is a spike above this multiple of its <see cref="SpikeReference"/> (default 5).</summary>
    public decimal SpikeFactor { get; init; } = 5m;

    /// <summary>…and at least this much above it, so tiny loads do not trip the rule (default 0.5 kWh).</summary>
    public decimal SpikeMinimumExcess { get; init; } = 0.5m;

    /// <summary>Trusted values (<see cref="SpikeReference.IsTrusted"/>) a <see cref="SpikeReference"/> needs (default 96, one day of 15 minutes).</summary>
    public int SpikeMinimumHistory { get; init; } = 96;

    /// <summary>
    /// Complete China-local days, ending with the day the daily VEE run completes, whose trusted values form a series'
    /// stored <see cref="SpikeReference"/> (default 7: every weekday once).
    /// </summary>
    public int SpikeReferenceDays { get; init; } = 7;

    /// <summary>Length of an uninterrupted zero run that is suspicious (default 24 hours).</summary>
    public TimeSpan ProlongedZero { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Absolute tolerance of the interval-sum check (default 0.05, covering register resolution).</summary>
    public decimal IntervalSumAbsoluteTolerance { get; init; } = 0.05m;

    /// <summary>Relative tolerance of the interval-sum check (default 1 %).</summary>
    public decimal IntervalSumRelativeTolerance { get; init; } = 0.01m;

    /// <summary>Highest meter-side demand in kW used to judge whether a register rollover is plausible (default 1000).</summary>
    public decimal MaxMeterSideDemandKw { get; init; } = 1000m;
}

/// <summary>The fixed action of each rule.</summary>
public static class VeeRuleCatalog
{
    /// <summary>All interval-value rules evaluated by <see cref="IntervalValidator.Validate"/>.</summary>
    public const VeeRules IntervalRules = VeeRules.Duplicate | VeeRules.OutOfOrder | VeeRules.FutureTimestamp
        | VeeRules.BeforeInstallation | VeeRules.AfterRemoval | VeeRules.Spike | VeeRules.NegativeConsumption
        | VeeRules.ProlongedZero | VeeRules.UnitChannelMismatch;

    /// <summary>All register rules evaluated by <see cref="IntervalValidator.ValidateRegister"/>.</summary>
    public const VeeRules RegisterRules = VeeRules.Duplicate | VeeRules.OutOfOrder | VeeRules.FutureTimestamp
        | VeeRules.BeforeInstallation | VeeRules.AfterRemoval | VeeRules.NegativeConsumption
        | VeeRules.RegisterRollback | VeeRules.UnitChannelMismatch;

    /// <summary>Every rule, in flag order.</summary>
    public static IReadOnlyList<VeeRules> All { get; } =
        Enum.GetValues<VeeRules>().Where(r => r != VeeRules.None).ToArray();

    /// <summary>Rules whose failure rejects the value: it is quarantined, never stored.</summary>
    public const VeeRules Rejecting = VeeRules.FutureTimestamp | VeeRules.BeforeInstallation | VeeRules.AfterRemoval
        | VeeRules.NegativeConsumption | VeeRules.RegisterRollback | VeeRules.UnitChannelMismatch;

    /// <summary>Rules whose failure marks the value suspect: stored with quality Questionable and the rule kept.</summary>
    public const VeeRules Suspecting = VeeRules.Spike | VeeRules.ProlongedZero | VeeRules.IntervalSumMismatch;

    /// <summary>Rules that are only recorded (statistics); the value is unaffected.</summary>
    public const VeeRules Noting = VeeRules.OutOfOrder | VeeRules.Gap;

    /// <summary>
    /// Rules kept with a stored value: the suspecting ones and <see cref="VeeRules.OutOfOrder"/>. Rejecting rules never
    /// reach a curve, <see cref="VeeRules.Duplicate"/> is not a property of a value, and a gap is recorded by its estimate.
    /// </summary>
    public const VeeRules KeptWithValue = Suspecting | VeeRules.OutOfOrder;

    /// <summary>The rules that explain a value's disposition: the failed ones less the noted ones and <see cref="VeeRules.Duplicate"/>.</summary>
    public static VeeRules Reasons(VeeRules failed) => failed & ~(Noting | VeeRules.Duplicate);

    /// <summary>The action a failure of <paramref name="rule"/> triggers.</summary>
    public static VeeRuleAction ActionOf(VeeRules rule) =>
        (rule & Noting) != 0 ? VeeRuleAction.Note
        : (rule & Suspecting) != 0 ? VeeRuleAction.Suspect
        : VeeRuleAction.Reject;

    /// <summary>The disposition implied by a set of failed rules: duplicate, else reject, else suspect, else accepted.</summary>
    public static ValueDisposition Disposition(VeeRules failed)
    {
        if ((failed & VeeRules.Duplicate) != 0)
        {
            return ValueDisposition.Duplicate;
        }

        if ((failed & Rejecting) != 0)
        {
            return ValueDisposition.Rejected;
        }

        return (failed & Suspecting) != 0 ? ValueDisposition.Suspect : ValueDisposition.Accepted;
    }

    /// <summary>The outcome of one rule given the evaluated/failed/estimated sets.</summary>
    public static VeeOutcome OutcomeOf(VeeRules rule, VeeRules evaluated, VeeRules failed, VeeRules estimated)
    {
        if ((estimated & rule) != 0)
        {
            return VeeOutcome.Estimated;
        }

        if ((failed & rule) != 0)
        {
            return VeeOutcome.Fail;
        }

        return (evaluated & rule) != 0 ? VeeOutcome.Pass : VeeOutcome.NotEvaluated;
    }
}

/// <summary>One rule's result for one value, for audit records.</summary>
/// <param name="Rule">The rule (its name is <c>Rule.ToString()</c>).</param>
/// <param name="Outcome">Pass, fail or estimated.</param>
public readonly record struct VeeRuleResult(VeeRules Rule, VeeOutcome Outcome);

/// <summary>An interval value with its per-rule results.</summary>
/// <param name="Reading">The value as delivered.</param>
/// <param name="Evaluated">Rules that were evaluated.</param>
/// <param name="Failed">Rules that failed.</param>
public readonly record struct ValidatedInterval(IntervalReading Reading, VeeRules Evaluated, VeeRules Failed)
{
    /// <summary>What to do with the value.</summary>
    public ValueDisposition Disposition => VeeRuleCatalog.Disposition(Failed);

    /// <summary>Quality to store: a valid value that failed a soft rule becomes questionable.</summary>
    public ReadingQuality StoredQuality =>
        Disposition == ValueDisposition.Suspect && Reading.Quality == ReadingQuality.Valid ? ReadingQuality.Questionable : Reading.Quality;

    /// <summary>The outcome of one rule.</summary>
    public VeeOutcome OutcomeOf(VeeRules rule) => VeeRuleCatalog.OutcomeOf(rule, Evaluated, Failed, VeeRules.None);

    /// <summary>Results of every evaluated rule.</summary>
    public IEnumerable<VeeRuleResult> Results()
    {
        foreach (VeeRules rule in VeeRuleCatalog.All)
        {
            VeeOutcome outcome = OutcomeOf(rule);
            if (outcome != VeeOutcome.NotEvaluated)
            {
                yield return new VeeRuleResult(rule, outcome);
            }
        }
    }
}

/// <summary>A register read with its per-rule results and the consumption since the previous read.</summary>
/// <param name="Reading">The read as delivered.</param>
/// <param name="Evaluated">Rules that were evaluated.</param>
/// <param name="Failed">Rules that failed.</param>
/// <param name="Delta">Consumption since the previous read (meter side), when there was one and the read is in order.</param>
public readonly record struct ValidatedRegister(RegisterReading Reading, VeeRules Evaluated, VeeRules Failed, RegisterDelta? Delta)
{
    /// <summary>What to do with the read.</summary>
    public ValueDisposition Disposition => VeeRuleCatalog.Disposition(Failed);

    /// <summary>The outcome of one rule.</summary>
    public VeeOutcome OutcomeOf(VeeRules rule) => VeeRuleCatalog.OutcomeOf(rule, Evaluated, Failed, VeeRules.None);
}

/// <summary>The inputs of interval validation for one (meter, channel) series.</summary>
/// <param name="Meter">Archive entry of the meter.</param>
/// <param name="Channel">The channel of the series.</param>
/// <param name="Now">Current time, UTC.</param>
/// <param name="History">Stored values of the series (recent days, including the days the delivery touches); any order.</param>
/// <param name="Options">Thresholds.</param>
/// <param name="StoredSpikeReference">
/// The series' stored spike reference (the daily VEE run's), which judges spikes when <paramref name="History"/> holds too
/// few trusted values for its own (<see cref="SpikeReference.ForSeries"/>); null when none is stored.
/// </param>
public sealed record IntervalSeriesContext(
    MeterArchiveEntry Meter,
    MeterChannel Channel,
    DateTimeOffset Now,
    IReadOnlyList<IntervalReading> History,
    VeeOptions Options,
    SpikeReference? StoredSpikeReference = null);

/// <summary>Result of comparing interval energy with register advance over one period.</summary>
/// <param name="Outcome">Pass, fail, or not evaluated when the intervals do not cover the period exactly.</param>
/// <param name="RegisterDelta">Register advance times the factor.</param>
/// <param name="IntervalSum">Sum of interval values in the period.</param>
public readonly record struct IntervalSumCheck(VeeOutcome Outcome, decimal RegisterDelta, decimal IntervalSum);

/// <summary>The validation step of VEE. Pure and deterministic: the same inputs give the same results.</summary>
public static class IntervalValidator
{
    /// <summary>
    /// Validates a delivery of interval values of one series, in delivery order.
    /// </summary>
    /// <param name="delivery">Values of the series of <paramref name="context"/> (meter and channel must match; anything else is a caller bug).</param>
    /// <param name="context">Archive entry, clock, stored history and thresholds.</param>
    /// <returns>One result per input value, same order.</returns>
    public static ValidatedInterval[] Validate(IReadOnlyList<IntervalReading> delivery, IntervalSeriesContext context)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(context);
        VeeOptions options = context.Options;
        MeterArchiveEntry meter = context.Meter;

        var stored = new Dictionary<DateTimeOffset, IntervalReading>(context.History.Count);
        DateTimeOffset latestStored = DateTimeOffset.MinValue;
        foreach (IntervalReading h in context.History)
        {
            if (h.Meter == meter.Meter && h.Channel == context.Channel)
            {
                stored[h.Start] = h;
                if (h.Start > latestStored)
                {
                    latestStored = h.Start;
                }
            }
        }

        SpikeReference? spikeReference = SpikeReference.ForSeries(SpikeReference.FromHistory(stored.Values, options), context.StoredSpikeReference);

        // Starts seen so far, built only once a start is not after all before it: a head-end sends a series in order,
        // and while it is in order no start can repeat.
        HashSet<DateTimeOffset>? seen = null;
        DateTimeOffset latestInDelivery = DateTimeOffset.MinValue;
        var evaluatedBase = VeeRuleCatalog.IntervalRules & ~(spikeReference is null ? VeeRules.Spike : VeeRules.None);
        var failed = new VeeRules[delivery.Count];

        for (int i = 0; i < delivery.Count; i++)
        {
            IntervalReading r = delivery[i];
            if (r.Meter != meter.Meter || r.Channel != context.Channel)
            {
                throw new ArgumentException($"Reading {i} belongs to another series than the context.", nameof(delivery));
            }

            VeeRules f = VeeRules.None;
            if (seen is null && i > 0 && r.Start <= latestInDelivery)
            {
                seen = new HashSet<DateTimeOffset>(delivery.Count);
                for (int j = 0; j < i; j++)
                {
                    seen.Add(delivery[j].Start);
                }
            }

            if (seen is not null && seen.Contains(r.Start))
            {
                // A repeat in one delivery is either an exact duplicate or a conflict; the first occurrence wins either way.
                f |= VeeRules.Duplicate;
            }
            else if (stored.TryGetValue(r.Start, out IntervalReading known) && known.Value == r.Value && known.Quality == r.Quality)
            {
                f |= VeeRules.Duplicate;
            }

            if (r.Start < latestInDelivery || r.Start < latestStored)
            {
                f |= VeeRules.OutOfOrder;
            }

            if (r.End > context.Now + options.ClockTolerance)
            {
                f |= VeeRules.FutureTimestamp;
            }

            f |= MeterArchiveRules.Check(meter, r.Start) switch
            {
                ArchiveDecision.BeforeInstallation => VeeRules.BeforeInstallation,
                ArchiveDecision.AfterRemoval => VeeRules.AfterRemoval,
                _ => VeeRules.None,
            };

            if (r.Unit != MeterChannels.UnitOf(r.Channel) || r.IntervalMinutes != meter.IntervalMinutes
                || !ChinaTime.IsAligned(r.Start, r.IntervalMinutes))
            {
                f |= VeeRules.UnitChannelMismatch;
            }

            if (r.Value < 0m)
            {
                f |= VeeRules.NegativeConsumption;
            }

            if (spikeReference is { } reference && reference.IsExceededBy(r.Value, options))
            {
                f |= VeeRules.Spike;
            }

            seen?.Add(r.Start);
            if (r.Start > latestInDelivery)
            {
                latestInDelivery = r.Start;
            }

            failed[i] = f;
        }

        MarkProlongedZero(delivery, failed, stored, meter.IntervalMinutes, options.ProlongedZero);

        var results = new ValidatedInterval[delivery.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new ValidatedInterval(delivery[i], evaluatedBase, failed[i]);
        }

        return results;
    }

    /// <summary>
    /// Validates one register read against the previous accepted read of the same register.
    /// </summary>
    /// <param name="reading">The new read.</param>
    /// <param name="previous">The latest stored read of the same (meter, channel, band), or null.</param>
    /// <param name="meter">Archive entry.</param>
    /// <param name="now">Current time, UTC.</param>
    /// <param name="options">Thresholds.</param>
    public static ValidatedRegister ValidateRegister(RegisterReading reading, RegisterReading? previous, MeterArchiveEntry meter, DateTimeOffset now, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(options);
        VeeRules f = VeeRules.None;
        RegisterDelta? delta = null;

        if (reading.ReadAt > now + options.ClockTolerance)
        {
            f |= VeeRules.FutureTimestamp;
        }

        f |= MeterArchiveRules.Check(meter, reading.ReadAt) switch
        {
            ArchiveDecision.BeforeInstallation => VeeRules.BeforeInstallation,
            ArchiveDecision.AfterRemoval => VeeRules.AfterRemoval,
            _ => VeeRules.None,
        };

        if (reading.Unit != MeterChannels.UnitOf(reading.Channel))
        {
            f |= VeeRules.UnitChannelMismatch;
        }

        if (reading.Value < 0m)
        {
            f |= VeeRules.NegativeConsumption;
        }

        if (previous is { } p)
        {
            int? digits = reading.MeterDigits ?? p.MeterDigits ?? meter.MeterDigits;
            if (p.ReadAt == reading.ReadAt)
            {
                // Same instant: identical is a duplicate; a different value is a conflicting repeat, and the first read wins.
                f |= VeeRules.Duplicate;
            }
            else
            {
                bool inOrder = reading.ReadAt > p.ReadAt;
                if (!inOrder)
                {
                    f |= VeeRules.OutOfOrder;
                }

                (decimal earlier, decimal later) = inOrder ? (p.Value, reading.Value) : (reading.Value, p.Value);
                decimal hours = (decimal)Math.Abs((reading.ReadAt - p.ReadAt).TotalHours);
                RegisterDelta d = RegisterMath.Delta(earlier, later, digits, options.MaxMeterSideDemandKw * Math.Max(hours, 0.25m));
                if (d.Kind == RegisterDeltaKind.Rollback)
                {
                    f |= VeeRules.RegisterRollback;
                }

                if (inOrder)
                {
                    delta = d;
                }
            }
        }

        return new ValidatedRegister(reading, VeeRuleCatalog.RegisterRules, f, delta);
    }

    /// <summary>
    /// Compares the sum of interval values with the register advance between two reads of the total register.
    /// Evaluated only when the intervals tile [from.ReadAt, to.ReadAt) exactly once; otherwise NotEvaluated.
    /// </summary>
    /// <param name="from">Earlier register read.</param>
    /// <param name="to">Later register read.</param>
    /// <param name="intervals">Interval values of the same channel in the period, any order.</param>
    /// <param name="registerToIntervalFactor">Multiplier bringing the register delta to the intervals' side (CT × PT, or 1).</param>
    /// <param name="options">Tolerances.</param>
    public static IntervalSumCheck CheckIntervalSum(RegisterReading from, RegisterReading to, IReadOnlyList<IntervalReading> intervals, decimal registerToIntervalFactor, VeeOptions options)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(options);
        RegisterDelta d = RegisterMath.Delta(from.Value, to.Value, to.MeterDigits ?? from.MeterDigits, decimal.MaxValue / 2);
        decimal registerDelta = d.Delta * registerToIntervalFactor;
        IntervalReading[] sorted = intervals.OrderBy(r => r.Start).ToArray();
        decimal sum = 0m;
        DateTimeOffset cursor = from.ReadAt;
        foreach (IntervalReading r in sorted)
        {
            if (r.Start != cursor)
            {
                return new IntervalSumCheck(VeeOutcome.NotEvaluated, registerDelta, sum);
            }

            sum += r.Value;
            cursor = r.End;
        }

        if (cursor != to.ReadAt || sorted.Length == 0)
        {
            return new IntervalSumCheck(VeeOutcome.NotEvaluated, registerDelta, sum);
        }

        decimal tolerance = Math.Max(options.IntervalSumAbsoluteTolerance, Math.Abs(registerDelta) * options.IntervalSumRelativeTolerance);
        VeeOutcome outcome = Math.Abs(sum - registerDelta) <= tolerance ? VeeOutcome.Pass : VeeOutcome.Fail;
        return new IntervalSumCheck(outcome, registerDelta, sum);
    }

    private static void MarkProlongedZero(IReadOnlyList<IntervalReading> delivery, VeeRules[] failed, Dictionary<DateTimeOffset, IntervalReading> stored, int intervalMinutes, TimeSpan threshold)
    {
        // Only values of this delivery are marked, and only zeros: without a storable zero in it there is nothing to
        // find (most series), so the combined view is not built.
        bool anyZero = false;
        for (int i = 0; i < delivery.Count && !anyZero; i++)
        {
            anyZero = delivery[i].Value == 0m && VeeRuleCatalog.Disposition(failed[i]) is ValueDisposition.Accepted or ValueDisposition.Suspect;
        }

        if (!anyZero)
        {
            return;
        }

        // Combined view: stored values overlaid by this delivery's storable values; -1 marks stored-only entries.
        var combined = new Dictionary<DateTimeOffset, (decimal Value, int Index)>(stored.Count + delivery.Count);
        foreach (KeyValuePair<DateTimeOffset, IntervalReading> s in stored)
        {
            if (MeterChannels.IsActual(s.Value.Quality))
            {
                combined[s.Key] = (s.Value.Value, -1);
            }
        }

        for (int i = 0; i < delivery.Count; i++)
        {
            if (VeeRuleCatalog.Disposition(failed[i]) is ValueDisposition.Accepted or ValueDisposition.Suspect)
            {
                combined[delivery[i].Start] = (delivery[i].Value, i);
            }
        }

        DateTimeOffset[] starts = combined.Keys.ToArray();
        Array.Sort(starts);
        TimeSpan step = TimeSpan.FromMinutes(intervalMinutes);
        int runStart = -1;
        for (int k = 0; k <= starts.Length; k++)
        {
            bool zero = k < starts.Length && combined[starts[k]].Value == 0m;
            bool contiguous = zero && runStart >= 0 && starts[k] - starts[k - 1] == step;
            if (zero && runStart < 0)
            {
                runStart = k;
                continue;
            }

            if (zero && contiguous)
            {
                continue;
            }

            if (runStart >= 0)
            {
                TimeSpan length = starts[k - 1] - starts[runStart] + step;
                if (length >= threshold)
                {
                    for (int j = runStart; j < k; j++)
                    {
                        int index = combined[starts[j]].Index;
                        if (index >= 0)
                        {
                            failed[index] |= VeeRules.ProlongedZero;
                        }
                    }
                }

                runStart = zero ? k : -1;
            }
        }
    }
}
