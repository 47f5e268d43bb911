namespace MeterToCash.Domain.Calendar;

/// <summary>The outcome of loading a holiday calendar document: the calendar, or every problem with its JSON path.</summary>
public sealed record HolidayCalendarLoadResult
{
    /// <summary>The calendar; null when the document was rejected.</summary>
    public HolidayCalendar? Calendar { get; init; }

    /// <summary>Why the document was rejected; empty on success.</summary>
    public IReadOnlyList<CalendarError> Errors { get; init; } = [];

    /// <summary>True when <see cref="Calendar"/> is set.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Calendar))]
    public bool IsSuccess => Calendar is not null;
}
