using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// A bill as the ledger sees it: what was charged and what is still open, principal and late fee apart, in fen.
/// A debit adjustment is kept the same way, under its entry id, issued and due on the day it was posted.
/// </summary>
/// <remarks>
/// Settled bills stay in the state (open amounts zero) so later reversals and late fees find them. A reversed charge
/// leaves the bill with <see cref="Principal"/> zero and <see cref="Reversed"/> set; its id cannot be charged again.
/// </remarks>
public sealed record OpenBill
{
    /// <summary>Creates a bill's ledger view.</summary>
    /// <exception cref="ArgumentException">The id is blank, the due date precedes the issue date, or an open amount is negative or above what was charged.</exception>
    public OpenBill(string billId, DateOnly issuedOn, DateOnly dueDate, Money principal, Money principalOpen, Money lateFeeCharged, Money lateFeeOpen, DateOnly? lateFeeAssessedThrough, bool reversed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(billId);
        if (dueDate < issuedOn)
        {
            throw new ArgumentException($"Bill {billId} is due {dueDate:yyyy-MM-dd}, before it was issued {issuedOn:yyyy-MM-dd}.", nameof(dueDate));
        }

        if (principalOpen.Fen < 0 || principalOpen > principal)
        {
            throw new ArgumentException($"Bill {billId}: open principal {principalOpen} outside 0–{principal}.", nameof(principalOpen));
        }

        if (lateFeeOpen.Fen < 0 || lateFeeOpen > lateFeeCharged)
        {
            throw new ArgumentException($"Bill {billId}: open late fee {lateFeeOpen} outside 0–{lateFeeCharged}.", nameof(lateFeeOpen));
        }

        BillId = billId;
        IssuedOn = issuedOn;
        DueDate = dueDate;
        Principal = principal;
        PrincipalOpen = principalOpen;
        LateFeeCharged = lateFeeCharged;
        LateFeeOpen = lateFeeOpen;
        LateFeeAssessedThrough = lateFeeAssessedThrough;
        Reversed = reversed;
    }

    /// <summary>The bill's id (for a debit adjustment, the adjustment's entry id).</summary>
    public string BillId { get; }

    /// <summary>China-local day the bill was issued; bills are settled oldest first by this day, then by <see cref="BillId"/> (ordinal).</summary>
    public DateOnly IssuedOn { get; }

    /// <summary>Last China-local day to pay without a late fee (inclusive).</summary>
    public DateOnly DueDate { get; }

    /// <summary>Principal charged, fen; zero once the charge is reversed.</summary>
    public Money Principal { get; }

    /// <summary>Principal still unpaid, fen; 0 ≤ open ≤ <see cref="Principal"/>.</summary>
    public Money PrincipalOpen { get; }

    /// <summary>Late fees assessed on the bill and not reversed, fen.</summary>
    public Money LateFeeCharged { get; }

    /// <summary>Late fees still unpaid, fen; 0 ≤ open ≤ <see cref="LateFeeCharged"/>.</summary>
    public Money LateFeeOpen { get; }

    /// <summary>
    /// The last day (inclusive) a late fee entry covered; the next assessment charges the days after it. Null before the first.
    /// A reversed late fee does not move it back: reversing waives those days.
    /// </summary>
    public DateOnly? LateFeeAssessedThrough { get; }

    /// <summary>True once the bill's charge has been reversed.</summary>
    public bool Reversed { get; }

    /// <summary><see cref="PrincipalOpen"/> + <see cref="LateFeeOpen"/>, fen.</summary>
    public Money OpenTotal => PrincipalOpen + LateFeeOpen;

    /// <summary>Principal paid so far, fen.</summary>
    public Money PrincipalPaid => Principal - PrincipalOpen;

    /// <summary>Late fee paid so far, fen.</summary>
    public Money LateFeePaid => LateFeeCharged - LateFeeOpen;

    internal OpenBill WithOpen(Money principalOpen, Money lateFeeOpen) =>
        new(BillId, IssuedOn, DueDate, Principal, principalOpen, LateFeeCharged, lateFeeOpen, LateFeeAssessedThrough, Reversed);

    internal OpenBill WithLateFee(Money fee, DateOnly through) =>
        new(BillId, IssuedOn, DueDate, Principal, PrincipalOpen, LateFeeCharged + fee, LateFeeOpen + fee, through, Reversed);

    internal OpenBill WithoutLateFee(Money fee, Money openRemoved) =>
        new(BillId, IssuedOn, DueDate, Principal, PrincipalOpen, LateFeeCharged - fee, LateFeeOpen - openRemoved, LateFeeAssessedThrough, Reversed);

    internal OpenBill Uncharged() =>
        new(BillId, IssuedOn, DueDate, Money.Zero, Money.Zero, LateFeeCharged, LateFeeOpen, LateFeeAssessedThrough, reversed: true);
}
