namespace MeterToCash.Domain.Ledger;

/// <summary>
/// The answer of a posting operation: the outcome, the entry concerned and the account's state afterwards.
/// </summary>
public sealed class PostingResult
{
    private PostingResult(PostingOutcome outcome, LedgerEntry? entry, LedgerState state, LedgerRefusal? refusal)
    {
        Outcome = outcome;
        Entry = entry;
        State = state;
        Refusal = refusal;
    }

    /// <summary>What the operation did.</summary>
    public PostingOutcome Outcome { get; }

    /// <summary>
    /// The new entry (<see cref="PostingOutcome.Posted"/>: the one to store) or the original one
    /// (<see cref="PostingOutcome.Replayed"/>: answer the caller from it); null otherwise.
    /// </summary>
    public LedgerEntry? Entry { get; }

    /// <summary>The state after the operation; the unchanged input state unless <see cref="PostingOutcome.Posted"/>.</summary>
    public LedgerState State { get; }

    /// <summary>Why the operation was refused; null unless <see cref="PostingOutcome.Refused"/>.</summary>
    public LedgerRefusal? Refusal { get; }

    internal static PostingResult Posted(LedgerEntry entry, LedgerState before) => new(PostingOutcome.Posted, entry, before.Apply(entry), null);

    internal static PostingResult Replayed(LedgerEntry original, LedgerState state) => new(PostingOutcome.Replayed, original, state, null);

    internal static PostingResult Nothing(LedgerState state) => new(PostingOutcome.NothingToPost, null, state, null);

    internal static PostingResult Refused(LedgerState state, string code, string message) => new(PostingOutcome.Refused, null, state, new LedgerRefusal(code, message));
}
