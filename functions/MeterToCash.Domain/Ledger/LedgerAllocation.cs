using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// How one entry changed one bill's open amounts, in fen. Positive amounts settle (reduce what is open), negative amounts
/// reopen (a reversal giving back what a payment settled).
/// </summary>
/// <remarks>
/// Payments carry only settling allocations. One allocation never settles one part of a bill while reopening the other:
/// <see cref="LateFee"/> and <see cref="Principal"/> are never of opposite signs, and never both zero.
/// </remarks>
public sealed record LedgerAllocation
{
    /// <summary>Creates an allocation.</summary>
    /// <param name="billId">The bill (or debit adjustment item) affected.</param>
    /// <param name="lateFee">Change settled on the bill's open late fee, fen; negative reopens.</param>
    /// <param name="principal">Change settled on the bill's open principal, fen; negative reopens.</param>
    /// <exception cref="ArgumentException">The bill id is empty, both amounts are zero, or their signs differ.</exception>
    public LedgerAllocation(string billId, Money lateFee, Money principal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(billId);
        if (lateFee == Money.Zero && principal == Money.Zero)
        {
            throw new ArgumentException($"An allocation to {billId} must move some amount.", nameof(principal));
        }

        if ((lateFee.Fen > 0 && principal.Fen < 0) || (lateFee.Fen < 0 && principal.Fen > 0))
        {
            throw new ArgumentException($"An allocation to {billId} either settles or reopens, not both (late fee {lateFee}, principal {principal}).", nameof(principal));
        }

        BillId = billId;
        LateFee = lateFee;
        Principal = principal;
    }

    /// <summary>The bill (or debit adjustment item) affected.</summary>
    public string BillId { get; }

    /// <summary>Settled on the bill's late fee, fen; negative when reopened.</summary>
    public Money LateFee { get; }

    /// <summary>Settled on the bill's principal, fen; negative when reopened.</summary>
    public Money Principal { get; }

    /// <summary><see cref="LateFee"/> + <see cref="Principal"/>.</summary>
    public Money Total => LateFee + Principal;
}
