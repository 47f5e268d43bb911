namespace MeterToCash.Domain.Ledger;

/// <summary>What a posting operation did.</summary>
public enum PostingOutcome
{
    /// <summary>A new entry was made; store it with the new state.</summary>
    Posted,

    /// <summary>The entry id was already posted with the same payload; the original entry is returned and nothing is stored.</summary>
    Replayed,

    /// <summary>The request is valid but there is nothing to post (a late fee of zero, a bill not overdue or fully paid).</summary>
    NothingToPost,

    /// <summary>The request was refused; see the refusal code.</summary>
    Refused,
}
