using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ingestion;

internal static partial class Logs
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Meter data {RawBlob}: {Received} items, {Stored} stored, {Duplicate} duplicate, {Quarantined} quarantined")]
    public static partial void DeliveryProcessed(this ILogger logger, string rawBlob, int received, int stored, int duplicate, int quarantined);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "{Message} Its values are quarantined; the stored curve is left as it is for investigation.")]
    public static partial void CurveUnreadable(this ILogger logger, string message);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Meter data push refused: {Reason} at {Position}")]
    public static partial void PushRefused(this ILogger logger, string reason, string position);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Event batch: {Events} events, {Accepted} values accepted, {Duplicate} duplicate, {Quarantined} quarantined, {Refused} unreadable documents quarantined")]
    public static partial void EventBatchProcessed(this ILogger logger, int events, int accepted, int duplicate, int quarantined, int refused);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Reading file {FileId} ({Format}, {Bytes} bytes, from {Origin}) started")]
    public static partial void ReadingFileStarted(this ILogger logger, string fileId, string format, int bytes, string origin);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Reading file refused ({Rule}), from {Origin}")]
    public static partial void ReadingFileRefused(this ILogger logger, string rule, string origin);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information, Message = "Reading file {FileId} split into {Batches} batches: {Intervals} interval values, {Registers} registers, {Events} events, {Rejected} items rejected by the parser")]
    public static partial void ReadingFileSplit(this ILogger logger, string fileId, int batches, int intervals, int registers, int events, int rejected);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "Reading file {FileId} completed in {Batches} batches: {Received} items, {Stored} stored, {Duplicate} duplicate, {Quarantined} quarantined")]
    public static partial void ReadingFileCompleted(this ILogger logger, string fileId, int batches, int received, int stored, int duplicate, int quarantined);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "Dropped file {Name} is reading file {FileId} (orchestration started: {Started}); removed from the drop container")]
    public static partial void DroppedFileTaken(this ILogger logger, string name, string fileId, bool started);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Dropped file {Name} moved aside to {Target}: {Rule}")]
    public static partial void DroppedFileSetAside(this ILogger logger, string name, string target, string rule);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Dropped file {Name} left for the next scan: storage answered {Status}")]
    public static partial void DroppedFileDeferred(this ILogger logger, Exception exception, string name, int status);

    [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Drop scan: {Taken} files taken, {SetAside} moved aside, {Deferred} left for the next scan (past due: {PastDue})")]
    public static partial void DropScanned(this ILogger logger, int taken, int setAside, int deferred, bool pastDue);
}
