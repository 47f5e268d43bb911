using MeterToCash.Domain.MeterData;

namespace MeterToCash.Simulator;

/// <summary>Probabilities (per meter per interval) of injected faults. All zero = clean data.</summary>
public sealed record FaultOptions
{
    /// <summary>No faults.</summary>
    public static readonly FaultOptions None = new();

    /// <summary>A realistic mix for soak tests.</summary>
    public static readonly FaultOptions Typical = new()
    {
        Gap = 0.01, Spike = 0.002, Duplicate = 0.01, Late = 0.02, Outage = 0.0005, Tamper = 0.0002,
    };

    /// <summary>Value never delivered.</summary>
    public double Gap { get; init; }

    /// <summary>Value multiplied by 50.</summary>
    public double Spike { get; init; }

    /// <summary>Value delivered twice.</summary>
    public double Duplicate { get; init; }

    /// <summary>Value held back and delivered with a later batch (back-fill).</summary>
    public double Late { get; init; }

    /// <summary>Meter sends a last gasp and goes silent for <see cref="OutageIntervals"/> intervals, then a restore.</summary>
    public double Outage { get; init; }

    /// <summary>Cover-open event.</summary>
    public double Tamper { get; init; }

    /// <summary>How many intervals a simulated outage lasts.</summary>
    public int OutageIntervals { get; init; } = 8;

    /// <summary>How many intervals a late value is held back.</summary>
    public int LateIntervals { get; init; } = 4;
}

/// <summary>What the head-end sends for one interval tick.</summary>
/// <param name="Intervals">Interval values (including duplicates and back-filled late values).</param>
/// <param name="Events">Meter events.</param>
public sealed record SimulatedDelivery(IReadOnlyList<IntervalReading> Intervals, IReadOnlyList<MeterEvent> Events);

/// <summary>
/// Produces the head-end's deliveries with deterministic fault injection: everything is a pure function of
/// (seed, meters, options, interval start), so a run can be replayed exactly.
/// </summary>
public sealed class HeadEndSimulation(IReadOnlyList<SimulatedMeter> meters, int seed, FaultOptions faults, int intervalMinutes = 15)
{
    // Meters an operator has cut off (an area outage on demand): silent until restored. The only state besides the seed.
    private readonly HashSet<string> _cut = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The simulated meters.</summary>
    public IReadOnlyList<SimulatedMeter> Meters => meters;

