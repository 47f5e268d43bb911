using MeterToCash.Domain.Common;

namespace MeterToCash.Functions.Ledger;

/// <summary>A bill's principal to charge (<see cref="AccountLedger.ChargeManyAsync"/>): what <see cref="AccountLedger.ChargeAsync"/> takes, as one value.</summary>
/// <param name="AccountNo">The account charged.</param>
/// <param name="BillId">The bill the charge is for.</param>
/// <param name="Amount">The principal (fen).</param>
/// <param name="IssuedOn">The bill's issue day (China-local).</param>
/// <param name="DueDate">The last day to pay without a late fee (China-local, inclusive).</param>
/// <param name="EntryId">The entry's idempotency id.</param>
/// <param name="Text">The statement text, or null.</param>
public sealed record LedgerCharge(string AccountNo, string BillId, Money Amount, DateOnly IssuedOn, DateOnly DueDate, string EntryId, string? Text);
