using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Monitoring;

internal static partial class Logs
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Alarm {AlarmId} is now {State} ({Change})")]
    public static partial void AlarmChanged(this ILogger logger, string alarmId, string state, string change);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Area {Area} outage opened: {Down}/{Total} meters down since {StartedAt}")]
    public static partial void AreaOutageOpened(this ILogger logger, string area, int down, int total, DateTimeOffset startedAt);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Area {Area} outage closed after {Duration}")]
    public static partial void AreaOutageClosed(this ILogger logger, string area, TimeSpan duration);

    [LoggerMessage(EventId = 604, Level = LogLevel.Debug, Message = "{Count} events of meters not in the archive were not monitored")]
    public static partial void EventsOfUnknownMeters(this ILogger logger, int count);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Monitoring sweep {SweepId} started (past due: {PastDue})")]
    public static partial void SweepStarted(this ILogger logger, string sweepId, bool pastDue);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Monitoring sweep {SweepId}: {Areas} areas, {Meters} meters, {Down} down; outages +{Opened}/-{Closed}; no-read +{NoReadOpened}/-{NoReadClosed}")]
    public static partial void SweepCompleted(this ILogger logger, string sweepId, int areas, int meters, int down, int opened, int closed, int noReadOpened, int noReadClosed);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "Sent {Count} alarm notifications left in the outbox by an earlier process")]
    public static partial void OutboxDrained(this ILogger logger, int count);
}
