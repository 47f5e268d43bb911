using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ingestion;

internal static partial class Logs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Meter data {RawBlob}: {Received} items, {Stored} stored, {Duplicate} duplicate, {Quarantined} quarantined")]
    public static partial void DeliveryProcessed(this ILogger logger, string rawBlob, int received, int stored, int duplicate, int quarantined);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message} Its values are quarantined; the stored curve is left as it is for investigation.")]
    public static partial void CurveUnreadable(this ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter data push refused: {Reason} at {Position}")]
    public static partial void PushRefused(this ILogger logger, string reason, string position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event batch: {Events} events, {Accepted} values accepted, {Duplicate} duplicate, {Quarantined} quarantined, {Refused} unreadable documents quarantined")]
    public static partial void EventBatchProcessed(this ILogger logger, int events, int accepted, int duplicate, int quarantined, int refused);
}
