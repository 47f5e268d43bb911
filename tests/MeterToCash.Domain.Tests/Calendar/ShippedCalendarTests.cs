using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Calendar;

/// <summary>The calendars shipped in the library against the State Council notices they transcribe.</summary>
public class ShippedCalendarTests
{
    public static TheoryData<int, int, int, int, string> MakeUpDays => new()
    {
        // Year, month, day, expected weekday as the notice states it (周日 / 周六), notice.
        { 2025, 1, 26, (int)DayOfWeek.Sunday, "国办发明电〔2024〕12号" },
        { 2025, 2, 8, (int)DayOfWeek.Saturday, "国办发明电〔2024〕12号" },
        { 2025, 4, 27, (int)DayOfWeek.Sunday, "国办发明电〔2024〕12号" },
        { 2025, 9, 28, (int)DayOfWeek.Sunday, "国办发明电〔2024〕12号" },
        { 2025, 10, 11, (int)DayOfWeek.Saturday, "国办发明电〔2024〕12号" },
        { 2026, 1, 4, (int)DayOfWeek.Sunday, "国办发明电〔2025〕7号" },
        { 2026, 2, 14, (int)DayOfWeek.Saturday, "国办发明电〔2025〕7号" },
        { 2026, 2, 28, (int)DayOfWeek.Saturday, "国办发明电〔2025〕7号" },
        { 2026, 5, 9, (int)DayOfWeek.Saturday, "国办发明电〔2025〕7号" },
        { 2026, 9, 20, (int)DayOfWeek.Sunday, "国办发明电〔2025〕7号" },
        { 2026, 10, 10, (int)DayOfWeek.Saturday, "国办发明电〔2025〕7号" },
    };

    [Fact]
    public void ShippedYears_Are2025And2026()
    {
        Assert.Equal([2025, 2026], HolidayCalendarJson.ShippedYears);
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void LoadShipped_EachYear_LoadsThatYear(int year)
    {
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(year);

        Assert.Equal(year, calendar.Year);
        Assert.StartsWith("国办发明电", calendar.Source, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MakeUpDays))]
    public void LoadShipped_MakeUpDay_IsTheAnnouncedWeekendDayAndAWorkday(int year, int month, int day, int weekday, string notice)
    {
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(year);
        DateOnly date = new(year, month, day);

        Assert.Equal((DayOfWeek)weekday, date.DayOfWeek);
        Assert.Contains(date, calendar.MakeUpWorkdays);
        Assert.Equal(DayType.Workday, calendar.DayTypeOf(date));
        Assert.Equal(notice, calendar.Source);
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void LoadShipped_EveryMakeUpDay_IsASaturdayOrSunday(int year)
    {
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(year);

        Assert.All(calendar.MakeUpWorkdays, d => Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, $"{d:yyyy-MM-dd} is a {d.DayOfWeek}"));
    }

    [Theory]
    // Year, first day off, last day off (both inclusive), as the notices announce each festival.
    [InlineData(2025, "2025-01-01", "2025-01-01")]
    [InlineData(2025, "2025-01-28", "2025-02-04")]
    [InlineData(2025, "2025-04-04", "2025-04-06")]
    [InlineData(2025, "2025-05-01", "2025-05-05")]
    [InlineData(2025, "2025-05-31", "2025-06-02")]
    [InlineData(2025, "2025-10-01", "2025-10-08")]
    [InlineData(2026, "2026-01-01", "2026-01-03")]
    [InlineData(2026, "2026-02-15", "2026-02-23")]
    [InlineData(2026, "2026-04-04", "2026-04-06")]
    [InlineData(2026, "2026-05-01", "2026-05-05")]
    [InlineData(2026, "2026-06-19", "2026-06-21")]
    [InlineData(2026, "2026-09-25", "2026-09-27")]
    [InlineData(2026, "2026-10-01", "2026-10-07")]
    public void LoadShipped_AnnouncedPeriod_IsOneHolidayPeriod(int year, string from, string to)
    {
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(year);

        Assert.Contains(calendar.Holidays, h => h.From == DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture) && h.To == DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(2025, 6, 5)]
    [InlineData(2026, 7, 6)]
    public void LoadShipped_EachYear_HasExactlyTheAnnouncedPeriodsAndMakeUpDays(int year, int periods, int makeUps)
    {
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(year);

        Assert.Equal(periods, calendar.Holidays.Count);
        Assert.Equal(makeUps, calendar.MakeUpWorkdays.Count);
    }

    [Fact]
    public void LoadShipped_UnshippedYear_Throws()
    {
        Assert.Throws<ArgumentException>(() => HolidayCalendarJson.LoadShipped(2024));
    }
}
