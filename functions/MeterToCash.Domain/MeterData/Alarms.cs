namespace MeterToCash.Domain.MeterData;

/// <summary>Conditions that raise alarms.</summary>
public enum AlarmKind
{
    /// <summary>A single meter sent a last gasp (subject: meter).</summary>
    MeterPowerOff = 0,

    /// <summary>A large share of an area's meters is down (subject: area).</summary>
    AreaOutage = 1,

    /// <summary>Voltage sag or swell reported (subject: meter).</summary>
    VoltageOutOfLimits = 2,

    /// <summary>Phase loss reported (subject: meter).</summary>
    PhaseLoss = 3,

    /// <summary>Meter or terminal cover opened (subject: meter).</summary>
    Tamper = 4,

    /// <summary>Consumption dropped suddenly to zero (subject: meter).</summary>
    SuddenDropToZero = 5,

    /// <summary>Reverse energy at a customer without generation (subject: meter).</summary>
    ReverseEnergyWithoutGeneration = 6,

    /// <summary>No reading for longer than the threshold (subject: meter).</summary>
    ProlongedNoRead = 7,

    /// <summary>Meter clock error (subject: meter).</summary>
    ClockError = 8,

    /// <summary>Transformer heavy load: load rate at or above the heavy share for N consecutive intervals (subject: area).</summary>
    HeavyLoad = 9,

    /// <summary>Transformer overload: load rate at or above the overload share (subject: area).</summary>
    Overload = 10,

    /// <summary>Persistent high line loss, suspected theft (subject: area; the detail names the meters).</summary>
    TheftSuspicion = 11,

    /// <summary>Negative line loss: customers metered more than the master meter, a meter or archive error (subject: area).</summary>
    NegativeLineLoss = 12,

    /// <summary>A channel day's reconciliation has a difference still open past its decision deadline (area: the channel id; subject: the channel date).</summary>
    ReconciliationOverdue = 13,

    /// <summary>A channel's journal has an entry the ledger does not (area: the channel id; subject: the channel date): an internal failure.</summary>
    ReconciliationLedgerMissing = 14,
}

/// <summary>Alarm severity, ascending.</summary>
public enum AlarmSeverity
{
    /// <summary>Informational.</summary>
    Info = 0,

    /// <summary>Minor: handle within days.</summary>
    Minor = 1,

    /// <summary>Major: handle today.</summary>
    Major = 2,

    /// <summary>Critical: handle now.</summary>
    Critical = 3,
}

/// <summary>Department responsible for an alarm.</summary>
public enum Department
{
    /// <summary>Operations and maintenance (运检): outages, power quality.</summary>
    Operations = 0,

    /// <summary>Metering (计量中心): meter and communication faults.</summary>
    Metering = 1,

    /// <summary>Revenue protection / inspection (用电检查·稽查): tamper and theft.</summary>
    RevenueProtection = 2,

    /// <summary>Finance (财务): payment reconciliation against the bank.</summary>
    Finance = 3,
}

/// <summary>Alarm lifecycle state: Open → Acknowledged → Closed (Open → Closed allowed).</summary>
public enum AlarmState
{
    /// <summary>Raised, nobody has taken it.</summary>
    Open = 0,

    /// <summary>Taken by an operator.</summary>
    Acknowledged = 1,

    /// <summary>Resolved; a new occurrence opens a new alarm.</summary>
    Closed = 2,
}

/// <summary>The deduplication key: one live alarm per (kind, subject). Subject is a meter number or an area id.</summary>
/// <param name="Kind">Condition.</param>
/// <param name="Subject">Meter number or area id.</param>
public readonly record struct AlarmKey(AlarmKind Kind, string Subject)
{
    /// <summary>"Kind:Subject", usable as a table row key.</summary>
    public override string ToString() => $"{Kind}:{Subject}";
}

/// <summary>An observation that a condition holds.</summary>
/// <param name="Key">Which condition.</param>
/// <param name="ObservedAt">When it was observed, UTC.</param>
/// <param name="Severity">Severity of this observation; null uses the kind's default.</param>
/// <param name="Detail">Free text for operators.</param>
public readonly record struct AlarmCondition(AlarmKey Key, DateTimeOffset ObservedAt, AlarmSeverity? Severity = null, string? Detail = null);

/// <summary>An alarm.</summary>
/// <param name="Key">Dedup key.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Severity">Highest severity observed while live.</param>
/// <param name="Department">Responsible department.</param>
/// <param name="OpenedAt">First observation, UTC.</param>
/// <param name="LastSeenAt">Latest observation, UTC.</param>
/// <param name="Occurrences">Distinct observations folded into this alarm.</param>
/// <param name="AcknowledgedBy">Operator who acknowledged, if any.</param>
/// <param name="AcknowledgedAt">When acknowledged.</param>
/// <param name="ClosedAt">When closed.</param>
/// <param name="Detail">Latest detail text.</param>
public sealed record Alarm(
    AlarmKey Key,
    AlarmState State,
    AlarmSeverity Severity,
    Department Department,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClosedAt,
    string? Detail)
{
    /// <summary>Open or acknowledged.</summary>
    public bool IsLive => State != AlarmState.Closed;

    /// <summary>How long the alarm was (or has been, until <paramref name="now"/>) live.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (ClosedAt ?? now) - OpenedAt;
}

