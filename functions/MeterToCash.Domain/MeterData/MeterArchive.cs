using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// What the pipeline knows about a meter from the asset archive, passed in so the rules stay pure.
/// </summary>
/// <param name="Meter">Meter number.</param>
/// <param name="AreaId">Supply area (台区) the meter belongs to.</param>
/// <param name="InstalledAt">Installation instant, UTC; readings before it are refused.</param>
/// <param name="RemovedAt">Removal instant, UTC, exclusive; null while installed.</param>
/// <param name="CtRatio">Current-transformer ratio (e.g. 200/5 = 40); 1 for direct-connected meters.</param>
/// <param name="PtRatio">Voltage-transformer ratio (e.g. 10000/100 = 100); 1 for low voltage.</param>
/// <param name="MultiplierAppliedByHeadEnd">True when the head-end already delivers primary-side values.</param>
/// <param name="HasGeneration">True when the customer has generation (PV), so export energy is expected.</param>
/// <param name="IntervalMinutes">Configured curve interval (15, 30 or 60).</param>
/// <param name="MeterDigits">Integer digits of the register display, for rollover; null if unknown.</param>
public sealed record MeterArchiveEntry(
    MeterId Meter,
    string AreaId,
    DateTimeOffset InstalledAt,
    DateTimeOffset? RemovedAt,
    decimal CtRatio = 1m,
    decimal PtRatio = 1m,
    bool MultiplierAppliedByHeadEnd = false,
    bool HasGeneration = false,
    int IntervalMinutes = 15,
    int? MeterDigits = null)
{
    /// <summary>The combined multiplier (综合倍率) CT × PT.</summary>
    public decimal Multiplier => CtRatio * PtRatio;

    /// <summary>True when the meter was installed and not yet removed at <paramref name="instant"/>.</summary>
    public bool IsInstalledAt(DateTimeOffset instant) =>
        instant >= InstalledAt && (RemovedAt is null || instant < RemovedAt.Value);
}

/// <summary>Why a reading is routed to quarantine instead of processing.</summary>
public enum ArchiveDecision
{
    /// <summary>The meter is known and installed at the reading time.</summary>
    Accept = 0,

    /// <summary>No archive entry for the meter number.</summary>
    UnknownMeter = 1,

    /// <summary>The reading predates installation.</summary>
    BeforeInstallation = 2,

    /// <summary>The reading is at or after removal.</summary>
    AfterRemoval = 3,
}

/// <summary>Archive rules: quarantine and CT/PT multiplier.</summary>
public static class MeterArchiveRules
{
    /// <summary>Decides whether a reading at <paramref name="instant"/> belongs to a known, installed meter.</summary>
    /// <param name="entry">Archive entry, or null when the meter number is unknown.</param>
    /// <param name="instant">Interval start or register read time, UTC.</param>
    public static ArchiveDecision Check(MeterArchiveEntry? entry, DateTimeOffset instant)
    {
        if (entry is null)
        {
            return ArchiveDecision.UnknownMeter;
        }

        if (instant < entry.InstalledAt)
        {
            return ArchiveDecision.BeforeInstallation;
        }

        return entry.RemovedAt is { } removed && instant >= removed ? ArchiveDecision.AfterRemoval : ArchiveDecision.Accept;
    }

    /// <summary>
    /// Converts a secondary-side value to primary side by multiplying by CT × PT, unless the head-end already did.
    /// The product is rounded to 4 decimals, half away from zero, so it stays storable.
    /// </summary>
    public static decimal ToPrimary(decimal secondaryValue, MeterArchiveEntry entry) =>
        entry.MultiplierAppliedByHeadEnd
            ? secondaryValue
            : decimal.Round(secondaryValue * entry.Multiplier, MeterChannels.StoredDecimals, MidpointRounding.AwayFromZero);

    /// <summary>The interval reading with its value converted to primary side (see <see cref="ToPrimary(decimal, MeterArchiveEntry)"/>).</summary>
    public static IntervalReading ToPrimary(IntervalReading reading, MeterArchiveEntry entry) =>
        reading with { Value = ToPrimary(reading.Value, entry) };
}
