using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tariffs;

/// <summary>
/// How one China-local day's intervals are banded under a tariff: the version in force on the day, the day's type from
/// the holiday calendar, and from those the band of each interval start.
/// </summary>
public sealed class DayBanding
{
    private DayBanding(Tariff tariff, DateOnly day, TariffVersion version, DayType dayType, bool provisional)
    {
        Day = day;
        Version = version;
        DayType = dayType;
        Provisional = provisional;
        Key = $"{tariff.Id}@{version.Version}/{dayType}" + (provisional ? "~p" : string.Empty);
    }

    /// <summary>The China-local day banded.</summary>
    public DateOnly Day { get; }

    /// <summary>The version in force on <see cref="Day"/>: the one with the latest <see cref="TariffVersion.EffectiveFrom"/> on or before it.</summary>
    public TariffVersion Version { get; }

    /// <summary>The day type of <see cref="Day"/>, from the year's holiday calendar or, when that is unpublished, by weekday.</summary>
    public DayType DayType { get; }

    /// <summary>True when no holiday calendar was known for the year, so <see cref="DayType"/> is by weekday alone (<see cref="PlainDayTypes"/>) and may change once it is published.</summary>
    public bool Provisional { get; }

    /// <summary>
    /// Identifies the banding: <c>{tariff id}@{version label}/{day type}</c>, with <c>~p</c> appended when provisional.
    /// Stored next to totals, it tells a recompute whether a tariff version or calendar change altered the day.
    /// </summary>
    public string Key { get; }

    /// <summary>
    /// The banding of <paramref name="day"/> under <paramref name="tariff"/>, or null when no version of the tariff is in force
    /// on that day (the first version starts later).
    /// </summary>
    /// <param name="tariff">The customer's tariff; its versions are in ascending order of EffectiveFrom.</param>
    /// <param name="day">China-local day.</param>
    /// <param name="calendar">The holiday calendar of <paramref name="day"/>'s year, or null when it is not published (the banding is then provisional).</param>
    /// <exception cref="ArgumentException"><paramref name="calendar"/> is of another year than <paramref name="day"/>.</exception>
    public static DayBanding? For(Tariff tariff, DateOnly day, HolidayCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        if (calendar is not null && calendar.Year != day.Year)
        {
            throw new ArgumentException($"The calendar is of {calendar.Year}, the day {day:yyyy-MM-dd} of {day.Year}.", nameof(calendar));
        }

        TariffVersion? version = null;
        foreach (TariffVersion candidate in tariff.Versions)
        {
            if (candidate.EffectiveFrom > day)
            {
                break;
            }

            version = candidate;
        }

        if (version is null)
        {
            return null;
        }

        DayType dayType = calendar?.DayTypeOf(day) ?? PlainDayTypes.Of(day);
        return new DayBanding(tariff, day, version, dayType, calendar is null);
    }

    /// <summary>
    /// The band of the interval starting at <paramref name="slotStart"/>: the instant in any offset is taken to China local
    /// time (UTC+8) and looked up in the version's schedule for <see cref="DayType"/>. A version without a time-of-use
    /// schedule bands every interval <see cref="TouBand.Flat"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slotStart"/> is not on <see cref="Day"/> in China local time.</exception>
    public TouBand BandOf(DateTimeOffset slotStart)
    {
        if (ChinaTime.LocalDay(slotStart) != Day)
        {
            throw new ArgumentOutOfRangeException(nameof(slotStart), slotStart, $"The interval does not start on {Day:yyyy-MM-dd} (China local).");
        }

        return Version.Schedule is { } schedule
            ? schedule.BandAt(slotStart.ToOffset(ChinaTime.Offset).DateTime, DayType)
            : TouBand.Flat;
    }
}
