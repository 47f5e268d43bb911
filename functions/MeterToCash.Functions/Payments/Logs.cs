using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Payments;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Channel request refused for channel {ChannelId}: {Code}")]
    public static partial void ChannelRefused(this ILogger logger, string channelId, string code);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Payment {ChannelId}/{Key} to {AccountNo}: {AmountFen} fen posted as ledger #{Sequence}")]
    public static partial void PaymentPosted(this ILogger logger, string channelId, string key, string accountNo, long amountFen, long sequence);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Payment {ChannelId}/{Key} to {AccountNo}: {AmountFen} fen reversed")]
    public static partial void PaymentReversed(this ILogger logger, string channelId, string key, string accountNo, long amountFen);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Payment {ChannelId}/{Key}: the same transaction id with a different payload refused")]
    public static partial void DuplicateDiffers(this ILogger logger, string channelId, string key);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Pending transaction {ChannelId}/{Key} finished after its request stopped")]
    public static partial void PendingCompleted(this ILogger logger, string channelId, string key);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Pending transaction {ChannelId}/{Key} withdrawn: its request stopped before the ledger entry")]
    public static partial void PendingWithdrawn(this ILogger logger, string channelId, string key);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "{ChannelId} closed {What}: {Count} payments, {AmountFen} fen; {ReversedCount} reversals, {ReversedFen} fen")]
    public static partial void DayClosed(this ILogger logger, string channelId, string what, int count, long amountFen, int reversedCount, long reversedFen);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Kiosk {DeviceId} registered or updated (enabled {Enabled})")]
    public static partial void KioskRegistered(this ILogger logger, string deviceId, bool enabled);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Information, Message = "Payment sweep: {Resolved} pending transactions resolved, {Purged} expired nonces purged")]
    public static partial void Swept(this ILogger logger, int resolved, int purged);
}
