using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Ledger;

/// <summary>Body of an adjustment (退补): the caller's idempotency key, the signed amount in fen (positive debit, negative credit) and why.</summary>
public sealed record AdjustmentRequestDto(string? EntryId, decimal? AmountFen, string? Reason);

/// <summary>How one entry moved one bill's open amounts, fen: positive settles, negative reopens.</summary>
public sealed record LedgerAllocationDto(string BillId, long LateFeeFen, long PrincipalFen);

/// <summary>One ledger entry. Amount: change to what the customer owes, fen (positive owed, negative credit); postedAt in China time (+08:00).</summary>
public sealed record LedgerEntryDto(
    long Sequence,
    string EntryId,
    LedgerEntryKind Kind,
    long AmountFen,
    DateTimeOffset PostedAt,
    string? BillId,
    DateOnly? IssuedOn,
    DateOnly? DueDate,
    DateOnly? LateFeeThrough,
    string? ReversesEntryId,
    IReadOnlyList<LedgerAllocationDto> Allocations,
    long CreditChangeFen,
    string? Text)
{
    public static LedgerEntryDto From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(
            entry.Sequence,
            entry.EntryId,
            entry.Kind,
            entry.Amount.Fen,
            entry.PostedAt.ToOffset(ChinaTime.Offset),
            entry.BillId,
            entry.IssuedOn,
            entry.DueDate,
            entry.LateFeeThrough,
            entry.ReversesEntryId,
            entry.Allocations.Select(a => new LedgerAllocationDto(a.BillId, a.LateFee.Fen, a.Principal.Fen)).ToList(),
            entry.CreditChange.Fen,
            entry.Text);
    }
}

/// <summary>A bill (or debit adjustment item) with something still open, fen.</summary>
public sealed record OpenBillDto(string BillId, DateOnly IssuedOn, DateOnly DueDate, long PrincipalFen, long PrincipalOpenFen, long LateFeeChargedFen, long LateFeeOpenFen, DateOnly? LateFeeAssessedThrough)
{
    public static OpenBillDto From(OpenBill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        return new(bill.BillId, bill.IssuedOn, bill.DueDate, bill.Principal.Fen, bill.PrincipalOpen.Fen, bill.LateFeeCharged.Fen, bill.LateFeeOpen.Fen, bill.LateFeeAssessedThrough);
    }
}

/// <summary>
/// An account statement for <see cref="From"/>–<see cref="To"/> (China-local days, both inclusive): opening balance, the
/// entries dated in it, closing balance; and the account as it is now: balance, credit and open bills. Money in fen,
/// positive owed, negative credit.
/// </summary>
public sealed record LedgerStatementDto(
    string AccountNo,
    DateOnly From,
    DateOnly To,
    long OpeningBalanceFen,
    IReadOnlyList<LedgerEntryDto> Entries,
    long ClosingBalanceFen,
    long BalanceFen,
    long CreditFen,
    IReadOnlyList<OpenBillDto> OpenBills);
