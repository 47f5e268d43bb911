namespace MeterToCash.Domain.Ledger;

/// <summary>Why a posting was refused: a stable kebab-case <see cref="Code"/> for callers to switch on, and a message for a person.</summary>
/// <param name="Code">One of the constants of this type.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record LedgerRefusal(string Code, string Message)
{
    /// <summary>The amount is not whole fen in (0, 10,000,000.00 yuan], or zero for an adjustment.</summary>
    public const string AmountInvalid = "amount-invalid";

    /// <summary>The entry id (idempotency key) is empty or blank.</summary>
    public const string EntryIdInvalid = "entry-id-invalid";

    /// <summary>The bill id is empty or blank.</summary>
    public const string BillIdInvalid = "bill-id-invalid";

    /// <summary>The due date is before the issue date.</summary>
    public const string DatesInvalid = "dates-invalid";

    /// <summary>An adjustment without a reason.</summary>
    public const string ReasonRequired = "reason-required";

    /// <summary>The entry id is already posted with a different payload.</summary>
    public const string DuplicateDiffers = "duplicate-differs";

    /// <summary>A charge for a bill id (or an adjustment whose item id) the account already has.</summary>
    public const string BillExists = "bill-exists";

    /// <summary>No bill with that id on the account.</summary>
    public const string UnknownBill = "unknown-bill";

    /// <summary>No entry with that id on the account.</summary>
    public const string UnknownEntry = "unknown-entry";

    /// <summary>The entry is already reversed by another reversal entry.</summary>
    public const string AlreadyReversed = "already-reversed";

    /// <summary>The entry is itself a reversal; a reversal cannot be reversed (post the original again under a new id).</summary>
    public const string NotReversible = "not-reversible";

    /// <summary>A charge (or debit adjustment) whose bill still has late fees; reverse the late fees first.</summary>
    public const string BillHasLateFees = "bill-has-late-fees";

    /// <inheritdoc />
    public override string ToString() => $"{Message} ({Code})";
}
