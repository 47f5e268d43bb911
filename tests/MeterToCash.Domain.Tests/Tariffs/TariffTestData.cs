using System.Globalization;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Tariffs;

/// <summary>Sample tariffs, compiled once, and small builders for determinants.</summary>
internal static class TariffTestData
{
    private static readonly Lazy<TariffRater> ResidentialLadderRater = new(() => Load("shanghai-residential-ladder"));
    private static readonly Lazy<TariffRater> ResidentialTouRater = new(() => Load("shanghai-residential-tou"));
    private static readonly Lazy<TariffRater> CommercialTouRater = new(() => Load("commercial-tou"));
    private static readonly Lazy<TariffRater> IndustrialRater = new(() => Load("large-industrial-two-part"));

    public static TariffRater ResidentialLadder => ResidentialLadderRater.Value;

    public static TariffRater ResidentialTou => ResidentialTouRater.Value;

    public static TariffRater CommercialTou => CommercialTouRater.Value;

    public static TariffRater Industrial => IndustrialRater.Value;

    public static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    public static BillingPeriod Month(int year, int month) => new(new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1));

    public static TariffRater Load(string sample)
    {
        TariffLoadResult result = TariffJson.LoadSample(sample);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return new TariffRater(result.Tariff);
    }

    public static TariffRater FromJson(string json)
    {
        TariffLoadResult result = TariffJson.Load(json);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return new TariffRater(result.Tariff);
    }

    public static Bill RateOk(this TariffRater rater, BillDeterminants determinants)
    {
        RatingResult result = rater.Rate(determinants);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Bill;
    }

    public static BillDeterminants Flat(BillingPeriod period, decimal kwh, decimal ytd = 0) =>
        new() { Period = period, TotalKwh = kwh, YearToDateKwh = ytd };

    public static BillDeterminants Tou(BillingPeriod period, decimal criticalPeak, decimal peak, decimal flat, decimal valley, decimal ytd = 0) =>
        new()
        {
            Period = period,
            TotalKwh = criticalPeak + peak + flat + valley,
            Bands = new BandEnergy(criticalPeak, peak, flat, valley),
            YearToDateKwh = ytd,
        };

    public static long SumOfLines(Bill bill) => bill.Lines.Sum(l => l.Amount.Fen);
}
