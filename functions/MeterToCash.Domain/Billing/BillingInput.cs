using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Billing;

/// <summary>Everything <see cref="DeterminantsBuilder.Build"/> needs for one account and one billing period.</summary>
public sealed record BillingInput
{
    /// <summary>The input of one bill.</summary>
    /// <param name="period">The billing period: China-local days, start inclusive, end exclusive; at least one day.</param>
    /// <param name="servicePoints">The account's service points with their meters (current and removed).</param>
    /// <param name="meterData">Stored reads and curves per meter; a meter without an entry has no data.</param>
    /// <param name="timeOfUse">True when the tariff prices energy per time-of-use band, so energy per band is needed.</param>
    /// <param name="dayClassifier">
    /// The band of each interval start of a China-local day (the app builds it from <see cref="DayBanding"/>); needed only
    /// when <paramref name="timeOfUse"/> and some span falls back to curves. Null when not available.
    /// </param>
    /// <param name="transformerKva">Transformer (contracted) capacity, kVA, or null; not negative.</param>
    /// <param name="yearToDateKwh">kWh billed to the account earlier in the calendar year of the period start; not negative.</param>
    /// <exception cref="ArgumentException">The period has no days, a number is negative, or a meter has two data entries.</exception>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    public BillingInput(
        BillingPeriod period,
        IReadOnlyList<ServicePoint> servicePoints,
        IReadOnlyList<MeterBillingData> meterData,
        bool timeOfUse,
        Func<DateOnly, Func<DateTimeOffset, TouBand>>? dayClassifier,
        decimal? transformerKva,
        decimal yearToDateKwh)
    {
        ArgumentNullException.ThrowIfNull(servicePoints);
        ArgumentNullException.ThrowIfNull(meterData);
        if (period.Days <= 0)
        {
            throw new ArgumentException($"The period {period} has no days.", nameof(period));
        }

        if (transformerKva is < 0)
        {
            throw new ArgumentException("The transformer capacity must not be negative.", nameof(transformerKva));
        }

        if (yearToDateKwh < 0)
        {
            throw new ArgumentException("Year-to-date kWh must not be negative.", nameof(yearToDateKwh));
        }

        var seen = new HashSet<MeterId>();
        foreach (MeterBillingData d in meterData)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(meterData));
            if (!seen.Add(d.Meter))
            {
                throw new ArgumentException($"Meter {d.Meter} has more than one data entry; give each meter's reads and curves in one entry.", nameof(meterData));
            }
        }

        Period = period;
        ServicePoints = servicePoints;
        MeterData = meterData;
        TimeOfUse = timeOfUse;
        DayClassifier = dayClassifier;
        TransformerKva = transformerKva;
        YearToDateKwh = yearToDateKwh;
    }

    /// <summary>The billing period (start inclusive, end exclusive).</summary>
    public BillingPeriod Period { get; }

    /// <summary>Service points with their meters.</summary>
    public IReadOnlyList<ServicePoint> ServicePoints { get; }

    /// <summary>Stored data per meter.</summary>
    public IReadOnlyList<MeterBillingData> MeterData { get; }

    /// <summary>Whether energy per band is needed.</summary>
    public bool TimeOfUse { get; }

    /// <summary>Day → (interval start → band), or null.</summary>
    public Func<DateOnly, Func<DateTimeOffset, TouBand>>? DayClassifier { get; }

    /// <summary>Transformer capacity, kVA, or null.</summary>
    public decimal? TransformerKva { get; }

    /// <summary>kWh billed earlier in the calendar year.</summary>
    public decimal YearToDateKwh { get; }
}
