namespace MeterToCash.Domain.Common;

/// <summary>
/// The one date range of the whole API (query, body and CSV): days from 2000-01-01 to 2099-12-31. Earlier and later days
/// are not plausible for meters, tariffs or readings of a system in service now, and refusing them keeps day arithmetic
/// (weeks back for estimation, a year ahead for calendars) away from DateOnly's ends.
/// </summary>
public static class DateRules
{
    /// <summary>The first day accepted.</summary>
    public static readonly DateOnly FirstDay = new(2000, 1, 1);

    /// <summary>The last day accepted.</summary>
    public static readonly DateOnly LastDay = new(2099, 12, 31);

    /// <summary>Whether <paramref name="day"/> is in the API's range.</summary>
    /// <param name="day">The day.</param>
    /// <returns>True for 2000-01-01 to 2099-12-31.</returns>
    public static bool InRange(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <summary>The message for a day outside the range.</summary>
    public const string RangeMessage = "must be a day from 2000-01-01 to 2099-12-31";
}
