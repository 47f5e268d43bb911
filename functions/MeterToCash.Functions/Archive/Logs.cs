using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Archive;

internal static partial class Logs
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Customer {AccountNo} created in area {AreaCode}")]
    public static partial void CustomerCreated(this ILogger logger, string accountNo, string areaCode);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Archive import {ImportId} started ({Bytes} bytes)")]
    public static partial void ImportStarted(this ILogger logger, string importId, long bytes);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Archive import {ImportId} completed: {Imported} rows imported, {Failed} rejected")]
    public static partial void ImportCompleted(this ILogger logger, string importId, int imported, int failed);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Purged {Instances} finished orchestrations and {Blobs} import blobs older than {Cutoff} (past due: {PastDue})")]
    public static partial void ImportsPurged(this ILogger logger, int instances, int blobs, DateTimeOffset cutoff, bool pastDue);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Billing group {Code} {Outcome}: {Areas} areas, cycle day {CycleDay}")]
    public static partial void BillingGroupWritten(this ILogger logger, string code, string outcome, int areas, int cycleDay);
}
