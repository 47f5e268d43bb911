using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Billing;

internal static partial class Logs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Billing cycle {CycleId} started for group {Group}, period {From} to {To} (end exclusive)")]
    public static partial void CycleStarted(this ILogger logger, string cycleId, string group, DateOnly from, DateOnly to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing cycle of group {Group} for the period from {From} not started: {Reason}")]
    public static partial void CycleNotStarted(this ILogger logger, string group, DateOnly from, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bill {BillId} reviewed: {Status} by {By}")]
    public static partial void BillReviewed(this ILogger logger, string billId, BillStatus status, string by);
}
