using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Calendar;

internal static partial class Logs
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Holiday calendar {Year} {Outcome}: revision {Revision}, sha256 {Sha256}")]
    public static partial void CalendarPublished(this ILogger logger, int year, PublishOutcome outcome, int revision, string sha256);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Calendar change listener {Listener} failed for {Year} revision {Revision}; the publish stands")]
    public static partial void CalendarListenerFailed(this ILogger logger, Exception exception, string listener, int year, int revision);
}
