using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

/// <summary>
/// Golden bills for the sample Shanghai-style ladder: tier-1 0.617 yuan/kWh (peak 0.617 / valley 0.307 with TOU),
/// surcharges +0.05 (tier 2) and +0.30 (tier 3), annual thresholds 3,120 and 4,800 kWh.
/// </summary>
public class ResidentialLadderTests
{
    [Theory]
    // Below tier 1's threshold: 3119 × 0.617 = 1924.423 → 1924.42; no surcharge.
    [InlineData("0", "3119", 192442, "0", "0")]
    // Exactly on 3,120 is still tier 1: 3120 × 0.617 = 1925.04.
    [InlineData("0", "3120", 192504, "0", "0")]
    // One kWh over: 3121 × 0.617 = 1925.657 → 1925.66, plus 1 × 0.05 = 0.05 → 1925.71.
    [InlineData("0", "3121", 192571, "1", "0")]
    // Ending exactly on 4,800 from 4,000 YTD: 800 × 0.617 = 493.60, all tier 2: 800 × 0.05 = 40.00 → 533.60.
    [InlineData("4000", "800", 53360, "800", "0")]
    // One kWh past 4,800: 801 × 0.617 = 494.217 → 494.22; 800 × 0.05 = 40.00; 1 × 0.30 = 0.30 → 534.52.
    [InlineData("4000", "801", 53452, "800", "1")]
    // Just below the second threshold: 1 kWh at 4,799 YTD: 0.617 → 0.62, 1 × 0.05 → 0.05 → 0.67.
    [InlineData("4799", "1", 67, "1", "0")]
    // Straddling 3,120 from 3,000 YTD: 200 × 0.617 = 123.40; 80 kWh in tier 2 × 0.05 = 4.00 → 127.40.
    [InlineData("3000", "200", 12740, "80", "0")]
    // Wholly in tier 3: 100 × 0.617 = 61.70; 100 × 0.30 = 30.00 → 91.70.
    [InlineData("6000", "100", 9170, "0", "100")]
    public void Rate_AnnualLadderAroundThresholds_MatchesHandWorkedTotal(string ytd, string kwh, long expectedFen, string tier2, string tier3)
    {
        Bill bill = ResidentialLadder.RateOk(Flat(Month(2025, 6), D(kwh), D(ytd)));

        Assert.Equal(expectedFen, bill.Total.Fen);
        Assert.Equal(bill.Total.Fen, SumOfLines(bill));
        Assert.Equal(D(tier2), bill.Lines.Where(l => l.Tier == 2).Sum(l => l.Quantity));
        Assert.Equal(D(tier3), bill.Lines.Where(l => l.Tier == 3).Sum(l => l.Quantity));
        Assert.All(bill.Lines, l => Assert.Equal("sample-2024", l.TariffVersion));
    }

    [Fact]
    public void Rate_AnnualLadderOverThreeMonths_AccumulatesYearToDate()
    {
        // 1,500 kWh in each of January, February, March; YTD before each bill is what the earlier bills used.
        // Jan: 0–1500, Feb: 1500–3000, both tier 1: 1500 × 0.617 = 925.50 each.
        // Mar: 3000–4500: 120 kWh tier 1, 1380 kWh tier 2: 925.50 + 1380 × 0.05 = 925.50 + 69.00 = 994.50.
        decimal ytd = 0;
        List<long> totals = [];
        for (int month = 1; month <= 3; month++)
        {
            Bill bill = ResidentialLadder.RateOk(Flat(Month(2025, month), 1500m, ytd));
            totals.Add(bill.Total.Fen);
            ytd += bill.Segments.Sum(s => s.Kwh);
        }

        Assert.Equal([92550L, 92550L, 99450L], totals);
    }

    [Fact]
    public void Rate_MoveInMidYear_ProratesAnnualThresholdsByDays()
    {
        // Move-in 2024-07-01; 2024 has 366 days, 184 of them from 1 July.
        // Thresholds: 3120 × 184 / 366 = 1568.52 → 1569; 4800 × 184 / 366 = 2413.11 → 2413 (whole kWh, half-up).
        // 1,600 kWh: 1569 tier 1, 31 tier 2. 1600 × 0.617 = 987.20; 31 × 0.05 = 1.55 → 988.75.
        BillDeterminants d = Flat(Month(2024, 7), 1600m) with { AccountOpened = new DateOnly(2024, 7, 1) };

        Bill bill = ResidentialLadder.RateOk(d);

        Assert.Equal(98875, bill.Total.Fen);
        Assert.Equal([1569m, 2413m], bill.Segments[0].LadderThresholdsKwh);
        Assert.Equal([1569m, 31m, 0m], bill.Segments[0].TierKwh);
    }

