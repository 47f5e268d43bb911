namespace MeterToCash.Domain.MeterData;

/// <summary>
/// The calendar meter data is bucketed by: China Standard Time, a fixed UTC+8 offset with no daylight saving.
/// </summary>
/// <remarks>
/// All instants in this namespace are <see cref="DateTimeOffset"/> values normalised to offset zero (UTC).
/// A "day" is a China local calendar day, i.e. the UTC range [D-1 16:00, D 16:00).
/// </remarks>
public static class ChinaTime
{
    /// <summary>The fixed offset of China Standard Time (+08:00).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The China local calendar day containing an instant.</summary>
    public static DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The first instant (inclusive) of a China local day, as UTC.</summary>
    public static DateTimeOffset DayStart(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>Whole minutes since China local midnight (0–1439); seconds are ignored.</summary>
    public static int MinuteOfDay(DateTimeOffset instant)
    {
        DateTime local = instant.ToOffset(Offset).DateTime;
        return (local.Hour * 60) + local.Minute;
    }

    /// <summary>True when an interval start lies exactly on the local-day grid of the given length (no seconds).</summary>
    public static bool IsAligned(DateTimeOffset start, int intervalMinutes) =>
        intervalMinutes > 0
        && start.Ticks % TimeSpan.TicksPerMinute == 0
        && MinuteOfDay(start) % intervalMinutes == 0;
}
