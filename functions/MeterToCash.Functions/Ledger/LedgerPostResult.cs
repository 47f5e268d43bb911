using MeterToCash.Domain.Ledger;

namespace MeterToCash.Functions.Ledger;

/// <summary>
/// What <see cref="AccountLedger"/> did with a posting: the domain's outcome as stored. <see cref="PostingOutcome.Posted"/>
/// means the entry is stored; <see cref="PostingOutcome.Replayed"/> that the entry id was already stored with the same
/// payload (the original entry is returned; this includes a retry whose earlier write had landed).
/// </summary>
public sealed class LedgerPostResult
{
    /// <summary>
    /// Refusal code of a posting that lost the race for the account <see cref="AccountLedger.MaxAttempts"/> times in a row:
    /// nothing was written, the request may be sent again.
    /// </summary>
    public const string Contended = "contended";

    public LedgerPostResult(PostingOutcome outcome, LedgerEntry? entry, LedgerState state, LedgerRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(state);
        if ((outcome == PostingOutcome.Refused) != (refusal is not null))
        {
            throw new ArgumentException("A refused result, and only a refused one, carries a refusal.", nameof(refusal));
        }

        if ((outcome is PostingOutcome.Posted or PostingOutcome.Replayed) != (entry is not null))
        {
            throw new ArgumentException("A posted or replayed result, and only such a result, carries an entry.", nameof(entry));
        }

        Outcome = outcome;
        Entry = entry;
        State = state;
        Refusal = refusal;
    }

    /// <summary>What was done.</summary>
    public PostingOutcome Outcome { get; }

    /// <summary>The stored entry (posted now, or the original one when replayed); null otherwise.</summary>
    public LedgerEntry? Entry { get; }

    /// <summary>The account's state after the posting (as read when nothing was stored).</summary>
    public LedgerState State { get; }

    /// <summary>Why nothing was stored: a <see cref="LedgerRefusal"/> code or <see cref="Contended"/>; null unless refused.</summary>
    public LedgerRefusal? Refusal { get; }

    /// <summary>The domain's answer as a result (for <see cref="PostingOutcome.Posted"/>, once it is stored).</summary>
    public static LedgerPostResult From(PostingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Outcome, result.Entry, result.State, result.Refusal);
    }

    /// <summary>A refusal decided outside the domain's posting operations.</summary>
    public static LedgerPostResult Refused(LedgerState state, string code, string message) =>
        new(PostingOutcome.Refused, null, state, new LedgerRefusal(code, message));
}
