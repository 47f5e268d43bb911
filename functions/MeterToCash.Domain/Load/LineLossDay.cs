namespace MeterToCash.Domain.Load;

/// <summary>One area-day's line loss.</summary>
/// <param name="Day">China-local day.</param>
/// <param name="Class">Normal, high, negative or not computable.</param>
/// <param name="Reason">Why it is not computable (<c>no-master-meter</c>, <c>no-customer-meters</c>, <c>master-incomplete</c>, <c>customers-incomplete</c>, <c>master-zero</c>), else null.</param>
/// <param name="MasterKwh">Master meter energy (kWh), null without data.</param>
/// <param name="CustomersKwh">Customers' energy (kWh).</param>
/// <param name="LossKwh">Master − customers (kWh), null when not computable.</param>
/// <param name="LossRate">(Master − customers) ÷ master as a share, 4 decimals half away from zero (0.0412 = 4.12 %), null when not computable.</param>
/// <param name="MasterCompleteness">Share of the master meter's expected values present, 4 decimals.</param>
/// <param name="CustomerCompleteness">Share of the customers' expected values present, 4 decimals (0 without customer meters).</param>
/// <param name="CompletenessThreshold">The threshold the day was judged against (share, inclusive).</param>
public sealed record LineLossDay(
    DateOnly Day,
    LineLossClass Class,
    string? Reason,
    decimal? MasterKwh,
    decimal CustomersKwh,
    decimal? LossKwh,
    decimal? LossRate,
    decimal MasterCompleteness,
    decimal CustomerCompleteness,
    decimal CompletenessThreshold)
{
    /// <summary>Whether the day has a figure.</summary>
    public bool Computable => Class != LineLossClass.NotComputable;
}
