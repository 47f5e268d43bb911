using MeterToCash.Domain.Common;
namespace MeterToCash.Domain.Tariffs;

/// <summary>Which rating rules a tariff follows; decides which components a version must carry.</summary>
public enum TariffKind
{
    /// <summary>Residential tiered tariff (阶梯电价), with or without time-of-use.</summary>
    ResidentialLadder,

    /// <summary>General commercial (一般工商业), single price or time-of-use.</summary>
    GeneralCommercial,

    /// <summary>Large industrial two-part tariff (两部制电价): basic charge plus time-of-use energy.</summary>
    LargeIndustrialTwoPart,
}

/// <summary>The kind of day a time-of-use schedule distinguishes.</summary>
public enum DayType
{
    /// <summary>Monday to Friday that is not a public holiday (including make-up working days).</summary>
    Workday = 0,

    /// <summary>Saturday or Sunday that is not a make-up working day.</summary>
    Weekend = 1,

    /// <summary>A statutory public holiday.</summary>
    Holiday = 2,
}

/// <summary>Over which span ladder thresholds are counted.</summary>
public enum LadderPeriod
{
    /// <summary>Thresholds per calendar month, prorated by the billed days.</summary>
    Monthly,

    /// <summary>Thresholds per calendar year; consumption accumulates across the year's bills.</summary>
    Annual,
}

/// <summary>How a two-part tariff's basic charge (基本电费) is measured.</summary>
public enum BasicChargeMethod
{
    /// <summary>Installed transformer capacity, kVA × yuan per kVA-month.</summary>
    Capacity,

    /// <summary>Maximum demand, kW × yuan per kW-month, raised to a contracted minimum where configured.</summary>
    Demand,
}

/// <summary>The power-factor standard of the national adjustment table ((83)水电财字第215号).</summary>
public enum PowerFactorStandard
{
    /// <summary>0.90: high-voltage industrial customers of 160 kVA and above.</summary>
    Pf090 = 90,

    /// <summary>0.85: other customers of 100 kVA and above.</summary>
    Pf085 = 85,

    /// <summary>0.80: agricultural customers of 100 kVA and above.</summary>
    Pf080 = 80,
}

