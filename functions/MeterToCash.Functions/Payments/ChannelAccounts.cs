using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Ledger;

namespace MeterToCash.Functions.Payments;

/// <summary>An account as channels see it: from the archive (masked name, payment mode) and the ledger (open bills, credit).</summary>
public sealed class ChannelAccounts(ArchiveStore archive, AccountLedger ledger)
{
    /// <summary>Bills listed as recent on a kiosk.</summary>
    public const int RecentBills = 6;

    /// <summary>Whether the account is in the archive.</summary>
    public async Task<bool> ExistsAsync(string accountNo, CancellationToken ct) => await archive.FindAsync(accountNo, ct) is not null;

    /// <summary>The account that holds a meter now, or null.</summary>
    public Task<string?> OwnerOfMeterAsync(string meterNo, CancellationToken ct) => archive.MeterOwnerAsync(meterNo, ct);

    /// <summary>The account's channel view, or null when it is not in the archive; with the last 6 bills when <paramref name="withRecentBills"/>.</summary>
    public async Task<AccountAnswer?> QueryAsync(string accountNo, bool withRecentBills, CancellationToken ct)
    {
        StoredCustomer? stored = await archive.FindAsync(accountNo, ct);
        if (stored is null)
        {
            return null;
        }

        LedgerState state = await ledger.StateAsync(accountNo, ct);
        List<ArrearsAnswer> arrears = [.. state.Bills.Where(b => b.OpenTotal.Fen > 0)
            .Select(b => new ArrearsAnswer(b.BillId, Period(b), b.PrincipalOpen.Fen, b.LateFeeOpen.Fen, b.DueDate))];
        List<RecentBillAnswer>? recent = withRecentBills
            ? [.. state.Bills.Where(b => b.Principal.Fen > 0 || b.Reversed).TakeLast(RecentBills)
                .Select(b => new RecentBillAnswer(b.BillId, Period(b), b.Principal.Fen + b.LateFeeCharged.Fen, b.Reversed ? "Reversed" : b.OpenTotal.Fen > 0 ? "Open" : "Paid"))]
            : null;
        return new AccountAnswer(
            accountNo,
            NameMask.Mask(stored.Customer.Name),
            stored.Customer.PaymentMode.ToString(),
            arrears,
            state.OpenTotal.Fen,
            state.Credit.Fen,
            state.OpenTotal.Fen,
            recent);
    }

    // A billing bill's period is its period's first month (bill id {account}-{yyyyMMdd}-r{nn}); other items' the month they were issued.
    static string Period(OpenBill bill) =>
        BillStore.TryParseBillId(bill.BillId, out _, out string rowKey) ? $"{rowKey[..4]}-{rowKey[4..6]}" : bill.IssuedOn.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
