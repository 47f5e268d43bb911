using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tariffs;

/// <summary>What a bill line charges for.</summary>
public enum BillLineKind
{
    /// <summary>Energy at the base (tier-1) or single price, per band.</summary>
    Energy,

    /// <summary>Ladder surcharge of tier 2 or above, per band.</summary>
    TierSurcharge,

    /// <summary>Basic charge by transformer capacity.</summary>
    BasicCapacity,

    /// <summary>Basic charge by maximum demand.</summary>
    BasicDemand,

    /// <summary>Power-factor adjustment of the basic and energy charges.</summary>
    PowerFactorAdjustment,

    /// <summary>Per-kWh pass-through component (government funds and surcharges, …).</summary>
    PassThrough,
}

/// <summary>
/// The power-factor assessment behind an adjustment line: kWh and kvarh of the whole period, the factor rounded
/// half-up to two decimals, the standard and the percentage from the national table.
/// </summary>
/// <param name="Kwh">Active energy of the period, kWh.</param>
/// <param name="Kvarh">Reactive energy of the period, kvarh.</param>
/// <param name="Factor">kWh / √(kWh² + kvarh²) rounded half-up to two decimals.</param>
/// <param name="Standard">The standard applied.</param>
/// <param name="AdjustmentPercent">Percentage of basic + energy charges; negative is a reduction.</param>
public sealed record PowerFactorAssessment(decimal Kwh, decimal Kvarh, decimal Factor, PowerFactorStandard Standard, decimal AdjustmentPercent);

/// <summary>
/// One line of a bill. <see cref="Amount"/> = <see cref="Quantity"/> × <see cref="Rate"/> (× <see cref="ProratedDays"/> ÷
/// <see cref="ProrationBaseDays"/> when prorated; ÷ 100 for a percentage rate), rounded half-up to the fen once.
/// </summary>
public sealed record BillLine
{
    /// <summary>What the line charges for.</summary>
    public required BillLineKind Kind { get; init; }

    /// <summary>Text printed on the bill, e.g. "Energy, peak band".</summary>
    public required string Description { get; init; }

    /// <summary>The quantity charged: kWh, kVA, kW, or yuan for a percentage adjustment.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>Unit of <see cref="Quantity"/>: "kWh", "kVA", "kW" or "yuan".</summary>
    public required string Unit { get; init; }

    /// <summary>Yuan per unit (per kVA-month and kW-month for basic charges), or percent for <see cref="BillLineKind.PowerFactorAdjustment"/>.</summary>
    public required decimal Rate { get; init; }

    /// <summary>The rounded amount.</summary>
    public required Money Amount { get; init; }

    /// <summary>The tariff version that produced the line.</summary>
    public required string TariffVersion { get; init; }

    /// <summary>The clause of the version (its JSON path, with the price notice) that produced the line.</summary>
    public required string Clause { get; init; }

    /// <summary>Ladder tier (1-based) of a tier surcharge line; null otherwise (base energy lines cover all tiers at the base price).</summary>
    public int? Tier { get; init; }

    /// <summary>Time-of-use band; null for single-price energy and non-energy lines.</summary>
    public TouBand? Band { get; init; }

    /// <summary>Days charged of a monthly charge; 0 when not prorated.</summary>
    public int ProratedDays { get; init; }

    /// <summary>Days of the month the monthly charge is prorated against; 0 when not prorated.</summary>
    public int ProrationBaseDays { get; init; }

    /// <summary>Power-factor details for an adjustment line; null otherwise.</summary>
    public PowerFactorAssessment? PowerFactor { get; init; }

    /// <summary>True when the quantity rests on an estimated determinant.</summary>
    public bool Estimated { get; init; }
}

/// <summary>A part of the billing period rated with one tariff version.</summary>
/// <param name="TariffVersion">The version used.</param>
/// <param name="Period">The part of the period, start inclusive, end exclusive.</param>
/// <param name="Kwh">Active energy attributed to the part, kWh (split by days when the period is split).</param>
/// <param name="LadderThresholdsKwh">The ladder thresholds applied to the part after proration (whole kWh); empty without a ladder.</param>
/// <param name="LadderStartKwh">Where in the ladder the part's consumption starts (year-to-date for annual ladders).</param>
/// <param name="TierKwh">kWh of the part falling in each tier (index 0 = tier 1); empty without a ladder.</param>
public sealed record BillSegment(string TariffVersion, BillingPeriod Period, decimal Kwh, IReadOnlyList<decimal> LadderThresholdsKwh, decimal LadderStartKwh, IReadOnlyList<decimal> TierKwh);

/// <summary>A rated bill: every line with its origin; the total is the sum of the rounded lines.</summary>
public sealed record Bill
{
    /// <summary>The tariff rated.</summary>
    public required string TariffId { get; init; }

    /// <summary>The tariff's name.</summary>
    public required string TariffName { get; init; }

    /// <summary>True when the tariff is sample data.</summary>
    public bool IsSampleTariff { get; init; }

    /// <summary>The billing period.</summary>
    public required BillingPeriod Period { get; init; }

    /// <summary>The parts of the period by tariff version (one unless a version changed mid-period or an annual ladder crossed New Year).</summary>
    public required IReadOnlyList<BillSegment> Segments { get; init; }

    /// <summary>The lines, in order: per segment basic, energy, surcharges, power factor, pass-through.</summary>
    public required IReadOnlyList<BillLine> Lines { get; init; }

    /// <summary>Sum of the line amounts.</summary>
    public required Money Total { get; init; }

    /// <summary>True when any line rests on estimated values.</summary>
    public bool ContainsEstimates { get; init; }
}

/// <summary>A reason the engine refused to rate.</summary>
/// <param name="Field">The determinant at fault, e.g. "Bands.Peak".</param>
/// <param name="Rule">The rule broken, e.g. "NonNegative".</param>
/// <param name="Message">Explanation for a person.</param>
public readonly record struct RatingError(string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field} [{Rule}]: {Message}";
}

/// <summary>The outcome of rating: a bill, or the reasons it could not be produced.</summary>
public sealed record RatingResult
{
    private RatingResult(Bill? bill, IReadOnlyList<RatingError> errors)
    {
        Bill = bill;
        Errors = errors;
    }

    /// <summary>The bill; null on failure.</summary>
    public Bill? Bill { get; }

    /// <summary>Why rating was refused; empty on success.</summary>
    public IReadOnlyList<RatingError> Errors { get; }

    /// <summary>True when <see cref="Bill"/> is set.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Bill))]
    public bool IsSuccess => Bill is not null;

    /// <summary>A successful result.</summary>
    public static RatingResult Success(Bill bill) => new(bill ?? throw new ArgumentNullException(nameof(bill)), []);

    /// <summary>A refusal.</summary>
    public static RatingResult Failure(IReadOnlyList<RatingError> errors) =>
        errors is null || errors.Count == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(null, errors);
}
