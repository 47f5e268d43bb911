using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Billing;

internal static partial class Logs
{
    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Billing cycle {CycleId} started for group {Group}, period {From} to {To} (end exclusive)")]
    public static partial void CycleStarted(this ILogger logger, string cycleId, string group, DateOnly from, DateOnly to);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Billing cycle of group {Group} for the period from {From} not started: {Reason}")]
    public static partial void CycleNotStarted(this ILogger logger, string group, DateOnly from, string reason);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Bill {BillId} reviewed: {Status} by {By}")]
    public static partial void BillReviewed(this ILogger logger, string billId, BillStatus status, string by);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Bill {BillId} issued; its notification is left in the outbox for the drain: {Reason}")]
    public static partial void NotificationDeferred(this ILogger logger, string billId, string reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "Bill outbox drained: {Sent} notifications sent")]
    public static partial void BillOutboxDrained(this ILogger logger, int sent);

    [LoggerMessage(EventId = 906, Level = LogLevel.Information, Message = "Late fees as of {Day}: {Bills} overdue bills read, {Assessed} assessed, {Settled} settled and removed from the index")]
    public static partial void LateFeesAssessed(this ILogger logger, DateOnly day, int bills, int assessed, int settled);

    [LoggerMessage(EventId = 907, Level = LogLevel.Warning, Message = "Late fee of bill {BillId} not assessed: {Reason}")]
    public static partial void LateFeeSkipped(this ILogger logger, string billId, string reason);
}