/// <summary>Energy per time-of-use band, in kWh, exact.</summary>
/// <param name="CriticalPeak">Critical-peak energy, kWh.</param>
/// <param name="Peak">Peak energy, kWh.</param>
/// <param name="Flat">Flat (shoulder) energy, kWh.</param>
/// <param name="Valley">Valley energy, kWh.</param>
public readonly record struct BandEnergy(decimal CriticalPeak, decimal Peak, decimal Flat, decimal Valley)
{
    /// <summary>The energy of one band, kWh.</summary>
    public decimal this[TouBand band] => band switch
    {
        TouBand.CriticalPeak => CriticalPeak,
        TouBand.Peak => Peak,
        TouBand.Flat => Flat,
        TouBand.Valley => Valley,
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>The sum of all four bands, kWh.</summary>
    public decimal Total => CriticalPeak + Peak + Flat + Valley;
}

/// <summary>Prices per time-of-use band in yuan per kWh; a band without a price is not offered by the tariff.</summary>
/// <param name="CriticalPeak">Critical-peak price, yuan/kWh, or null.</param>
/// <param name="Peak">Peak price, yuan/kWh, or null.</param>
/// <param name="Flat">Flat (shoulder) price, yuan/kWh, or null.</param>
/// <param name="Valley">Valley price, yuan/kWh, or null.</param>
public readonly record struct BandPrices(decimal? CriticalPeak, decimal? Peak, decimal? Flat, decimal? Valley)
{
    /// <summary>The price of one band, yuan/kWh, or null when the tariff has no such band.</summary>
    public decimal? this[TouBand band] => band switch
    {
        TouBand.CriticalPeak => CriticalPeak,
        TouBand.Peak => Peak,
        TouBand.Flat => Flat,
        TouBand.Valley => Valley,
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };
}

/// <summary>
/// The energy charge (电度电费) of a version: either one price for all hours or a price per time-of-use band.
/// For a ladder tariff these are the tier-1 (base) prices; tier surcharges come on top.
/// </summary>
public sealed record EnergyCharge
{
    /// <summary>The single all-day price in yuan/kWh for a tariff without time-of-use; null for a time-of-use tariff.</summary>
    public decimal? SinglePrice { get; init; }

    /// <summary>Prices per band in yuan/kWh for a time-of-use tariff; null for a single-price tariff.</summary>
    public BandPrices? Bands { get; init; }

    /// <summary>True when energy is priced per time-of-use band.</summary>
    public bool IsTimeOfUse => Bands is not null;
}

/// <summary>One tier of a ladder.</summary>
/// <param name="UpToKwh">Upper threshold in whole kWh, inclusive (the tier covers consumption up to and including it);
/// null for the last, open-ended tier. Per month or per year as the ladder's period says.</param>
/// <param name="Surcharge">Surcharge over the base price in yuan/kWh (0 for tier 1).</param>
public readonly record struct LadderTier(decimal? UpToKwh, decimal Surcharge);

/// <summary>A residential ladder (阶梯): tier thresholds and surcharges over the base energy price.</summary>
public sealed record LadderDefinition
{
    /// <summary>Whether thresholds count per calendar month or per calendar year.</summary>
    public required LadderPeriod Period { get; init; }

    /// <summary>Tiers in ascending order; every tier but the last has a threshold.</summary>
    public required IReadOnlyList<LadderTier> Tiers { get; init; }
}

/// <summary>The basic charge (基本电费) of a two-part tariff, per month.</summary>
public sealed record BasicChargeDefinition
{
    /// <summary>Yuan per kVA of transformer capacity per month; null when capacity billing is not offered.</summary>
    public decimal? PricePerKvaMonth { get; init; }

    /// <summary>Yuan per kW of maximum demand per month; null when demand billing is not offered.</summary>
    public decimal? PricePerKwMonth { get; init; }

    /// <summary>The method used when the customer's determinants do not choose one.</summary>
    public BasicChargeMethod DefaultMethod { get; init; }

    /// <summary>
    /// For demand billing, the billed kW is at least this share of the transformer capacity in kVA (e.g. 0.40);
    /// null for no minimum.
    /// </summary>
    public decimal? MinimumDemandShareOfCapacity { get; init; }
}

/// <summary>Power-factor adjustment (功率因数调整电费) applies, with this default standard.</summary>
/// <param name="Standard">The standard used unless the determinants name the customer's own.</param>
public sealed record PowerFactorRule(PowerFactorStandard Standard);

/// <summary>A per-kWh pass-through component (government funds and surcharges, 政府性基金及附加, or others).</summary>
/// <param name="Code">Stable code of the component, e.g. "gov-funds".</param>
/// <param name="Name">Name printed on the bill.</param>
/// <param name="PricePerKwh">Yuan per kWh, applied to all active energy.</param>
public sealed record PassThroughComponent(string Code, string Name, decimal PricePerKwh);

/// <summary>Late-payment fee (违约金) rule for a customer class.</summary>
public sealed record LateFeeRule
{
    /// <summary>Days after the due date that are free of charge.</summary>
    public int GraceDays { get; init; }

    /// <summary>Fee per day as a fraction of the amount overdue (0.001 = 1‰).</summary>
    public required decimal DailyRate { get; init; }

    /// <summary>Daily rate for overdue days falling in a later calendar year than the due date; null to use <see cref="DailyRate"/>.</summary>
    public decimal? CrossYearDailyRate { get; init; }

    /// <summary>Smallest fee charged once any fee is due; null for none.</summary>
    public Common.Money? Minimum { get; init; }
}

/// <summary>One version of a tariff, in effect from <see cref="EffectiveFrom"/> until the next version starts.</summary>
public sealed record TariffVersion
{
    /// <summary>Version label printed on every bill line it produces, e.g. "2024-07".</summary>
    public required string Version { get; init; }

    /// <summary>First day the version applies (inclusive), China local date.</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>The price notice the version implements (e.g. a document number); printed with each clause.</summary>
    public string? Notice { get; init; }

    /// <summary>The energy charge; for a ladder the tier-1 prices.</summary>
    public required EnergyCharge Energy { get; init; }

    /// <summary>The ladder for residential tariffs; null otherwise.</summary>
    public LadderDefinition? Ladder { get; init; }

    /// <summary>The basic charge for two-part tariffs; null otherwise.</summary>
    public BasicChargeDefinition? Basic { get; init; }

    /// <summary>Power-factor adjustment, when it applies.</summary>
    public PowerFactorRule? PowerFactor { get; init; }

    /// <summary>Per-kWh pass-through components, each billed as its own line.</summary>
    public IReadOnlyList<PassThroughComponent> PassThrough { get; init; } = [];

    /// <summary>Late-payment fee rule of the customer class, when configured.</summary>
    public LateFeeRule? LateFee { get; init; }

    /// <summary>Hours of the time-of-use bands, for classifying interval readings; null when not configured.</summary>
    public TouSchedule? Schedule { get; init; }
}

/// <summary>A tariff: named, versioned rating data.</summary>
public sealed record Tariff
{
    /// <summary>Stable identifier, e.g. "sample-shanghai-residential-tou".</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name.</summary>
    public required string Name { get; init; }

    /// <summary>Which rating rules apply.</summary>
    public required TariffKind Kind { get; init; }

    /// <summary>True for sample data that must be verified against the current local price notice before use.</summary>
    public bool IsSample { get; init; }

    /// <summary>What to verify, for samples.</summary>
    public string? SampleNote { get; init; }

    /// <summary>Versions in ascending order of <see cref="TariffVersion.EffectiveFrom"/>.</summary>
    public required IReadOnlyList<TariffVersion> Versions { get; init; }
}

/// <summary>A problem found in a tariff document or object.</summary>
/// <param name="Path">JSON path of the offending field, e.g. <c>$.versions[1].ladder.tiers[0].upToKwh</c>.</param>
/// <param name="Message">What is wrong.</param>
public readonly record struct TariffError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path + ": " + Message;
}
