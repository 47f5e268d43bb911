using MeterToCash.Domain.Tariffs;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Tariffs;

public class TouScheduleTests
{
    private static TouSchedule Schedule(string sample)
    {
        TariffLoadResult result = TariffJson.LoadSample(sample);
        Assert.True(result.IsSuccess);
        return result.Tariff.Versions[0].Schedule!;
    }

    [Theory]
    // Residential valley 22:00–06:00 crosses midnight; edges are start-inclusive, end-exclusive.
    [InlineData("2025-01-15T05:59", TouBand.Valley)]
    [InlineData("2025-01-15T06:00", TouBand.Peak)]
    [InlineData("2025-01-15T21:59", TouBand.Peak)]
    [InlineData("2025-01-15T22:00", TouBand.Valley)]
    [InlineData("2025-01-15T23:45", TouBand.Valley)]
    [InlineData("2025-01-16T00:00", TouBand.Valley)]
    public void BandAt_ResidentialMidnightCrossingValley_ClassifiesEdges(string time, TouBand expected) =>
        Assert.Equal(expected, Schedule("shanghai-residential-tou").BandAt(DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture), DayType.Workday));

    [Theory]
    [InlineData("2025-07-15T12:00", DayType.Workday, TouBand.CriticalPeak)]
    [InlineData("2025-07-15T13:59", DayType.Workday, TouBand.CriticalPeak)]
    [InlineData("2025-07-15T14:00", DayType.Workday, TouBand.Peak)]
    [InlineData("2025-03-15T10:00", DayType.Workday, TouBand.Peak)]
    [InlineData("2025-03-15T10:00", DayType.Weekend, TouBand.Flat)]
    [InlineData("2025-03-15T10:00", DayType.Holiday, TouBand.Flat)]
    [InlineData("2025-10-01T02:00", DayType.Holiday, TouBand.Valley)]
    public void BandAt_CommercialBySeasonAndDayType_PicksTheRightBand(string time, DayType dayType, TouBand expected) =>
        Assert.Equal(expected, Schedule("commercial-tou").BandAt(DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture), dayType));

    [Fact]
    public void BandAt_MonthOfIntervalsAcrossMidnight_FeedsAGoldenBill()
    {
        // 0.25 kWh every 15 minutes through March 2025 (31 days × 96 intervals). The valley 22:00–06:00 holds 32
        // intervals a day (8 kWh), the peak 64 (16 kWh): valley 31 × 8 = 248 kWh, peak 31 × 16 = 496 kWh.
        // Bill from 0 kWh YTD, all tier 1: 496 × 0.617 = 306.032 → 306.03; 248 × 0.307 = 76.136 → 76.14 → 382.17.
        TouSchedule schedule = Schedule("shanghai-residential-tou");
        decimal peak = 0;
        decimal valley = 0;
        for (DateTime t = new(2025, 3, 1); t < new DateTime(2025, 4, 1); t = t.AddMinutes(15))
        {
            DayType dayType = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayType.Weekend : DayType.Workday;
            if (schedule.BandAt(t, dayType) == TouBand.Peak)
            {
                peak += 0.25m;
            }
            else
            {
                valley += 0.25m;
            }
        }

        Bill bill = TariffTestData.ResidentialTou.RateOk(TariffTestData.Tou(TariffTestData.Month(2025, 3), 0, peak, 0, valley));

        Assert.Equal((496m, 248m), (peak, valley));
        Assert.Equal(38217, bill.Total.Fen);
    }

    [Fact]
    public void Create_WindowsWithGapAndMissingMonths_Throws()
    {
        TouSeason season = new()
        {
            Name = "broken",
            Months = [1],
            DayTypes = [DayType.Workday],
            Windows = [new TouWindow(TouBand.Peak, new TimeOnly(8, 0), new TimeOnly(22, 0))],
        };

        ArgumentException e = Assert.Throws<ArgumentException>(() => TouSchedule.Create([season]));
        Assert.Contains("without a band", e.Message, StringComparison.Ordinal);
        Assert.Contains("not covered", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingWindows_ReportsOverlap()
    {
        TouSeason season = new()
        {
            Name = "overlap",
            Months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            DayTypes = [DayType.Workday, DayType.Weekend, DayType.Holiday],
            Windows =
            [
                new TouWindow(TouBand.Valley, new TimeOnly(22, 0), new TimeOnly(7, 0)),
                new TouWindow(TouBand.Peak, new TimeOnly(6, 0), new TimeOnly(22, 0)),
            ],
        };
        List<TariffError> errors = [];

        TouSchedule.Validate([season], "$", errors);

        TariffError error = Assert.Single(errors);
        Assert.Equal("$.seasons[0].windows[1]", error.Path);
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }
}
