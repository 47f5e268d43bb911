using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Segments;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Classification run {RunId} as of {AsOf} started (past due: {PastDue})")]
    public static partial void SegmentRunStarted(this ILogger logger, string runId, DateOnly asOf, bool pastDue);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Classification run {RunId}: {Areas} areas, {Accounts} accounts, {WithProfile} with a load profile; clusters {Clusters}")]
    public static partial void SegmentRunCompleted(this ILogger logger, string runId, int areas, int accounts, int withProfile, string clusters);
}
