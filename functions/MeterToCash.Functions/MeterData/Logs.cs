using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.MeterData;

internal static partial class Logs
{
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Curve retention: {Tables} day tables before {OldestKept} dropped (past due: {PastDue})")]
    public static partial void CurvesPurged(this ILogger logger, int tables, DateOnly oldestKept, bool pastDue);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Month-to-date recomputation {InstanceId} started for {From} to {To} ({Reason})")]
    public static partial void RecomputeStarted(this ILogger logger, string instanceId, DateOnly from, DateOnly to, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Month-to-date recomputation {InstanceId} completed: {AreaDays} area-days, {Curves} curves, {EntriesChanged} day entries changed")]
    public static partial void RecomputeCompleted(this ILogger logger, string instanceId, int areaDays, int curves, int entriesChanged);
}
