using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>A measured quantity of a meter; one interval curve and one set of registers per channel.</summary>
public enum MeterChannel : byte
{
    /// <summary>Active energy imported from the grid (正向有功), kWh.</summary>
    ActiveImport = 0,

    /// <summary>Active energy exported to the grid (反向有功), kWh.</summary>
    ActiveExport = 1,

    /// <summary>Reactive energy, forward (正向无功), kvarh.</summary>
    ReactiveImport = 2,

    /// <summary>Reactive energy, reverse (反向无功), kvarh.</summary>
    ReactiveExport = 3,
}

/// <summary>The unit a normalised value is expressed in.</summary>
public enum EnergyUnit : byte
{
    /// <summary>Kilowatt-hours (active energy).</summary>
    Kwh = 0,

    /// <summary>Kilovar-hours (reactive energy).</summary>
    Kvarh = 1,
}

/// <summary>
/// Quality of a value, ordered by trust rank: <see cref="Estimated"/> &lt; <see cref="Questionable"/> &lt;
/// <see cref="Valid"/> &lt; <see cref="ManuallyEdited"/> (see <see cref="MeterChannels.Rank"/>).
/// </summary>
public enum ReadingQuality : byte
{
    /// <summary>An actual value that passed validation (CIM quality category 0).</summary>
    Valid = 0,

    /// <summary>An actual value that failed a soft validation rule or was flagged by the source (categories 1–6, 10).</summary>
    Questionable = 1,

    /// <summary>A value produced by estimation, never read from the meter (category 8, e.g. 3.8.0).</summary>
    Estimated = 2,

    /// <summary>A value set by an operator (category 7); it overrides everything.</summary>
    ManuallyEdited = 3,
}

/// <summary>A cumulative register of a channel: the total or one time-of-use band.</summary>
public enum RegisterBand : byte
{
    /// <summary>Total over all bands (OBIS x.8.0).</summary>
    Total = 0,

    /// <summary>Critical peak register (OBIS x.8.1, 尖).</summary>
    CriticalPeak = 1,

    /// <summary>Peak register (OBIS x.8.2, 峰).</summary>
    Peak = 2,

    /// <summary>Flat register (OBIS x.8.3, 平).</summary>
    Flat = 3,

    /// <summary>Valley register (OBIS x.8.4, 谷).</summary>
    Valley = 4,
}

/// <summary>Meter events the domain reacts to.</summary>
public enum MeterEventKind : byte
{
    /// <summary>Power off, sent as a last gasp (掉电).</summary>
    PowerOff = 0,

    /// <summary>Power restored (上电).</summary>
    PowerRestored = 1,

    /// <summary>Meter cover opened (开表盖) — tamper.</summary>
    CoverOpen = 2,

    /// <summary>Terminal cover opened (开端钮盒) — tamper.</summary>
    TerminalCoverOpen = 3,

    /// <summary>Voltage below the lower limit.</summary>
    VoltageSag = 4,

    /// <summary>Voltage above the upper limit.</summary>
    VoltageSwell = 5,

    /// <summary>Loss of one or more phases (断相/失压).</summary>
    PhaseLoss = 6,

    /// <summary>Energy flowing in reverse (潮流反向).</summary>
    ReverseEnergy = 7,

    /// <summary>Meter clock deviates from the head-end (时钟异常).</summary>
    ClockError = 8,
}

/// <summary>
/// The idempotency key of an interval value: (meter, channel, interval start in UTC). Two deliveries with
/// the same key address the same slot, whichever entry point they came through; the interval length is
/// not part of the key because a channel has exactly one configured interval length.
/// </summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Start">Interval start, UTC, inclusive.</param>
public readonly record struct ReadingKey(MeterId Meter, MeterChannel Channel, DateTimeOffset Start);

/// <summary>One normalised interval value: energy consumed in [Start, Start + IntervalMinutes).</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Start">Interval start, UTC (offset zero), inclusive; aligned to the China-local-day grid.</param>
/// <param name="IntervalMinutes">Interval length: 15, 30 or 60 minutes.</param>
/// <param name="Value">Energy in <paramref name="Unit"/> (kWh or kvarh), at most 4 decimals.</param>
/// <param name="Unit">Unit as delivered after scaling (Wh → kWh); compared with the channel by VEE.</param>
/// <param name="Quality">Quality as delivered.</param>
public readonly record struct IntervalReading(
    MeterId Meter,
    MeterChannel Channel,
    DateTimeOffset Start,
    int IntervalMinutes,
    decimal Value,
    EnergyUnit Unit,
    ReadingQuality Quality)
{
    /// <summary>Interval end, UTC, exclusive.</summary>
    public DateTimeOffset End => Start.AddMinutes(IntervalMinutes);

    /// <summary>The idempotency key.</summary>
    public ReadingKey Key => new(Meter, Channel, Start);
}

/// <summary>One cumulative register read (表码).</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Band">Total or time-of-use band register.</param>
/// <param name="ReadAt">When the register had this value, UTC.</param>
/// <param name="Value">Register value in <paramref name="Unit"/>, at most 4 decimals, as shown by the meter (before CT/PT).</param>
/// <param name="Unit">Unit after scaling.</param>
/// <param name="Quality">Quality as delivered.</param>
/// <param name="MeterDigits">Integer digits of the register display (e.g. 6 rolls over after 999999.99), when known.</param>
public readonly record struct RegisterReading(
    MeterId Meter,
    MeterChannel Channel,
    RegisterBand Band,
    DateTimeOffset ReadAt,
    decimal Value,
    EnergyUnit Unit,
    ReadingQuality Quality,
    int? MeterDigits);

/// <summary>A meter event.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Kind">What happened.</param>
/// <param name="OccurredAt">When, UTC.</param>
/// <param name="Code">The source's event code as delivered (e.g. a CIM EndDeviceEventType), for audit.</param>
public readonly record struct MeterEvent(MeterId Meter, MeterEventKind Kind, DateTimeOffset OccurredAt, string Code);

/// <summary>Facts about channels.</summary>
public static class MeterChannels
{
    /// <summary>The unit a channel is measured in.</summary>
    public static EnergyUnit UnitOf(MeterChannel channel) =>
        channel is MeterChannel.ActiveImport or MeterChannel.ActiveExport ? EnergyUnit.Kwh : EnergyUnit.Kvarh;

    /// <summary>Trust rank of a quality; higher wins when two values compete for a slot.</summary>
    public static int Rank(ReadingQuality quality) => quality switch
    {
        ReadingQuality.Estimated => 0,
        ReadingQuality.Questionable => 1,
        ReadingQuality.Valid => 2,
        _ => 3,
    };

    /// <summary>True for values read from the meter or set by an operator (not estimated).</summary>
    public static bool IsActual(ReadingQuality quality) => quality != ReadingQuality.Estimated;

    /// <summary>Interval lengths the domain accepts, in minutes.</summary>
    public static bool IsSupportedInterval(int minutes) => minutes is 15 or 30 or 60;

    /// <summary>The largest magnitude a normalised value may have (10^12 kWh); anything larger is corrupt input.</summary>
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    /// <summary>Decimals kept for stored values (0.0001 kWh = 0.1 Wh).</summary>
    public const int StoredDecimals = 4;

    /// <summary>True when a value fits storage exactly: at most 4 decimals and within ±<see cref="MaxMagnitude"/>.</summary>
    public static bool IsStorable(decimal value) =>
        value <= MaxMagnitude && value >= -MaxMagnitude && decimal.Round(value, StoredDecimals) == value;
}
