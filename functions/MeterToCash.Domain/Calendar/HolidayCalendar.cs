using System.Globalization;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Calendar;

/// <summary>
/// One year's day types as the State Council announced them (国务院办公厅关于…部分节假日安排的通知): the holiday periods
/// and the make-up working days (调休上班日). Days are China-local calendar days.
/// </summary>
/// <remarks>
/// A calendar holds only days of its own <see cref="Year"/>. When an announced period crosses New Year (as 元旦 sometimes
/// does), each year's calendar lists its own part of it. Holidays and make-up days are kept in ascending date order, so
/// two calendars with the same content are equal whatever order they were given in.
/// </remarks>
public sealed class HolidayCalendar : IEquatable<HolidayCalendar>
{
    /// <summary>Earliest year a calendar may describe.</summary>
    public const int MinYear = 1901;

    /// <summary>Latest year a calendar may describe.</summary>
    public const int MaxYear = 9998;

    // Day type per day of the year, index = day of year − 1.
    private readonly DayType[] _days;

    /// <summary>Creates a calendar; throws when it breaks a rule (see <see cref="Validate"/>).</summary>
    /// <param name="year">The calendar year, <see cref="MinYear"/>–<see cref="MaxYear"/>.</param>
    /// <param name="source">Where the calendar comes from, e.g. the notice number "国办发明电〔2025〕7号".</param>
    /// <param name="holidays">Holiday periods, inside the year and not overlapping, in any order.</param>
    /// <param name="makeUpWorkdays">Saturdays or Sundays worked in exchange for holiday days, outside every holiday, in any order.</param>
    /// <exception cref="ArgumentException">The calendar breaks a rule; the message lists every problem with its path.</exception>
    public HolidayCalendar(int year, string source, IEnumerable<HolidayPeriod> holidays, IEnumerable<DateOnly> makeUpWorkdays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(makeUpWorkdays);
        HolidayPeriod[] periods = [.. holidays];
        DateOnly[] makeUps = [.. makeUpWorkdays];
        List<CalendarError> errors = [];
        Validate(year, source, periods, makeUps, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid holiday calendar: " + string.Join("; ", errors));
        }

        Year = year;
        Source = source;
        Holidays = [.. periods.OrderBy(p => p.From)];
        MakeUpWorkdays = [.. makeUps.Order()];
        _days = new DayType[DateTime.IsLeapYear(year) ? 366 : 365];
        DateOnly first = new(year, 1, 1);
        for (int i = 0; i < _days.Length; i++)
        {
            _days[i] = PlainDayTypes.Of(first.AddDays(i));
        }

        foreach (DateOnly day in MakeUpWorkdays)
        {
            _days[day.DayOfYear - 1] = DayType.Workday;
        }

        foreach (HolidayPeriod period in Holidays)
        {
            for (DateOnly day = period.From; day <= period.To; day = day.AddDays(1))
            {
                _days[day.DayOfYear - 1] = DayType.Holiday;
            }
        }
    }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>Where the calendar comes from, e.g. the notice number.</summary>
    public string Source { get; }

    /// <summary>The holiday periods in ascending order; each one's ends are inclusive.</summary>
    public IReadOnlyList<HolidayPeriod> Holidays { get; }

    /// <summary>The make-up working days (调休上班日) in ascending order.</summary>
    public IReadOnlyList<DateOnly> MakeUpWorkdays { get; }

