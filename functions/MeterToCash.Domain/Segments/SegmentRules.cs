using System.Globalization;
using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Segments;

/// <summary>
/// The value and payment classifications, as rules on <see cref="AccountFacts"/> (docs/segments.md lists them). The
/// load-shape classification is a k-means cluster and is named by <see cref="LoadShapes.Name"/>.
/// </summary>
public static class SegmentRules
{
    /// <summary>Annual energy from which an account is <c>high-value</c>, kWh.</summary>
    public const double HighValueKwh = 100_000;

    /// <summary>Annual revenue from which an account is <c>high-value</c>, fen (¥60,000).</summary>
    public const long HighValueFen = 6_000_000;

    /// <summary>Annual energy from which an account is <c>medium-value</c>, kWh.</summary>
    public const double MediumValueKwh = 2_400;

    /// <summary>Annual revenue from which an account is <c>medium-value</c>, fen (¥1,200).</summary>
    public const long MediumValueFen = 120_000;

    /// <summary>Days past due from which open arrears make an account <c>payment-risk</c>.</summary>
    public const int RiskDaysOverdue = 30;

    /// <summary>Months with a late fee (of the last 12) from which an account is <c>payment-risk</c>.</summary>
    public const int RiskLateFeeMonths = 3;

    /// <summary>
    /// By value: annual energy (the months with data scaled to 12, when fewer) and revenue of the last 12 months.
    /// <c>high-value</c> from <see cref="HighValueKwh"/> or <see cref="HighValueFen"/>, <c>medium-value</c> from
    /// <see cref="MediumValueKwh"/> or <see cref="MediumValueFen"/>, else <c>low-value</c>; <c>value-unknown</c> with
    /// neither energy nor bills.
    /// </summary>
    public static CustomerSegment Value(AccountFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.EnergyMonths == 0 && facts.RevenueFen == 0)
        {
            return new(SegmentDimension.Value, "value-unknown", ["no month-to-date energy and no issued bill in the last 12 months"]);
        }

        double annualKwh = facts.EnergyMonths == 0 ? 0 : facts.EnergyKwh * 12 / facts.EnergyMonths;
        List<string> reasons =
        [
            facts.EnergyMonths == 12
                ? string.Create(CultureInfo.InvariantCulture, $"annual energy {annualKwh:N0} kWh")
                : string.Create(CultureInfo.InvariantCulture, $"annual energy {annualKwh:N0} kWh (scaled from {facts.EnergyKwh:N0} kWh in {facts.EnergyMonths} month(s) with data)"),
            string.Create(CultureInfo.InvariantCulture, $"revenue ¥{facts.RevenueFen / 100m:N2} billed in the last 12 months"),
        ];
        string code = annualKwh >= HighValueKwh || facts.RevenueFen >= HighValueFen ? "high-value"
            : annualKwh >= MediumValueKwh || facts.RevenueFen >= MediumValueFen ? "medium-value"
            : "low-value";
        reasons.Add(code switch
        {
            "high-value" => string.Create(CultureInfo.InvariantCulture, $"at least {HighValueKwh:N0} kWh or ¥{HighValueFen / 100:N0} a year"),
            "medium-value" => string.Create(CultureInfo.InvariantCulture, $"at least {MediumValueKwh:N0} kWh or ¥{MediumValueFen / 100:N0} a year, below {HighValueKwh:N0} kWh and ¥{HighValueFen / 100:N0}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"below {MediumValueKwh:N0} kWh and ¥{MediumValueFen / 100:N0} a year"),
        });
        return new(SegmentDimension.Value, code, reasons);
    }

    /// <summary>
    /// By payment behaviour. With ledger history: <c>payment-risk</c> when arrears are at least
    /// <see cref="RiskDaysOverdue"/> days past due or late fees fell in at least <see cref="RiskLateFeeMonths"/> months;
    /// <c>payment-watch</c> with any arrears past due or any late fee; else <c>payment-good</c>. Without history, the
    /// archive's credit grade: AAA/AA/A good, B watch, C risk.
    /// </summary>
    public static CustomerSegment Payment(AccountFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.HasLedgerHistory)
        {
            string byGrade = facts.Credit switch { CreditGrade.C => "payment-risk", CreditGrade.B => "payment-watch", _ => "payment-good" };
            return new(SegmentDimension.Payment, byGrade, [$"no ledger history yet: archive credit grade {facts.Credit}"]);
        }

        string arrears = facts.OverdueFen > 0
            ? string.Create(CultureInfo.InvariantCulture, $"¥{facts.OverdueFen / 100m:N2} overdue, oldest {facts.MaxDaysOverdue} day(s) past due")
            : "no arrears past due";
        string fees = string.Create(CultureInfo.InvariantCulture, $"late fees in {facts.LateFeeMonths} of the last 12 months");
        if ((facts.OverdueFen > 0 && facts.MaxDaysOverdue >= RiskDaysOverdue) || facts.LateFeeMonths >= RiskLateFeeMonths)
        {
            return new(SegmentDimension.Payment, "payment-risk", [arrears, fees, string.Create(CultureInfo.InvariantCulture, $"risk: arrears {RiskDaysOverdue}+ days past due or late fees in {RiskLateFeeMonths}+ months")]);
        }

        return facts.OverdueFen > 0 || facts.LateFeeMonths > 0
            ? new(SegmentDimension.Payment, "payment-watch", [arrears, fees, "watch: some arrears or a late fee"])
            : new(SegmentDimension.Payment, "payment-good", [arrears, fees]);
    }
}
