using MeterToCash.Domain.Ledger;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ledger;

internal static partial class Logs
{
    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Ledger {AccountNo} #{Sequence} {EntryId} {Kind} {AmountFen} fen posted (attempt {Attempt})")]
    public static partial void EntryPosted(this ILogger logger, string accountNo, long sequence, string entryId, LedgerEntryKind kind, long amountFen, int attempt);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Ledger {AccountNo}: a posting lost to concurrent writers {Attempts} times; nothing posted")]
    public static partial void PostingContended(this ILogger logger, string accountNo, int attempts);

    [LoggerMessage(EventId = 803, Level = LogLevel.Information, Message = "Ledger {AccountNo}: adjustment {EntryId} of {AmountFen} fen {Outcome}")]
    public static partial void AdjustmentAnswered(this ILogger logger, string accountNo, string entryId, long amountFen, PostingOutcome outcome);
}