/// <summary>Result of a lifecycle transition; failure is an expected outcome (e.g. closing twice), not an exception.</summary>
/// <param name="Succeeded">True when the transition was applied.</param>
/// <param name="Alarm">The alarm after the attempt (unchanged on failure).</param>
/// <param name="Error">Why it failed.</param>
public readonly record struct AlarmTransition(bool Succeeded, Alarm Alarm, string? Error);

/// <summary>Alarm state machine, classification and event mapping. Pure.</summary>
public static class AlarmRules
{
    /// <summary>Default severity and department of each kind.</summary>
    public static (AlarmSeverity Severity, Department Department) Classify(AlarmKind kind) => kind switch
    {
        AlarmKind.AreaOutage => (AlarmSeverity.Critical, Department.Operations),
        AlarmKind.MeterPowerOff => (AlarmSeverity.Minor, Department.Operations),
        AlarmKind.VoltageOutOfLimits => (AlarmSeverity.Minor, Department.Operations),
        AlarmKind.PhaseLoss => (AlarmSeverity.Major, Department.Operations),
        AlarmKind.Tamper => (AlarmSeverity.Major, Department.RevenueProtection),
        AlarmKind.SuddenDropToZero => (AlarmSeverity.Major, Department.RevenueProtection),
        AlarmKind.ReverseEnergyWithoutGeneration => (AlarmSeverity.Major, Department.RevenueProtection),
        AlarmKind.ProlongedNoRead => (AlarmSeverity.Minor, Department.Metering),
        AlarmKind.HeavyLoad => (AlarmSeverity.Minor, Department.Operations),
        AlarmKind.Overload => (AlarmSeverity.Major, Department.Operations),
        AlarmKind.TheftSuspicion => (AlarmSeverity.Major, Department.RevenueProtection),
        AlarmKind.NegativeLineLoss => (AlarmSeverity.Minor, Department.Metering),
        AlarmKind.ReconciliationOverdue => (AlarmSeverity.Major, Department.Finance),
        AlarmKind.ReconciliationLedgerMissing => (AlarmSeverity.Critical, Department.Finance),
        _ => (AlarmSeverity.Minor, Department.Metering),
    };

    /// <summary>
    /// Folds an observation into the alarm of its key. No alarm, or a closed one → a new open alarm (unless the
    /// observation is not later than the close, i.e. stale). A live alarm is updated: last-seen, occurrence count and the
    /// higher severity. Observations not later than <see cref="Alarm.LastSeenAt"/> change nothing, so redelivered
    /// events are idempotent.
    /// </summary>
    public static Alarm Raise(Alarm? existing, AlarmCondition condition)
    {
        (AlarmSeverity defaultSeverity, Department department) = Classify(condition.Key.Kind);
        AlarmSeverity severity = condition.Severity ?? defaultSeverity;
        if (existing is not null && existing.Key != condition.Key)
        {
            throw new ArgumentException("The condition belongs to another alarm.", nameof(condition));
        }

        if (existing is null || (!existing.IsLive && condition.ObservedAt > existing.ClosedAt))
        {
            return new Alarm(condition.Key, AlarmState.Open, severity, department, condition.ObservedAt, condition.ObservedAt, 1, null, null, null, condition.Detail);
        }

        if (!existing.IsLive || condition.ObservedAt <= existing.LastSeenAt)
        {
            return existing;
        }

        return existing with
        {
            LastSeenAt = condition.ObservedAt,
            Occurrences = existing.Occurrences + 1,
            Severity = severity > existing.Severity ? severity : existing.Severity,
            Detail = condition.Detail ?? existing.Detail,
        };
    }

    /// <summary>Open → Acknowledged. Acknowledging an acknowledged alarm again is a no-op success; a closed one fails.</summary>
    public static AlarmTransition Acknowledge(Alarm alarm, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return alarm.State switch
        {
            AlarmState.Open => new AlarmTransition(true, alarm with { State = AlarmState.Acknowledged, AcknowledgedBy = by, AcknowledgedAt = at }, null),
            AlarmState.Acknowledged => new AlarmTransition(true, alarm, null),
            _ => new AlarmTransition(false, alarm, "Alarm is closed."),
        };
    }

    /// <summary>Open/Acknowledged → Closed at <paramref name="at"/> (not before it opened). Closing a closed alarm fails.</summary>
    public static AlarmTransition Close(Alarm alarm, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (!alarm.IsLive)
        {
            return new AlarmTransition(false, alarm, "Alarm is already closed.");
        }

        DateTimeOffset closedAt = at < alarm.OpenedAt ? alarm.OpenedAt : at;
        return new AlarmTransition(true, alarm with { State = AlarmState.Closed, ClosedAt = closedAt }, null);
    }

