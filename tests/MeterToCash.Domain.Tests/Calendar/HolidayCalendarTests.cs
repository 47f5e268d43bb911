using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Calendar;

public class HolidayCalendarTests
{
    private static readonly HolidayCalendar Cn2026 = HolidayCalendarJson.LoadShipped(2026);

    [Fact]
    public void DayTypeOf_SundayInsideSpringFestival_IsHoliday()
    {
        DateOnly firstDayOff = new(2026, 2, 15);
        Assert.Equal(DayOfWeek.Sunday, firstDayOff.DayOfWeek);

        Assert.Equal(DayType.Holiday, Cn2026.DayTypeOf(firstDayOff));
    }

    [Fact]
    public void DayTypeOf_BothEndsOfAPeriod_AreHolidaysAndTheDaysAroundAreNot()
    {
        HolidayPeriod national = Cn2026.Holidays.Single(h => h.Name.StartsWith("国庆", StringComparison.Ordinal));

        Assert.Equal(DayType.Holiday, Cn2026.DayTypeOf(national.From));
        Assert.Equal(DayType.Holiday, Cn2026.DayTypeOf(national.To));
        Assert.NotEqual(DayType.Holiday, Cn2026.DayTypeOf(national.From.AddDays(-1)));
        Assert.NotEqual(DayType.Holiday, Cn2026.DayTypeOf(national.To.AddDays(1)));
    }

    [Fact]
    public void DayTypeOf_MakeUpSaturday_IsWorkday()
    {
        DateOnly makeUp = new(2026, 2, 14);
        Assert.Equal(DayOfWeek.Saturday, makeUp.DayOfWeek);

        Assert.Equal(DayType.Workday, Cn2026.DayTypeOf(makeUp));
    }

    [Fact]
    public void DayTypeOf_PlainSaturday_IsWeekend()
    {
        DateOnly saturday = new(2026, 3, 7);
        Assert.Equal(DayOfWeek.Saturday, saturday.DayOfWeek);

        Assert.Equal(DayType.Weekend, Cn2026.DayTypeOf(saturday));
    }

    [Fact]
    public void DayTypeOf_DayOfAnotherYear_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn2026.DayTypeOf(new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void DayTypeOf_CalendarWithoutHolidays_AgreesWithPlainDayTypesAllYear()
    {
        HolidayCalendar none = new(2027, "none announced", [], []);

        for (DateOnly day = new(2027, 1, 1); day.Year == 2027; day = day.AddDays(1))
        {
            Assert.Equal(PlainDayTypes.Of(day), none.DayTypeOf(day));
        }
    }

    [Fact]
    public void CountOf_Holiday_IsTheSumOfThePeriodsDays()
    {
        Assert.Equal(Cn2026.Holidays.Sum(h => h.Days), Cn2026.CountOf(DayType.Holiday));
        Assert.Equal(365, Cn2026.CountOf(DayType.Workday) + Cn2026.CountOf(DayType.Weekend) + Cn2026.CountOf(DayType.Holiday));
    }

    [Fact]
    public void Constructor_SameContentInAnotherOrder_GivesEqualCalendars()
    {
        HolidayPeriod a = new("a", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 3));
        HolidayPeriod b = new("b", new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 5));
        DateOnly[] makeUps = [new(2026, 1, 4), new(2026, 5, 9)];

        HolidayCalendar forward = new(2026, "s", [a, b], makeUps);
        HolidayCalendar backward = new(2026, "s", [b, a], makeUps.Reverse());

        Assert.Equal(forward, backward);
        Assert.Equal(forward.Holidays, backward.Holidays);
    }

    [Fact]
    public void Constructor_OverlappingHolidays_Throws()
    {
        HolidayPeriod a = new("a", new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 5));
        HolidayPeriod b = new("b", new DateOnly(2026, 5, 5), new DateOnly(2026, 5, 6));

        ArgumentException e = Assert.Throws<ArgumentException>(() => new HolidayCalendar(2026, "s", [a, b], []));
        Assert.Contains("$.holidays[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HolidayPeriod_EndBeforeStart_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HolidayPeriod("x", new DateOnly(2026, 5, 2), new DateOnly(2026, 5, 1)));
    }

    [Fact]
    public void HolidayPeriod_OneDay_CountsBothEnds()
    {
        HolidayPeriod newYear = new("元旦", new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1));

        Assert.Equal(1, newYear.Days);
        Assert.True(newYear.Contains(newYear.From));
    }
}
