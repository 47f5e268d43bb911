namespace MeterToCash.Domain.Tariffs;

/// <summary>A billing period of China local dates: <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
/// <param name="Start">First billed day, inclusive.</param>
/// <param name="End">Day after the last billed day (exclusive); a calendar month is 1st to 1st of the next month.</param>
public readonly record struct BillingPeriod(DateOnly Start, DateOnly End)
{
    /// <summary>Number of billed days, End − Start.</summary>
    public int Days => End.DayNumber - Start.DayNumber;

    /// <inheritdoc />
    public override string ToString() => $"{Start:yyyy-MM-dd} – {End:yyyy-MM-dd} (exclusive, {Days} days)";
}

/// <summary>Which determinants are estimated rather than read; estimated lines are flagged on the bill.</summary>
[Flags]
public enum EstimatedValues
{
    /// <summary>Everything was read.</summary>
    None = 0,

    /// <summary>Active energy (total and bands).</summary>
    ActiveEnergy = 1,

    /// <summary>Reactive energy.</summary>
    ReactiveEnergy = 2,

    /// <summary>Maximum demand.</summary>
    MaximumDemand = 4,
}

/// <summary>
/// The measured quantities (bill determinants) of one billing period. Energies in kWh/kvarh with at most two
/// decimals (0.01 kWh register resolution), demand in kW, capacity in kVA.
/// </summary>
public sealed record BillDeterminants
{
    /// <summary>Largest tolerated gap between the total register and the sum of the band registers, kWh.</summary>
    /// <remarks>Each of up to four band registers may display up to 0.01 kWh less than it counted.</remarks>
    public const decimal BandSumToleranceKwh = 0.04m;

    /// <summary>The period billed.</summary>
    public required BillingPeriod Period { get; init; }

    /// <summary>Active energy of the period from the total register, kWh.</summary>
    public required decimal TotalKwh { get; init; }

    /// <summary>Active energy per time-of-use band, kWh; null for a meter without time-of-use registers.</summary>
    public BandEnergy? Bands { get; init; }

    /// <summary>Reactive energy, kvarh; required when the tariff has a power-factor adjustment.</summary>
    public decimal? ReactiveKvarh { get; init; }

    /// <summary>Maximum demand of the period, kW; required for demand-based basic charges.</summary>
    public decimal? MaximumDemandKw { get; init; }

    /// <summary>Transformer (contracted) capacity, kVA; required for capacity-based basic charges and demand minimums.</summary>
    public decimal? TransformerKva { get; init; }

    /// <summary>Annual ladder: kWh already billed in the calendar year of <see cref="BillingPeriod.Start"/> before this period.</summary>
    public decimal YearToDateKwh { get; init; }

    /// <summary>Move-in date (inclusive) when the account opened during the calendar year; prorates annual thresholds.</summary>
    public DateOnly? AccountOpened { get; init; }

    /// <summary>Move-out date (exclusive) when the account closes during the calendar year; prorates annual thresholds.</summary>
    public DateOnly? AccountClosed { get; init; }

    /// <summary>The customer's power-factor standard; null to use the tariff's.</summary>
    public PowerFactorStandard? PowerFactorStandard { get; init; }

    /// <summary>The customer's basic-charge method; null to use the tariff's default.</summary>
    public BasicChargeMethod? BasicChargeMethod { get; init; }

    /// <summary>Which values are estimated.</summary>
    public EstimatedValues Estimated { get; init; }
}