    /// <summary>The condition a meter event raises, or null (restoration, or reverse energy at a generating customer).</summary>
    public static AlarmCondition? ConditionOf(MeterEvent meterEvent, MeterArchiveEntry meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        AlarmKind? kind = meterEvent.Kind switch
        {
            MeterEventKind.PowerOff => AlarmKind.MeterPowerOff,
            MeterEventKind.CoverOpen or MeterEventKind.TerminalCoverOpen => AlarmKind.Tamper,
            MeterEventKind.VoltageSag or MeterEventKind.VoltageSwell => AlarmKind.VoltageOutOfLimits,
            MeterEventKind.PhaseLoss => AlarmKind.PhaseLoss,
            MeterEventKind.ReverseEnergy when !meter.HasGeneration => AlarmKind.ReverseEnergyWithoutGeneration,
            MeterEventKind.ClockError => AlarmKind.ClockError,
            _ => null,
        };
        return kind is { } k ? new AlarmCondition(new AlarmKey(k, meterEvent.Meter.Value), meterEvent.OccurredAt, null, meterEvent.Kind.ToString()) : null;
    }

    /// <summary>The alarm a meter event resolves (power restored closes the meter's power-off alarm), or null.</summary>
    public static AlarmKey? ClosedBy(MeterEvent meterEvent) =>
        meterEvent.Kind == MeterEventKind.PowerRestored ? new AlarmKey(AlarmKind.MeterPowerOff, meterEvent.Meter.Value) : null;
}

/// <summary>Consumption-based suspicion rules (theft or fault).</summary>
public static class ConsumptionRules
{
    /// <summary>
    /// True when the meter consumed at least <paramref name="minimumBaselineAverage"/> per interval on average over
    /// <paramref name="baseline"/> and then exactly zero in every one of <paramref name="recent"/> (non-empty).
    /// </summary>
    public static bool IsSuddenDropToZero(ReadOnlySpan<decimal> baseline, ReadOnlySpan<decimal> recent, decimal minimumBaselineAverage)
    {
        if (baseline.IsEmpty || recent.IsEmpty)
        {
            return false;
        }

        decimal sum = 0m;
        foreach (decimal v in baseline)
        {
            sum += v;
        }

        foreach (decimal v in recent)
        {
            if (v != 0m)
            {
                return false;
            }
        }

        return sum / baseline.Length >= minimumBaselineAverage;
    }

    /// <summary>
    /// Where a day ends in a sudden drop to zero: its trailing run of actual zero values is at least
    /// <paramref name="minimumIntervals"/> long (estimates end the run: they are not measurements), and the actual values
    /// of <paramref name="baselineDays"/> average at least <paramref name="minimumBaselineAverage"/> per interval. Returns the
    /// start of the zero run (UTC), or null.
    /// </summary>
    /// <param name="day">The day to judge (active import, primary side).</param>
    /// <param name="baselineDays">Earlier curves of the same series.</param>
    /// <param name="minimumIntervals">Least length of the zero run, in intervals.</param>
    /// <param name="minimumBaselineAverage">Least baseline average per interval, in the curve's unit.</param>
    public static DateTimeOffset? SuddenDropToZeroSince(DayCurve day, IEnumerable<DayCurve> baselineDays, int minimumIntervals, decimal minimumBaselineAverage)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(baselineDays);
        ReadOnlySpan<CurveSlot> slots = day.Slots;
        int last = slots.Length - 1;
        while (last >= 0 && !slots[last].HasValue)
        {
            last--;
        }

        int first = last;
        while (first >= 0 && slots[first].HasValue && MeterChannels.IsActual(slots[first].Quality) && slots[first].Value == 0m)
        {
            first--;
        }

        int run = last - first;
        if (run < Math.Max(1, minimumIntervals))
        {
            return null;
        }

        List<decimal> baseline = [];
        foreach (DayCurve reference in baselineDays)
        {
            foreach (CurveSlot slot in reference.Slots)
            {
                if (slot.HasValue && MeterChannels.IsActual(slot.Quality))
                {
                    baseline.Add(slot.Value);
                }
            }
        }

        decimal[] recent = new decimal[run];
        return IsSuddenDropToZero(baseline.ToArray(), recent, minimumBaselineAverage) ? day.SlotStart(first + 1) : null;
    }

    /// <summary>True when export energy above <paramref name="tolerance"/> was measured at a customer without generation.</summary>
    public static bool IsReverseEnergyWithoutGeneration(MeterArchiveEntry meter, decimal exportEnergy, decimal tolerance = 0.01m)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return !meter.HasGeneration && exportEnergy > tolerance;
    }

    /// <summary>True when the last successful read is older than <paramref name="threshold"/> (or there never was one).</summary>
    public static bool IsProlongedNoRead(DateTimeOffset? lastReadAt, DateTimeOffset now, TimeSpan threshold) =>
        lastReadAt is not { } last || now - last > threshold;
}