    /// <summary>Meters currently cut off.</summary>
    public IReadOnlyList<string> CutOff
    {
        get
        {
            lock (_gate)
            {
                return [.. _cut.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Cuts the supply of the given simulated meters at <paramref name="at"/>: the returned delivery holds their last
    /// gasps, and they send nothing more until <see cref="Restore"/>. Meters already cut or not simulated are ignored.
    /// </summary>
    public SimulatedDelivery Cut(IEnumerable<string> meterNumbers, DateTimeOffset at) =>
        Switch(meterNumbers, at, MeterEventKind.PowerOff, m => _cut.Add(m));

    /// <summary>Restores cut meters at <paramref name="at"/>: the returned delivery holds their power-restored events; they report again from the next tick.</summary>
    public SimulatedDelivery Restore(IEnumerable<string> meterNumbers, DateTimeOffset at) =>
        Switch(meterNumbers, at, MeterEventKind.PowerRestored, m => _cut.Remove(m));

    private SimulatedDelivery Switch(IEnumerable<string> meterNumbers, DateTimeOffset at, MeterEventKind kind, Func<string, bool> changes)
    {
        ArgumentNullException.ThrowIfNull(meterNumbers);
        List<MeterEvent> events = [];
        lock (_gate)
        {
            foreach (SimulatedMeter meter in Select(meterNumbers).Where(m => changes(m.Meter.Value)))
            {
                events.Add(new MeterEvent(meter.Meter, kind, at, EventCodes.ToCimCode(kind)));
            }
        }

        return new SimulatedDelivery([], events);
    }

    private IEnumerable<SimulatedMeter> Select(IEnumerable<string> meterNumbers)
    {
        HashSet<string> wanted = new(meterNumbers, StringComparer.OrdinalIgnoreCase);
        return meters.Where(m => wanted.Contains(m.Meter.Value));
    }

    /// <summary>The delivery for the interval starting at <paramref name="start"/> (UTC, on the local-day grid).</summary>
    public SimulatedDelivery Tick(DateTimeOffset start)
    {
        var intervals = new List<IntervalReading>();
        var events = new List<MeterEvent>();
        HashSet<string> cut;
        lock (_gate)
        {
            cut = new HashSet<string>(_cut, StringComparer.OrdinalIgnoreCase);
        }

        foreach (SimulatedMeter meter in meters.Where(m => !cut.Contains(m.Meter.Value)))
        {
            EmitInterval(meter, start, intervals, events);

            // Values held back LateIntervals ago are delivered now, after newer ones (back-fill).
            DateTimeOffset lateStart = start.AddMinutes(-faults.LateIntervals * intervalMinutes);
            if (Roll(meter, lateStart, "late") < faults.Late && State(meter, lateStart) == SlotFate.Delivered)
            {
                intervals.Add(Value(meter, lateStart));
            }
        }

        return new SimulatedDelivery(intervals, events);
    }

    private enum SlotFate
    {
        Delivered,
        Missing,
        InOutage,
    }

    private void EmitInterval(SimulatedMeter meter, DateTimeOffset start, List<IntervalReading> intervals, List<MeterEvent> events)
    {
        // An outage starting at any of the last OutageIntervals slots silences the meter now.
        for (int back = 0; back <= faults.OutageIntervals; back++)
        {
            DateTimeOffset s = start.AddMinutes(-back * intervalMinutes);
            if (Roll(meter, s, "outage") < faults.Outage)
            {
                if (back == 0)
                {
                    events.Add(new MeterEvent(meter.Meter, MeterEventKind.PowerOff, start, EventCodes.ToCimCode(MeterEventKind.PowerOff)));
                }
                else if (back == faults.OutageIntervals)
                {
                    events.Add(new MeterEvent(meter.Meter, MeterEventKind.PowerRestored, start, EventCodes.ToCimCode(MeterEventKind.PowerRestored)));
                    break;
                }

                return;
            }
        }

        if (Roll(meter, start, "tamper") < faults.Tamper)
        {
            events.Add(new MeterEvent(meter.Meter, MeterEventKind.CoverOpen, start.AddMinutes(1), EventCodes.ToCimCode(MeterEventKind.CoverOpen)));
        }

        if (State(meter, start) != SlotFate.Delivered || Roll(meter, start, "late") < faults.Late)
        {
            return;
        }

        IntervalReading value = Value(meter, start);
        intervals.Add(value);
        if (Roll(meter, start, "duplicate") < faults.Duplicate)
        {
            intervals.Add(value);
        }
    }

    private SlotFate State(SimulatedMeter meter, DateTimeOffset start) =>
        Roll(meter, start, "gap") < faults.Gap ? SlotFate.Missing : SlotFate.Delivered;

    private IntervalReading Value(SimulatedMeter meter, DateTimeOffset start)
    {
        IntervalReading reading = CurveGenerator.Interval(meter, start, seed, intervalMinutes);
        return Roll(meter, start, "spike") < faults.Spike ? reading with { Value = reading.Value * 50m } : reading;
    }

    private double Roll(SimulatedMeter meter, DateTimeOffset start, string fault) =>
        DeterministicRandom.Uniform(seed, meter.Meter.Value + "/" + fault, start.ToUnixTimeSeconds());

    /// <summary>
    /// The delivery as Event Hub events: one MeterReadings JSON document per meter, keyed by the meter number (the
    /// partition key), so a meter's readings stay in order within a partition, as the streaming trigger expects.
    /// </summary>
    public static IReadOnlyList<(string PartitionKey, byte[] Body)> ToMeterEvents(SimulatedDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return
        [
            .. delivery.Intervals.Select(i => i.Meter.Value).Concat(delivery.Events.Select(e => e.Meter.Value)).Distinct(StringComparer.Ordinal)
                .Select(m => (m, MeterReadingsJsonWriter.Write([.. delivery.Intervals.Where(i => i.Meter.Value == m)], [], [.. delivery.Events.Where(e => e.Meter.Value == m)]))),
        ];
    }

    /// <summary>The JSON push document (IEC 61968-9 MeterReadings JSON) of a delivery.</summary>
    public static byte[] ToJson(SimulatedDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return MeterReadingsJsonWriter.Write(delivery.Intervals, [], delivery.Events);
    }
}
