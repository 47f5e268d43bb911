using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// One immutable line of an account's ledger. The ledger is the list of entries in <see cref="Sequence"/> order; the
/// account's state (<see cref="LedgerState"/>) is their fold.
/// </summary>
/// <remarks>
/// <para>
/// Sign convention: <see cref="Amount"/> is the change to what the customer owes, in fen. Charges, late fees and debit
/// adjustments are positive; payments and credit adjustments are negative; a reversal is the exact negation of the entry
/// it reverses. The account's balance is the sum of all amounts (positive = owed, negative = credit or prepaid balance).
/// </para>
/// <para>
/// An entry carries everything needed to replay it: the bill it opens (with its dates), the allocations it made to bills
/// and the change of credit. Replaying never recomputes an allocation, so a rule change cannot rewrite history.
/// Identity: <see cref="Amount"/> = (change of all bills' open amounts) − <see cref="CreditChange"/>, checked on apply.
/// </para>
/// <para>The shape is checked here; whether the entry fits the account (sequence, bills, reversals) is checked by <see cref="LedgerState.Apply"/>.</para>
/// </remarks>
public sealed class LedgerEntry
{
    /// <summary>Creates an entry (a posting operation does this; a storage layer does it to rebuild stored entries).</summary>
    /// <param name="sequence">Position in the account's ledger, 1-based, gapless.</param>
    /// <param name="entryId">Caller-supplied idempotency key, unique per account, e.g. <c>pay:{channel}:{channelTxnId}</c>.</param>
    /// <param name="kind">What the entry records.</param>
    /// <param name="amount">Change to what the customer owes, fen (see the sign convention).</param>
    /// <param name="postedAt">When the money moved (a payment's paid-at; a charge's posting time).</param>
    /// <param name="billId">Charge: the bill opened. Late fee: the bill charged. Debit adjustment: the item it opens (its entry id by convention). Otherwise null.</param>
    /// <param name="issuedOn">Charge and debit adjustment: the bill's issue day (China local). Otherwise null.</param>
    /// <param name="dueDate">Charge and debit adjustment: the bill's due date, inclusive. Otherwise null.</param>
    /// <param name="lateFeeThrough">Late fee: the last day (inclusive) the fee covers. Otherwise null.</param>
    /// <param name="reversesEntryId">Reversal: the entry undone. Otherwise null.</param>
    /// <param name="allocations">Per bill, what the entry settled (positive) or reopened (negative), fen.</param>
    /// <param name="creditChange">Change of the account's unallocated credit, fen: a payment's remainder is positive, credit used up by a charge negative.</param>
    /// <param name="text">Text for statements; may be null.</param>
    /// <exception cref="ArgumentException">The entry is malformed for its kind.</exception>
    public LedgerEntry(
        long sequence,
        string entryId,
        LedgerEntryKind kind,
        Money amount,
        DateTimeOffset postedAt,
        string? billId = null,
        DateOnly? issuedOn = null,
        DateOnly? dueDate = null,
        DateOnly? lateFeeThrough = null,
        string? reversesEntryId = null,
        IEnumerable<LedgerAllocation>? allocations = null,
        Money creditChange = default,
        string? text = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(entryId);
        LedgerAllocation[] allocated = allocations is null ? [] : [.. allocations];
        foreach (LedgerAllocation a in allocated)
        {
            ArgumentNullException.ThrowIfNull(a, nameof(allocations));
        }

        bool opensBill = kind == LedgerEntryKind.Charge || (kind == LedgerEntryKind.Adjustment && amount.Fen > 0);
        string? problem = kind switch
        {
            _ when !Enum.IsDefined(kind) => $"unknown kind {kind}",
            LedgerEntryKind.Charge or LedgerEntryKind.LateFee when amount.Fen <= 0 => $"a {kind} amount must be positive",
            LedgerEntryKind.Payment when amount.Fen >= 0 => "a payment amount must be negative",
            LedgerEntryKind.Adjustment or LedgerEntryKind.Reversal when amount.Fen == 0 => $"a {kind} amount must not be zero",
            _ when opensBill && (string.IsNullOrWhiteSpace(billId) || issuedOn is null || dueDate is null) => $"a {kind} opening a bill needs its bill id, issue day and due date",
            _ when opensBill && dueDate < issuedOn => "the due date precedes the issue date",
            _ when !opensBill && (issuedOn is not null || dueDate is not null) => $"a {kind} carries no bill dates",
            LedgerEntryKind.LateFee when string.IsNullOrWhiteSpace(billId) || lateFeeThrough is null => "a late fee needs its bill id and the day it runs through",
            not LedgerEntryKind.LateFee when lateFeeThrough is not null => $"a {kind} carries no late-fee day",
            LedgerEntryKind.Payment or LedgerEntryKind.Reversal when billId is not null => $"a {kind} names no bill (its allocations do)",
            LedgerEntryKind.Adjustment when amount.Fen < 0 && billId is not null => "a credit adjustment names no bill (its allocations do)",
            LedgerEntryKind.Reversal when string.IsNullOrWhiteSpace(reversesEntryId) => "a reversal needs the id of the entry it reverses",
            not LedgerEntryKind.Reversal when reversesEntryId is not null => $"a {kind} reverses nothing",
            LedgerEntryKind.Payment when creditChange.Fen < 0 || allocated.Any(a => a.Total.Fen < 0) => "a payment only settles: allocations and credit change are not negative",
            _ when opensBill && (creditChange.Fen > 0 || allocated.Any(a => a.Total.Fen < 0)) => $"a {kind} only settles from credit",
            _ when allocated.GroupBy(a => a.BillId, StringComparer.Ordinal).Any(g => g.Count() > 1) => "one allocation per bill",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"Ledger entry {entryId}: {problem}.", nameof(kind));
        }

