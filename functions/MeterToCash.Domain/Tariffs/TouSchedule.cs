using MeterToCash.Domain.Common;
namespace MeterToCash.Domain.Tariffs;

/// <summary>
/// A window of a day assigned to one band. <see cref="From"/> is inclusive, <see cref="To"/> exclusive, both whole
/// minutes of China local time. When <see cref="To"/> is not after <see cref="From"/> the window crosses midnight
/// (22:00–06:00 covers 22:00 to 23:59 and 00:00 to 05:59); From equal to To covers the whole day.
/// </summary>
/// <param name="Band">The band of the window.</param>
/// <param name="From">Start, inclusive.</param>
/// <param name="To">End, exclusive.</param>
public readonly record struct TouWindow(TouBand Band, TimeOnly From, TimeOnly To);

/// <summary>The band hours of a season for some day types.</summary>
public sealed record TouSeason
{
    /// <summary>Name, e.g. "summer".</summary>
    public required string Name { get; init; }

    /// <summary>Calendar months (1–12) the season covers.</summary>
    public required IReadOnlyList<int> Months { get; init; }

    /// <summary>Day types the hours apply to.</summary>
    public required IReadOnlyList<DayType> DayTypes { get; init; }

    /// <summary>Windows that together cover each minute of the day exactly once.</summary>
    public required IReadOnlyList<TouWindow> Windows { get; init; }
}

/// <summary>
/// Time-of-use band hours by season and day type, compiled to a per-minute table so a later ingestion step can
/// classify interval timestamps cheaply. Each (month, day type) pair must be covered by exactly one season.
/// </summary>
public sealed class TouSchedule
{
    private const int MinutesPerDay = 1440;

    // [month-1, dayType] -> per-minute band table; tables are shared between pairs of the same season.
    private readonly TouBand[][] _tables = new TouBand[12 * 3][];

    private TouSchedule(IReadOnlyList<TouSeason> seasons)
    {
        Seasons = seasons;
        foreach (TouSeason season in seasons)
        {
            TouBand[] table = Compile(season.Windows);
            foreach (int month in season.Months)
            {
                foreach (DayType dayType in season.DayTypes)
                {
                    _tables[((month - 1) * 3) + (int)dayType] = table;
                }
            }
        }
    }

    /// <summary>The seasons as configured.</summary>
    public IReadOnlyList<TouSeason> Seasons { get; }

    /// <summary>Builds a schedule; throws when the seasons are invalid (check with <see cref="Validate"/> first).</summary>
    /// <exception cref="ArgumentException">The seasons do not cover every month, day type and minute exactly once.</exception>
    public static TouSchedule Create(IReadOnlyList<TouSeason> seasons)
    {
        ArgumentNullException.ThrowIfNull(seasons);
        List<TariffError> errors = [];
        Validate(seasons, "$", errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid time-of-use schedule: " + string.Join("; ", errors), nameof(seasons));
        }

        return new TouSchedule(seasons);
    }

    /// <summary>
    /// The band of a local (China Standard Time) timestamp. The season is chosen by the timestamp's own date, so the
    /// 00:00–06:00 part of a midnight-crossing valley belongs to the day it falls on. Seconds are ignored: a 15-minute
    /// interval is classified by its start.
    /// </summary>
    /// <param name="localTime">China local time; its <see cref="DateTime.Kind"/> is ignored.</param>
    /// <param name="dayType">The day type of <paramref name="localTime"/>'s date, from the holiday calendar.</param>
    public TouBand BandAt(DateTime localTime, DayType dayType) =>
        _tables[((localTime.Month - 1) * 3) + (int)dayType][(localTime.Hour * 60) + localTime.Minute];

    /// <summary>Appends every problem of <paramref name="seasons"/> to <paramref name="errors"/>, with JSON paths under <paramref name="path"/>.</summary>
    public static void Validate(IReadOnlyList<TouSeason> seasons, string path, List<TariffError> errors)
    {
        ArgumentNullException.ThrowIfNull(seasons);
        ArgumentNullException.ThrowIfNull(errors);
        if (seasons.Count == 0)
        {
            errors.Add(new TariffError(path + ".seasons", "at least one season is required"));
            return;
        }

        int[] owners = new int[12 * 3];
        Array.Fill(owners, -1);
        for (int s = 0; s < seasons.Count; s++)
        {
            TouSeason season = seasons[s];
            string seasonPath = $"{path}.seasons[{s}]";
            foreach (int month in season.Months)
            {
                if (month is < 1 or > 12)
                {
                    errors.Add(new TariffError(seasonPath + ".months", $"month {month} is not 1–12"));
                    continue;
                }

                foreach (DayType dayType in season.DayTypes)
                {
                    int slot = ((month - 1) * 3) + (int)dayType;
                    if (owners[slot] >= 0)
                    {
                        errors.Add(new TariffError(seasonPath, $"month {month} on {dayType} is already covered by seasons[{owners[slot]}]"));
                    }
                    else
                    {
                        owners[slot] = s;
                    }
                }
            }

            ValidateWindows(season.Windows, seasonPath + ".windows", errors);
        }

        for (int slot = 0; slot < owners.Length; slot++)
        {
            if (owners[slot] < 0)
            {
                errors.Add(new TariffError(path + ".seasons", $"month {(slot / 3) + 1} on {(DayType)(slot % 3)} is not covered by any season"));
            }
        }
    }

    private static void ValidateWindows(IReadOnlyList<TouWindow> windows, string path, List<TariffError> errors)
    {
        int[] covered = new int[MinutesPerDay];
        for (int w = 0; w < windows.Count; w++)
        {
            TouWindow window = windows[w];
            if (window.From.Second != 0 || window.To.Second != 0 || window.From.Millisecond != 0 || window.To.Millisecond != 0)
            {
                errors.Add(new TariffError($"{path}[{w}]", "window edges must be whole minutes"));
                continue;
            }

            bool reported = false;
            foreach (int minute in Minutes(window))
            {
                if (covered[minute]++ == 1 && !reported)
                {
                    errors.Add(new TariffError($"{path}[{w}]", $"overlaps another window at {minute / 60:00}:{minute % 60:00}"));
                    reported = true;
                }
            }
        }

        int gap = Array.IndexOf(covered, 0);
        if (gap >= 0)
        {
            errors.Add(new TariffError(path, $"the windows leave {gap / 60:00}:{gap % 60:00} without a band"));
        }
    }

    private static IEnumerable<int> Minutes(TouWindow window)
    {
        int from = (window.From.Hour * 60) + window.From.Minute;
        int to = (window.To.Hour * 60) + window.To.Minute;
        int length = to > from ? to - from : to - from + MinutesPerDay;
        for (int i = 0; i < length; i++)
        {
            yield return (from + i) % MinutesPerDay;
        }
    }

    private static TouBand[] Compile(IReadOnlyList<TouWindow> windows)
    {
        TouBand[] table = new TouBand[MinutesPerDay];
        foreach (TouWindow window in windows)
        {
            foreach (int minute in Minutes(window))
            {
                table[minute] = window.Band;
            }
        }

        return table;
    }
}
