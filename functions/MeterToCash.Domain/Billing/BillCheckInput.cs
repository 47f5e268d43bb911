using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Billing;

/// <summary>What <see cref="BillChecks.Evaluate"/> looks at for one bill.</summary>
public sealed record BillCheckInput
{
    /// <summary>The facts of one bill.</summary>
    /// <param name="kwh">The bill's active energy, kWh; not negative.</param>
    /// <param name="lastTwelveMonthsKwh">The account's own monthly kWh of up to the 12 previous months, each not negative; months without usage count as 0.</param>
    /// <param name="occupied">True when the premises are known to be occupied.</param>
    /// <param name="amount">The bill amount, or null when it was not rated (yet).</param>
    /// <param name="estimatedShare">Estimated kWh ÷ total kWh, 0–1 (<see cref="DeterminantsResult.EstimatedShare"/>).</param>
    /// <param name="tariffCode">The tariff assigned for the period, or null when none is.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or there are more than 12 months.</exception>
    public BillCheckInput(decimal kwh, IReadOnlyList<decimal> lastTwelveMonthsKwh, bool occupied, Money? amount, decimal estimatedShare, string? tariffCode)
    {
        ArgumentNullException.ThrowIfNull(lastTwelveMonthsKwh);
        if (kwh < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(kwh), kwh, "Must not be negative.");
        }

        if (lastTwelveMonthsKwh.Count > 12 || lastTwelveMonthsKwh.Any(m => m < 0m))
        {
            throw new ArgumentOutOfRangeException(nameof(lastTwelveMonthsKwh), "At most 12 months, none negative.");
        }

        if (estimatedShare is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedShare), estimatedShare, "A share lies in [0, 1].");
        }

        Kwh = kwh;
        LastTwelveMonthsKwh = lastTwelveMonthsKwh;
        Occupied = occupied;
        Amount = amount;
        EstimatedShare = estimatedShare;
        TariffCode = string.IsNullOrWhiteSpace(tariffCode) ? null : tariffCode;
    }

    /// <summary>The bill's kWh.</summary>
    public decimal Kwh { get; }

    /// <summary>Monthly kWh of up to the 12 previous months.</summary>
    public IReadOnlyList<decimal> LastTwelveMonthsKwh { get; }

    /// <summary>Whether the premises are occupied.</summary>
    public bool Occupied { get; }

    /// <summary>The bill amount, or null.</summary>
    public Money? Amount { get; }

    /// <summary>Estimated share of the kWh, 0–1.</summary>
    public decimal EstimatedShare { get; }

    /// <summary>The tariff code, or null (blank counts as none).</summary>
    public string? TariffCode { get; }

    /// <summary>The most kWh a customer of the account's class plausibly uses in the period (<see cref="ClassUsage.CeilingKwh"/>); null to skip the class check.</summary>
    public decimal? ClassCeilingKwh { get; init; }
}