        Sequence = sequence;
        EntryId = entryId;
        Kind = kind;
        Amount = amount;
        PostedAt = postedAt;
        BillId = billId;
        IssuedOn = issuedOn;
        DueDate = dueDate;
        LateFeeThrough = lateFeeThrough;
        ReversesEntryId = reversesEntryId;
        Allocations = allocated;
        CreditChange = creditChange;
        Text = text;
    }

    /// <summary>Position in the account's ledger, 1-based, gapless.</summary>
    public long Sequence { get; }

    /// <summary>The caller's idempotency key, unique per account.</summary>
    public string EntryId { get; }

    /// <summary>What the entry records.</summary>
    public LedgerEntryKind Kind { get; }

    /// <summary>Change to what the customer owes, fen: positive for charges, late fees and debit adjustments; negative for payments and credit adjustments; a reversal negates its original.</summary>
    public Money Amount { get; }

    /// <summary>When the money moved; statements date entries by its China-local day.</summary>
    public DateTimeOffset PostedAt { get; }

    /// <summary>The bill opened (charge, debit adjustment) or charged (late fee); null otherwise.</summary>
    public string? BillId { get; }

    /// <summary>Issue day of the bill opened (charge, debit adjustment); null otherwise.</summary>
    public DateOnly? IssuedOn { get; }

    /// <summary>Due date (inclusive) of the bill opened (charge, debit adjustment); null otherwise.</summary>
    public DateOnly? DueDate { get; }

    /// <summary>For a late fee, the last day (inclusive) it covers; null otherwise.</summary>
    public DateOnly? LateFeeThrough { get; }

    /// <summary>For a reversal, the id of the entry undone; null otherwise.</summary>
    public string? ReversesEntryId { get; }

    /// <summary>Per bill, what the entry settled (positive) or reopened (negative), in allocation order.</summary>
    public IReadOnlyList<LedgerAllocation> Allocations { get; }

    /// <summary>Change of the account's unallocated credit, fen; for a payment, the remainder left as credit (postpaid) or balance (prepaid).</summary>
    public Money CreditChange { get; }

    /// <summary>Text for statements; may be null.</summary>
    public string? Text { get; }

    /// <summary>True for entries that raise what is owed by opening or adding to a bill: charges, late fees, debit adjustments.</summary>
    public bool IsDebit => Kind is LedgerEntryKind.Charge or LedgerEntryKind.LateFee || (Kind == LedgerEntryKind.Adjustment && Amount.Fen > 0);

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {EntryId} {Kind} {Amount}";
}
