using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Reconciliation;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Reconciliation file {FileId} of {ChannelId} {ChannelDate} taken as version {Version}: {Lines} lines, {LineErrors} line errors ({Origin})")]
    public static partial void ReconFileTaken(this ILogger logger, string fileId, string channelId, DateOnly channelDate, int version, int lines, int lineErrors, string origin);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Reconciliation file {FileId} refused whole: {Rule} ({Origin})")]
    public static partial void ReconFileRefused(this ILogger logger, string fileId, string rule, string origin);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Reconciliation {InstanceId} of {ChannelId} {ChannelDate} started (rerun {Rerun})")]
    public static partial void ReconStarted(this ILogger logger, string instanceId, string channelId, DateOnly channelDate, bool rerun);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Reconciliation of {ChannelId} {ChannelDate} matched file {FileId}: {Items} items, {Matched} matched, {Differences} differences, {Open} open")]
    public static partial void ReconMatched(this ILogger logger, string channelId, DateOnly channelDate, string fileId, int items, int matched, int differences, int open);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Critical, Message = "Reconciliation of {ChannelId} {ChannelDate}: {Count} journal entries are not in the ledger")]
    public static partial void ReconLedgerMissing(this ILogger logger, string channelId, DateOnly channelDate, int count);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "Reconciliation of {ChannelId} {ChannelDate}: difference {ItemId} decided {Action} by {Operator}")]
    public static partial void ReconDecided(this ILogger logger, string channelId, DateOnly channelDate, string itemId, string action, string @operator);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "Reconciliation of {ChannelId} {ChannelDate}: decision {Action} on {ItemId} posted as ledger entry {EntryId} (#{Sequence})")]
    public static partial void ReconDecisionApplied(this ILogger logger, string channelId, DateOnly channelDate, string itemId, string action, string entryId, long sequence);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Warning, Message = "Reconciliation of {ChannelId} {ChannelDate}: the ledger refused the decision on {ItemId}: {Code}")]
    public static partial void ReconDecisionFailed(this ILogger logger, string channelId, DateOnly channelDate, string itemId, string code);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Warning, Message = "Reconciliation of {ChannelId} {ChannelDate}: {Open} differences still open past the deadline")]
    public static partial void ReconOverdue(this ILogger logger, string channelId, DateOnly channelDate, int open);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Reconciliation of {ChannelId} {ChannelDate} closed: every difference of file {FileId} decided")]
    public static partial void ReconReconciled(this ILogger logger, string channelId, DateOnly channelDate, string fileId);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Reconciliation scan: {Pending} channel days waiting for a match, {Started} started or woken")]
    public static partial void ReconPendingScanned(this ILogger logger, int pending, int started);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Dropped reconciliation file {Name} taken as {FileId}")]
    public static partial void ReconDropTaken(this ILogger logger, string name, string fileId);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "Dropped reconciliation file {Name} moved to rejected/: {Rule}")]
    public static partial void ReconDropSetAside(this ILogger logger, string name, string rule);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Warning, Message = "Dropped reconciliation file {Name} left for the next scan (storage answered {Status})")]
    public static partial void ReconDropDeferred(this ILogger logger, Exception exception, string name, int status);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Information, Message = "Reconciliation drop scan: {Taken} taken, {SetAside} set aside, {Deferred} deferred")]
    public static partial void ReconDropScanned(this ILogger logger, int taken, int setAside, int deferred);
}
