using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Vee;

internal static partial class Logs
{
    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Daily VEE run {RunId} for {Day} started (past due: {PastDue})")]
    public static partial void DailyVeeStarted(this ILogger logger, string runId, DateOnly day, bool pastDue);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Daily VEE run {RunId}: {Areas} areas, {Series} series, {Estimated} values estimated, {Unestimated} left as gaps, {Drops} sudden drops, {Reverse} reverse-energy alarms, {SpikeReferences} series with a spike reference")]
    public static partial void DailyVeeCompleted(this ILogger logger, string runId, int areas, int series, int estimated, int unestimated, int drops, int reverse, int spikeReferences);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Stored curve {Partition}/{Row} cannot be decoded; left out of the daily VEE run")]
    public static partial void CurveSkipped(this ILogger logger, string partition, string row);
}
