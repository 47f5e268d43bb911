using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Ledger;

namespace MeterToCash.Functions.Payments;

/// <summary>Whether an account may be paid: unknown to the archive, closed (销户) or open.</summary>
public enum AccountStanding
{
    /// <summary>The archive does not hold it (404 <c>account-not-found</c>).</summary>
    Unknown,

    /// <summary>Closed on or before today, China local (422 <c>account-closed</c>).</summary>
    Closed,

    /// <summary>Open: it takes payments.</summary>
    Open,
}

/// <summary>An account as channels see it: from the archive (masked name, payment mode, closing day) and the ledger (open bills, credit).</summary>
public sealed class ChannelAccounts(ArchiveStore archive, AccountLedger ledger, TimeProvider time)
{
    /// <summary>Bills listed as recent on a kiosk.</summary>
    public const int RecentBills = 6;

    /// <summary>Whether the account may be paid today (China local), from the archive.</summary>
    public async Task<AccountStanding> StandingAsync(string accountNo, CancellationToken ct) =>
        await archive.FindAsync(accountNo, ct) is not { } stored ? AccountStanding.Unknown
        : stored.Customer.IsClosedOn(ChinaTime.LocalDay(time.GetUtcNow())) ? AccountStanding.Closed
        : AccountStanding.Open;

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
            recent,
            stored.Customer.ClosedOn);
    }

    // A billing bill's period is its period's first month (bill id {account}-{yyyyMMdd}-r{nn}); other items' the month they were issued.
    static string Period(OpenBill bill) =>
        BillStore.TryParseBillId(bill.BillId, out _, out string rowKey) ? $"{rowKey[..4]}-{rowKey[4..6]}" : bill.IssuedOn.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
