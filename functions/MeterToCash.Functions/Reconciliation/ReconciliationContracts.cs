using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>Where a channel day's reconciliation stands.</summary>
public static class ReconDayStatus
{
    /// <summary>A file is in; the channel date is not closed yet.</summary>
    public const string AwaitingDayClose = "AwaitingDayClose";

    /// <summary>The file and the closed day are in; the match is running.</summary>
    public const string Matching = "Matching";

    /// <summary>Matched; differences wait for decisions.</summary>
    public const string AwaitingDecisions = "AwaitingDecisions";

    /// <summary>Matched and every difference decided: the day is reconciled (closed).</summary>
    public const string Reconciled = "Reconciled";
}

/// <summary>An operator's decision on a difference (kebab-case on the wire).</summary>
public enum ReconAction
{
    /// <summary><c>post</c>: post the bank's payment we never posted (bank-long, 长款) through the ledger's payment posting.</summary>
    Post,

    /// <summary><c>reverse</c>: reverse our payment the bank never took (bank-short, 短款) in the ledger.</summary>
    Reverse,

    /// <summary><c>write-off</c>: accept the difference; no customer ledger entry.</summary>
    WriteOff,

    /// <summary><c>explain</c>: the difference is explained (e.g. a timing difference); no ledger entry.</summary>
    Explain,
}

/// <summary>The wire names of <see cref="ReconAction"/>.</summary>
public static class ReconActions
{
    public static string Name(ReconAction action) => action switch
    {
        ReconAction.Post => "post",
        ReconAction.Reverse => "reverse",
        ReconAction.WriteOff => "write-off",
        _ => "explain",
    };

    public static bool TryParse(string? text, out ReconAction action)
    {
        (bool ok, action) = text switch
        {
            "post" => (true, ReconAction.Post),
            "reverse" => (true, ReconAction.Reverse),
            "write-off" => (true, ReconAction.WriteOff),
            "explain" => (true, ReconAction.Explain),
            _ => (false, ReconAction.Explain),
        };
        return ok;
    }

    /// <summary>Whether <paramref name="action"/> may decide a difference of <paramref name="class"/>: post only a bank-long with the bank's line, reverse only a bank-short payment; write-off and explain any difference.</summary>
    public static bool Allowed(ReconAction action, ReconItemRecord item) => action switch
    {
        ReconAction.Post => item.Class == ReconClass.BankLong && item.BankRef is not null && item.BankType == ReconTxnType.Pay,
        ReconAction.Reverse => item.Class == ReconClass.BankShort && item.JournalEntryId is not null && item.JournalType == ReconTxnType.Pay,
        _ => item.Class != ReconClass.Matched,
    };
}

/// <summary>
/// One classified transaction as stored and reported. <see cref="ItemId"/> is stable across reruns and file versions:
/// <c>j-P-{channelTxnId}</c> / <c>j-R-{channelTxnId}</c> for an item with our journal entry, <c>b-{bankRef}-{n}</c> for
/// one with the bank's line only (n counts the same bankRef among them, in the matcher's order).
/// </summary>
public sealed record ReconItemRecord(
    string ItemId,
    ReconClass Class,
    string? BankRef,
    string? BankChannelTxnId,
    string? BankAccountNo,
    long? BankAmountFen,
    ReconTxnType? BankType,
    DateTimeOffset? BankPaidAt,
    string? Location,
    string? JournalEntryId,
    string? JournalChannelTxnId,
    string? JournalAccountNo,
    long? JournalAmountFen,
    ReconTxnType? JournalType,
    DateTimeOffset? JournalPaidAt)
{
    /// <summary>The bank's cash in fen (payment +, reversal −), 0 without the bank's line.</summary>
    public long BankFen => BankAmountFen is { } fen ? (BankType == ReconTxnType.Rev ? -fen : fen) : 0;

    /// <summary>Our cash in fen (payment +, reversal −), 0 without our entry.</summary>
    public long JournalFen => JournalAmountFen is { } fen ? (JournalType == ReconTxnType.Rev ? -fen : fen) : 0;

    public static ReconItemRecord From(string itemId, ReconItem item) => new(
        itemId,
        item.Class,
        item.Bank?.BankRef,
        item.Bank?.ChannelTxnId,
        item.Bank?.AccountNo,
        item.Bank?.AmountFen,
        item.Bank?.Type,
        item.Bank?.PaidAt,
        item.Bank?.Location,
        item.Journal?.EntryId,
        item.Journal?.ChannelTxnId,
        item.Journal?.AccountNo,
        item.Journal?.AmountFen,
        item.Journal?.Type,
        item.Journal?.PaidAt);
}