    /// <summary>
    /// The day type of a day of <see cref="Year"/>: <see cref="DayType.Holiday"/> inside a holiday period (weekend days
    /// within it included), <see cref="DayType.Workday"/> on a make-up working day, otherwise by weekday as
    /// <see cref="PlainDayTypes.Of"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="day"/> is not in <see cref="Year"/>.</exception>
    public DayType DayTypeOf(DateOnly day)
    {
        if (day.Year != Year)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"The {Year} calendar has no day {day:yyyy-MM-dd}.");
        }

        return _days[day.DayOfYear - 1];
    }

    /// <summary>How many days of the year have the given day type.</summary>
    public int CountOf(DayType dayType) => _days.Count(d => d == dayType);

    /// <summary>
    /// Appends every rule <paramref name="holidays"/> and <paramref name="makeUpWorkdays"/> break to <paramref name="errors"/>,
    /// with JSON paths by their index in the lists as given: year <see cref="MinYear"/>–<see cref="MaxYear"/>, a source,
    /// every date inside the year, no two holidays overlapping, each make-up working day a Saturday or Sunday, outside
    /// every holiday and listed once.
    /// </summary>
    public static void Validate(int year, string? source, IReadOnlyList<HolidayPeriod> holidays, IReadOnlyList<DateOnly> makeUpWorkdays, List<CalendarError> errors)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(makeUpWorkdays);
        ArgumentNullException.ThrowIfNull(errors);
        if (year is < MinYear or > MaxYear)
        {
            errors.Add(new("$.year", "range", string.Create(CultureInfo.InvariantCulture, $"must be {MinYear}–{MaxYear}, found {year}")));
            return;
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            errors.Add(new("$.source", "required", "is required (e.g. the State Council notice number)"));
        }

        for (int i = 0; i < holidays.Count; i++)
        {
            HolidayPeriod period = holidays[i] ?? throw new ArgumentException($"holidays[{i}] is null", nameof(holidays));
            if (period.From.Year != year)
            {
                errors.Add(new($"$.holidays[{i}].from", "in-year", $"{period.From:yyyy-MM-dd} is not in {year}"));
            }

            if (period.To.Year != year)
            {
                errors.Add(new($"$.holidays[{i}].to", "in-year", $"{period.To:yyyy-MM-dd} is not in {year}"));
            }
        }

        int[] byStart = [.. Enumerable.Range(0, holidays.Count).OrderBy(i => holidays[i].From)];
        for (int k = 1; k < byStart.Length; k++)
        {
            HolidayPeriod earlier = holidays[byStart[k - 1]], later = holidays[byStart[k]];
            if (later.From <= earlier.To)
            {
                errors.Add(new($"$.holidays[{byStart[k]}]", "overlap", $"'{later.Name}' overlaps holidays[{byStart[k - 1]}] '{earlier.Name}' ({earlier.From:yyyy-MM-dd} to {earlier.To:yyyy-MM-dd})"));
            }
        }

        HashSet<DateOnly> seen = [];
        for (int i = 0; i < makeUpWorkdays.Count; i++)
        {
            DateOnly day = makeUpWorkdays[i];
            string path = $"$.makeUpWorkdays[{i}]";
            if (day.Year != year)
            {
                errors.Add(new(path, "in-year", $"{day:yyyy-MM-dd} is not in {year}"));
            }

            if (!seen.Add(day))
            {
                errors.Add(new(path, "duplicate", $"{day:yyyy-MM-dd} is listed more than once"));
            }

            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                errors.Add(new(path, "weekend-required", $"{day:yyyy-MM-dd} is a {day.DayOfWeek}; a make-up working day is a Saturday or Sunday worked"));
            }

            int holiday = Enumerable.Range(0, holidays.Count).FirstOrDefault(h => holidays[h].Contains(day), -1);
            if (holiday >= 0)
            {
                errors.Add(new(path, "inside-holiday", $"{day:yyyy-MM-dd} lies inside holidays[{holiday}] '{holidays[holiday].Name}'"));
            }
        }
    }

    /// <inheritdoc />
    public bool Equals(HolidayCalendar? other) =>
        other is not null
        && Year == other.Year
        && string.Equals(Source, other.Source, StringComparison.Ordinal)
        && Holidays.SequenceEqual(other.Holidays)
        && MakeUpWorkdays.SequenceEqual(other.MakeUpWorkdays);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HolidayCalendar);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Year, Source, Holidays.Count, MakeUpWorkdays.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Year} ({Source}): {Holidays.Count} holidays, {MakeUpWorkdays.Count} make-up working days";
}
