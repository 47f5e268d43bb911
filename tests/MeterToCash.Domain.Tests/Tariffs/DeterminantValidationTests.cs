using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

public class DeterminantValidationTests
{
    public static TheoryData<string, BillDeterminants, string, string> Residential => new()
    {
        { "negative total", Flat(Month(2025, 1), -1m), "TotalKwh", "NonNegative" },
        { "zero-day period", Flat(new BillingPeriod(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1)), 1m), "Period", "PositiveDays" },
        { "reversed period", Flat(new BillingPeriod(new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 1)), 1m), "Period", "PositiveDays" },
        { "too fine", Flat(Month(2025, 1), 1.001m), "TotalKwh", "Resolution" },
        { "negative YTD", Flat(Month(2025, 1), 1m, -5m), "YearToDateKwh", "NonNegative" },
        { "before tariff", Flat(Month(2023, 12), 1m), "Period.Start", "TariffInEffect" },
        { "move-in after start", Flat(Month(2025, 1), 1m) with { AccountOpened = new DateOnly(2025, 1, 10) }, "AccountOpened", "BeforePeriod" },
        { "bands disagree", Flat(Month(2025, 1), 100m) with { Bands = new BandEnergy(0, 50m, 0, 49.9m) }, "Bands", "SumMatchesTotal" },
    };

    [Theory]
    [MemberData(nameof(Residential))]
    public void Rate_BadResidentialDeterminants_RefusedWithReason(string scenario, BillDeterminants determinants, string field, string rule)
    {
        RatingResult result = ResidentialLadder.Rate(determinants);

        Assert.False(result.IsSuccess, scenario);
        Assert.Contains(result.Errors, e => e.Field == field && e.Rule == rule && e.Message.Length > 0);
    }

    [Fact]
    public void Rate_NegativeBandEnergy_RefusedWithReason()
    {
        RatingResult result = ResidentialTou.Rate(Tou(Month(2025, 1), 0, 120m, 0, -20m));

        Assert.Contains(result.Errors, e => e is { Field: "Bands.Valley", Rule: "NonNegative" });
    }

    [Fact]
    public void Rate_EnergyInBandTheTariffLacks_Refused()
    {
        RatingResult result = ResidentialTou.Rate(Tou(Month(2025, 1), 0, 100m, 5m, 20m));

        RatingError error = Assert.Single(result.Errors);
        Assert.Equal(("Bands.Flat", "PricedBand"), (error.Field, error.Rule));
    }

    [Fact]
    public void Rate_TouTariffWithoutBands_Refused()
    {
        RatingResult result = CommercialTou.Rate(Flat(Month(2025, 1), 100m));

        Assert.Equal(("Bands", "Required"), (Assert.Single(result.Errors).Field, result.Errors[0].Rule));
    }

    [Fact]
    public void Rate_TwoPartWithoutReactiveOrDemand_RefusedWithBothReasons()
    {
        BillDeterminants d = LargeIndustrialTests.Determinants(Month(2025, 3), BasicChargeMethod.Demand, 0, 0) with { ReactiveKvarh = null, MaximumDemandKw = null };

        RatingResult result = Industrial.Rate(d);

        Assert.Equal(["MaximumDemandKw/Required", "ReactiveKvarh/Required"], result.Errors.Select(e => e.Field + "/" + e.Rule).Order());
    }

    [Fact]
    public void Rate_CapacityWithoutTransformerKva_Refused()
    {
        BillDeterminants d = LargeIndustrialTests.Determinants(Month(2025, 3), BasicChargeMethod.Capacity, 500m, 100m) with { TransformerKva = null };

        Assert.Contains(Industrial.Rate(d).Errors, e => e is { Field: "TransformerKva", Rule: "Required" });
    }
}