/// <summary>A decision as stored: what, by whom, and what it posted.</summary>
/// <param name="Status"><c>Recorded</c> (accepted, not yet applied), <c>Applied</c>, or <c>Failed</c> (the ledger refused; the difference is open again).</param>
public sealed record ReconDecisionRecord(
    string ItemId,
    ReconAction Action,
    string Operator,
    string? Note,
    ReconClass Class,
    string? AccountNo,
    long? AmountFen,
    DateTimeOffset? PaidAt,
    string? ReverseEntryId,
    string? BankRef,
    string? ChannelTxnId,
    DateTimeOffset DecidedAt,
    string FileId,
    string Status,
    string? LedgerEntryId,
    long? LedgerSequence,
    string? Failure)
{
    public const string Recorded = "Recorded", Applied = "Applied", Failed = "Failed";

    /// <summary>Whether the decision closes its difference (a failed one does not).</summary>
    public bool Closes => Status != Failed;
}

/// <summary>A decision as the API takes it: <c>{"action":"post","operator":"王会计","note":"…","accountNo":"…"}</c>.</summary>
/// <param name="AccountNo">For <c>post</c> only: the account to post to when the bank's line names an account we do not have; default the bank's.</param>
public sealed record ReconDecisionRequest(string? Action, string? Operator, string? Note, string? AccountNo);

/// <summary>A channel day as stored in its row of <c>ReconDays</c>.</summary>
public sealed record ReconDayRecord(
    string ChannelId,
    DateOnly ChannelDate,
    string Status,
    string? FileId,
    int Version,
    string? Format,
    bool Pending,
    string? RunFileId,
    IReadOnlyList<ReconClassTotal> Totals,
    int OpenCount,
    int LineErrorCount,
    DateTimeOffset? MatchedAt,
    DateTimeOffset? ReconciledAt)
{
    public long ClassBankFen(ReconClass c) => Totals.FirstOrDefault(t => t.Class == c)?.BankFen ?? 0;

    public long ClassJournalFen(ReconClass c) => Totals.FirstOrDefault(t => t.Class == c)?.JournalFen ?? 0;
}

/// <summary>The small state of a run that the orchestration carries: which file it matched and how many differences are open.</summary>
public sealed record ReconRunState(string FileId, int Items, int Differences, int Open, int LedgerMissing);

/// <summary>The orchestration's input: the channel day and until when differences may stay open before the overdue alarm.</summary>
public sealed record ReconRunInput(string ChannelId, DateOnly ChannelDate, DateTimeOffset DecideBy);

/// <summary>A channel day, as activity input.</summary>
public sealed record ReconDayRef(string ChannelId, DateOnly ChannelDate);

/// <summary>What wakes a waiting reconciliation (external event <c>ReconSignal</c>): a decision was recorded, or a file came that supersedes the one matched.</summary>
public sealed record ReconSignal(string Kind, string? Detail)
{
    public const string Decision = "decision", Rerun = "rerun";
}

/// <summary>A file taken in: its id, channel day and version, whether it was new, and its line errors.</summary>
public sealed record ReconFileAccepted(
    string FileId,
    string ChannelId,
    DateOnly ChannelDate,
    string Format,
    int Version,
    bool Known,
    string? Supersedes,
    int Lines,
    int LineErrorCount,
    IReadOnlyList<ReconLineError> LineErrors,
    string Status,
    string Report);

/// <summary>One row of the summary across channels.</summary>
public sealed record ReconSummaryRow(string ChannelId, DateOnly ChannelDate, string Status, int MatchedCount, long MatchedFen, int BankLongCount, long BankLongFen, int BankShortCount, long BankShortFen, int Differences, int Open);

/// <summary>The summary across channels for a date range (<c>GET /api/reconciliation/summary</c>).</summary>
public sealed record ReconSummary(DateOnly From, DateOnly To, long MatchedFen, long BankLongFen, long BankShortFen, int Open, int DaysReconciled, int DaysOpen, IReadOnlyList<ReconSummaryRow> Days);
