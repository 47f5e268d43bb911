using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

/// <summary>
/// Golden bills for the sample two-part tariff: 32 yuan/kVA-month or 48 yuan/kW-month (demand at least 40 % of kVA),
/// energy 1.05 / 0.90 / 0.60 / 0.30, power-factor standard 0.90, funds 0.029 yuan/kWh.
/// Common determinants: peak 40,000, flat 50,000, valley 30,000 kWh (120,000 kWh):
/// energy 36,000.00 + 30,000.00 + 9,000.00 = 75,000.00; funds 120,000 × 0.029 = 3,480.00.
/// kvarh 61,478 gives 120000 / √(120000² + 61478²) = 0.889999… → 0.89 (+0.5 %); 39,442 gives 0.9500002… → 0.95 (−0.75 %).
/// </summary>
public class LargeIndustrialTests
{
    [Theory]
    // Capacity 1000 kVA × 32 = 32,000.00; PF +0.5 % of 107,000.00 = 535.00 → 32,000 + 75,000 + 535 + 3,480 = 111,015.00.
    [InlineData(BasicChargeMethod.Capacity, "800", "61478", 11101500)]
    // Demand 800 kW × 48 = 38,400.00 (above 40 % × 1000 = 400 kW); PF 0.5 % of 113,400 = 567.00 → 117,447.00.
    [InlineData(BasicChargeMethod.Demand, "800", "61478", 11744700)]
    // Demand 300 kW raised to the 400 kW minimum: 19,200.00; PF 0.5 % of 94,200 = 471.00 → 98,151.00.
    [InlineData(BasicChargeMethod.Demand, "300", "61478", 9815100)]
    // Capacity with PF 0.95: −0.75 % of 107,000 = −802.50 → 32,000 + 75,000 − 802.50 + 3,480 = 109,677.50.
    [InlineData(BasicChargeMethod.Capacity, "800", "39442", 10967750)]
    public void Rate_TwoPartTariff_MatchesHandWorkedTotal(BasicChargeMethod method, string demandKw, string kvarh, long expectedFen)
    {
        Bill bill = Industrial.RateOk(Determinants(Month(2025, 3), method, D(demandKw), D(kvarh)));

        Assert.Equal(expectedFen, bill.Total.Fen);
        Assert.Equal(bill.Total.Fen, SumOfLines(bill));
    }

    [Fact]
    public void Rate_PowerFactorLine_CarriesItsWorking()
    {
        Bill bill = Industrial.RateOk(Determinants(Month(2025, 3), BasicChargeMethod.Capacity, 800m, 61478m));

        BillLine line = Assert.Single(bill.Lines, l => l.Kind == BillLineKind.PowerFactorAdjustment);
        Assert.Equal(new PowerFactorAssessment(120000m, 61478m, 0.89m, PowerFactorStandard.Pf090, 0.5m), line.PowerFactor);
        Assert.Equal((107000m, "yuan", 0.5m, 53500L), (line.Quantity, line.Unit, line.Rate, line.Amount.Fen));
        Assert.StartsWith("$.versions[0].powerFactor", line.Clause, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_DemandBelowContractedMinimum_BillsTheMinimumAndSaysSo()
    {
        Bill bill = Industrial.RateOk(Determinants(Month(2025, 3), BasicChargeMethod.Demand, 300m, 61478m));

        BillLine basic = bill.Lines[0];
        Assert.Equal((BillLineKind.BasicDemand, 400m, "kW", 48m, 1920000L), (basic.Kind, basic.Quantity, basic.Unit, basic.Rate, basic.Amount.Fen));
        Assert.Contains("minimum", basic.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_PartialMonth_ProratesBasicChargeByDays()
    {
        // 11–31 March = 21 of 31 days: 1000 × 32 × 21 / 31 = 21,677.419… → 21,677.42.
        var period = new BillingPeriod(new DateOnly(2025, 3, 11), new DateOnly(2025, 4, 1));

        Bill bill = Industrial.RateOk(Determinants(period, BasicChargeMethod.Capacity, 800m, 61478m));

        BillLine basic = bill.Lines[0];
        Assert.Equal((2167742L, 21, 31), (basic.Amount.Fen, basic.ProratedDays, basic.ProrationBaseDays));
    }

    [Fact]
    public void Rate_CustomerStandard085_OverridesTariffStandard()
    {
        // PF 0.89 under standard 0.85 is a 0.40 % reduction: −0.004 × 107,000 = −428.00 → 32,000 + 75,000 − 428 + 3,480 = 110,052.00.
        BillDeterminants d = Determinants(Month(2025, 3), BasicChargeMethod.Capacity, 800m, 61478m) with { PowerFactorStandard = PowerFactorStandard.Pf085 };

        Bill bill = Industrial.RateOk(d);

        Assert.Equal(11005200, bill.Total.Fen);
    }

    [Fact]
    public void Rate_MoreEnergyImprovingPowerFactor_CanLowerTheBill()
    {
        // The national table rewards a better factor, so consumption that lifts the factor across a step lowers the
        // bill: this is why the monotonicity property holds kvarh-free bills only (see RatingPropertyTests).
        // 100 kWh / 49.84 kvarh → 0.894999… → 0.89 (+0.5 %); 100.01 kWh → 0.8950… → 0.90 (0 %).
        TariffRater rater = FromJson(PowerFactorOnlyJson);
        BillDeterminants low = new() { Period = Month(2025, 3), TransformerKva = 0m, TotalKwh = 100m, Bands = new BandEnergy(0, 0, 100m, 0), ReactiveKvarh = 49.84m };
        BillDeterminants high = low with { TotalKwh = 100.01m, Bands = new BandEnergy(0, 0, 100.01m, 0) };

        // low: 100 × 1.00 = 100.00 + 0.5 % = 0.50 → 100.50; high: 100.01 × 1.00 = 100.01 + 0 → 100.01.
        Assert.Equal(10050, rater.RateOk(low).Total.Fen);
        Assert.Equal(10001, rater.RateOk(high).Total.Fen);
    }

    internal static BillDeterminants Determinants(BillingPeriod period, BasicChargeMethod method, decimal demandKw, decimal kvarh) => new()
    {
        Period = period,
        TotalKwh = 120000m,
        Bands = new BandEnergy(0, 40000m, 50000m, 30000m),
        ReactiveKvarh = kvarh,
        MaximumDemandKw = demandKw,
        TransformerKva = 1000m,
        BasicChargeMethod = method,
    };

    internal const string PowerFactorOnlyJson = """
        {
          "id": "test-pf", "name": "Flat band with power factor (test)", "kind": "largeIndustrialTwoPart",
          "versions": [
            {
              "version": "t", "effectiveFrom": "2025-01-01",
              "basic": { "perKvaMonth": 0, "defaultMethod": "capacity" },
              "energy": { "bands": { "flat": 1.00 } },
              "powerFactor": { "standard": 0.90 }
            }
          ]
        }
        """;
}
