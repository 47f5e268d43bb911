using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Calendar;

/// <summary>Settings <c>Calendar__*</c>. Every one has a default, so a host without them still starts.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>
    /// Seconds a calendar read by <see cref="HolidayCalendars"/> (or the absence of one) is kept in memory. A publish is
    /// seen at once by the instance that took it, by the others within this time.
    /// </summary>
    [Range(0, 86_400)]
    public int CacheSeconds { get; set; } = 60;
}
