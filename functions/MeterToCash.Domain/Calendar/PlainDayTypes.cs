using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Calendar;

/// <summary>
/// Day types by weekday alone, for a year whose holiday calendar is not published yet: Monday–Friday are workdays,
/// Saturday and Sunday weekend days. Results from this rule are provisional; holidays and make-up working days
/// appear only once the year's <see cref="HolidayCalendar"/> is known.
/// </summary>
public static class PlainDayTypes
{
    /// <summary>Workday Monday–Friday, Weekend Saturday–Sunday.</summary>
    public static DayType Of(DateOnly day) =>
        day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayType.Weekend : DayType.Workday;
}
