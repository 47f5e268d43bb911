using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Forecasting;

/// <summary>Day kinds from holiday calendars, one per year; a year without a calendar falls back to <see cref="PlainDayTypes"/>.</summary>
public static class LoadDayKinds
{
    /// <summary>The kind of a day under its year's calendar (null = none published: plain weekdays and weekends).</summary>
    public static LoadDayKind Of(HolidayCalendar? calendar, DateOnly day)
    {
        if (calendar is null || calendar.Year != day.Year)
        {
            return PlainDayTypes.Of(day) == DayType.Weekend ? LoadDayKind.Weekend : LoadDayKind.Workday;
        }

        return calendar.DayTypeOf(day) switch
        {
            DayType.Holiday => LoadDayKind.Holiday,
            DayType.Weekend => LoadDayKind.Weekend,
            _ => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? LoadDayKind.MakeUpWorkday : LoadDayKind.Workday,
        };
    }

    /// <summary>A lookup over the given calendars by year (cached per day).</summary>
    public static Func<DateOnly, LoadDayKind> From(IEnumerable<HolidayCalendar> calendars)
    {
        Dictionary<int, HolidayCalendar> byYear = (calendars ?? []).ToDictionary(c => c.Year);
        return day => Of(byYear.GetValueOrDefault(day.Year), day);
    }
}
