namespace MeterToCash.Domain.Calendar;

/// <summary>A problem found in a holiday calendar document or object.</summary>
/// <param name="Path">JSON path of the offending field, e.g. <c>$.holidays[1].to</c>; <c>$</c> for the document itself.</param>
/// <param name="Rule">Stable kebab-case name of the broken rule, e.g. <c>overlap</c>, for clients to switch on.</param>
/// <param name="Message">What is wrong, for a person.</param>
public readonly record struct CalendarError(string Path, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} ({Rule})";
}
