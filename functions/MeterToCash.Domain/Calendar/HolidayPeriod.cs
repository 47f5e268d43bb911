namespace MeterToCash.Domain.Calendar;

/// <summary>
/// One announced holiday period (放假), e.g. 春节 2026-02-15 to 2026-02-23. Both <see cref="From"/> and <see cref="To"/>
/// are INCLUSIVE China-local days: every day from From through To is off, weekend days within it included.
/// </summary>
public sealed record HolidayPeriod
{
    /// <summary>Creates a period; throws when the name is blank or <paramref name="to"/> is before <paramref name="from"/>.</summary>
    /// <param name="name">The festival's name as announced, e.g. "春节 Spring Festival".</param>
    /// <param name="from">First day off, inclusive.</param>
    /// <param name="to">Last day off, inclusive; equal to <paramref name="from"/> for a one-day holiday.</param>
    /// <exception cref="ArgumentException">The name is blank or the period ends before it starts.</exception>
    public HolidayPeriod(string name, DateOnly from, DateOnly to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (to < from)
        {
            throw new ArgumentException($"The holiday '{name}' ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        Name = name;
        From = from;
        To = to;
    }

    /// <summary>The festival's name as announced.</summary>
    public string Name { get; }

    /// <summary>First day off, inclusive (China local).</summary>
    public DateOnly From { get; }

    /// <summary>Last day off, inclusive (China local).</summary>
    public DateOnly To { get; }

    /// <summary>Number of days off, both ends counted (1 for a one-day holiday).</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>True when <paramref name="day"/> lies in the period, ends included.</summary>
    public bool Contains(DateOnly day) => day >= From && day <= To;
}