    [Fact]
    public void Rate_MoveOutMidYear_ProratesAnnualThresholdsByDays()
    {
        // Move-out 16 March 2025 (exclusive): 1 Jan – 15 Mar = 31 + 28 + 15 = 74 of 365 days.
        // Thresholds 3120 × 74 / 365 = 632.55 → 633; 4800 × 74 / 365 = 973.15 → 973.
        // Final bill 1–16 March, 100 kWh from 600 YTD: 33 kWh tier 1 (to 633), 67 kWh tier 2.
        // 100 × 0.617 = 61.70; 67 × 0.05 = 3.35 → 65.05.
        BillDeterminants d = Flat(new BillingPeriod(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 16)), 100m, 600m) with { AccountClosed = new DateOnly(2025, 3, 16) };

        Bill bill = ResidentialLadder.RateOk(d);

        Assert.Equal(6505, bill.Total.Fen);
        Assert.Equal([633m, 973m], bill.Segments[0].LadderThresholdsKwh);
        Assert.Equal([33m, 67m, 0m], bill.Segments[0].TierKwh);
    }

    [Fact]
    public void Rate_MonthlyLadderMoveIn_ProratesMonthlyThresholdsByDays()
    {
        // Beijing-style monthly ladder 240 / 400 kWh, base 0.4883. Move-in 2025-04-11, period 11–30 April = 20 of 30 days.
        // Thresholds 240 × 20/30 = 160; 400 × 20/30 = 266.67 → 267. 200 kWh: 160 tier 1, 40 tier 2.
        // 200 × 0.4883 = 97.66; 40 × 0.05 = 2.00 → 99.66.
        TariffRater rater = FromJson(MonthlyLadderJson);
        BillDeterminants d = Flat(new BillingPeriod(new DateOnly(2025, 4, 11), new DateOnly(2025, 5, 1)), 200m) with { AccountOpened = new DateOnly(2025, 4, 11) };

        Bill bill = rater.RateOk(d);

        Assert.Equal(9966, bill.Total.Fen);
        Assert.Equal([160m, 267m], bill.Segments[0].LadderThresholdsKwh);
    }

    [Fact]
    public void Rate_TouLadderCrossingTier_ChargesSurchargeOnPeakAndValleyTogether()
    {
        // 3,000 kWh YTD; peak 150 + valley 50 = 200 kWh judged together: 120 tier 1, 80 tier 2.
        // Peak 150 × 0.617 = 92.55; valley 50 × 0.307 = 15.35; surcharge 80 × 0.05 = 4.00
        // (= peak share 60 × 0.05 + valley share 20 × 0.05) → 111.90.
        Bill bill = ResidentialTou.RateOk(Tou(Month(2025, 5), 0, 150m, 0, 50m, 3000m));

        Assert.Equal(11190, bill.Total.Fen);
        BillLine surcharge = Assert.Single(bill.Lines, l => l.Kind == BillLineKind.TierSurcharge);
        Assert.Equal(80m, surcharge.Quantity);
        Assert.Equal(2, surcharge.Tier);
        Assert.Contains("peak", surcharge.Description, StringComparison.Ordinal);
        Assert.Contains("valley", surcharge.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_TouLadderIntoTierThree_ChargesEachTierOnBothBands()
    {
        // 4,700 YTD; peak 200 + valley 100 = 300: 100 kWh tier 2 (to 4,800), 200 kWh tier 3.
        // 200 × 0.617 = 123.40; 100 × 0.307 = 30.70; 100 × 0.05 = 5.00; 200 × 0.30 = 60.00 → 219.10.
        Bill bill = ResidentialTou.RateOk(Tou(Month(2025, 11), 0, 200m, 0, 100m, 4700m));

        Assert.Equal(21910, bill.Total.Fen);
        Assert.Equal([0m, 100m, 200m], bill.Segments[0].TierKwh);
    }

    [Fact]
    public void Rate_TariffChangeMidPeriod_SplitsByDaysAndNamesEachVersion()
    {
        // June 2024 (30 days), versions change on 11 June: 10 days of "v1" (0.60), 20 of "v2" (0.62); monthly 200 / 400.
        // Energy 301 kWh split by days: 301 × 10/30 = 100.333 → 100.33 to v1, remainder 200.67 to v2.
        // v1 thresholds 200 × 10/30 = 66.67 → 67, 400 × 10/30 = 133.33 → 133: tier 2 = 100.33 − 67 = 33.33.
        //   100.33 × 0.60 = 60.198 → 60.20; 33.33 × 0.05 = 1.6665 → 1.67.
        // v2 thresholds 200 × 20/30 = 133.33 → 133, 400 × 20/30 = 266.67 → 267: tier 2 = 200.67 − 133 = 67.67.
        //   200.67 × 0.62 = 124.4154 → 124.42; 67.67 × 0.05 = 3.3835 → 3.38.
        // Total 60.20 + 1.67 + 124.42 + 3.38 = 189.67.
        TariffRater rater = FromJson(TwoVersionJson);

        Bill bill = rater.RateOk(Flat(Month(2024, 6), 301m));

        Assert.Equal(18967, bill.Total.Fen);
        Assert.Equal(2, bill.Segments.Count);
        Assert.Equal(("v1", 10, 100.33m), (bill.Segments[0].TariffVersion, bill.Segments[0].Period.Days, bill.Segments[0].Kwh));
        Assert.Equal(("v2", 20, 200.67m), (bill.Segments[1].TariffVersion, bill.Segments[1].Period.Days, bill.Segments[1].Kwh));
        Assert.Equal(["v1", "v1", "v2", "v2"], bill.Lines.Select(l => l.TariffVersion));
        Assert.Equal("$.versions[1].energy.singlePrice", bill.Lines[2].Clause);
    }

    [Fact]
    public void Rate_AnnualLadderAcrossNewYear_RestartsAccumulationInJanuary()
    {
        // 16 Dec 2024 – 16 Jan 2025 (31 days, 16 in 2024 and 15 in 2025), 310 kWh, YTD 3,100 in 2024.
        // 2024 part: 310 × 16/31 = 160.00 kWh from 3,100: 20 tier 1, 140 tier 2 → 160 × 0.617 = 98.72, 140 × 0.05 = 7.00.
        // 2025 part: 150 kWh from 0, all tier 1 → 150 × 0.617 = 92.55.  Total 98.72 + 7.00 + 92.55 = 198.27.
        Bill bill = ResidentialLadder.RateOk(Flat(new BillingPeriod(new DateOnly(2024, 12, 16), new DateOnly(2025, 1, 16)), 310m, 3100m));

        Assert.Equal(19827, bill.Total.Fen);
        Assert.Equal([3100m, 0m], bill.Segments.Select(s => s.LadderStartKwh));
    }

    internal const string MonthlyLadderJson = """
        {
          "id": "test-monthly-ladder", "name": "Beijing-style monthly ladder (test)", "kind": "residentialLadder",
          "versions": [
            {
              "version": "2025", "effectiveFrom": "2025-01-01",
              "energy": { "singlePrice": 0.4883 },
              "ladder": { "period": "monthly", "tiers": [ { "upToKwh": 240, "surcharge": 0 }, { "upToKwh": 400, "surcharge": 0.05 }, { "surcharge": 0.30 } ] }
            }
          ]
        }
        """;

    internal const string TwoVersionJson = """
        {
          "id": "test-two-versions", "name": "Two versions (test)", "kind": "residentialLadder",
          "versions": [
            {
              "version": "v1", "effectiveFrom": "2024-01-01",
              "energy": { "singlePrice": 0.60 },
              "ladder": { "period": "monthly", "tiers": [ { "upToKwh": 200, "surcharge": 0 }, { "upToKwh": 400, "surcharge": 0.05 }, { "surcharge": 0.30 } ] }
            },
            {
              "version": "v2", "effectiveFrom": "2024-06-11",
              "energy": { "singlePrice": 0.62 },
              "ladder": { "period": "monthly", "tiers": [ { "upToKwh": 200, "surcharge": 0 }, { "upToKwh": 400, "surcharge": 0.05 }, { "surcharge": 0.30 } ] }
            }
          ]
        }
        """;
}
