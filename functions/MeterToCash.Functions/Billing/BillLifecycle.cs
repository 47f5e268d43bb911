using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Ledger;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Billing;

/// <summary>
/// What happens to a bill after it is made: an issued bill is charged to the account's ledger (entry
/// <c>charge:{billId}</c>), a held one waits for a reviewer, a cancelled one is never charged or has its charge
/// reversed (entry <c>reverse:{billId}</c>), and a rebill issues the next revision. Each step is idempotent on its ledger
/// entry id and on the bill's status (changed once, under its ETag), so running any of them again changes nothing.
/// </summary>
public sealed class BillLifecycle(
    BillStore bills,
    AccountLedger ledger,
    AccountBiller biller,
    ArchiveStore archive,
    TimeProvider time,
    ILogger<BillLifecycle> logger)
{
    /// <summary>The ledger entry id of a bill's charge.</summary>
    public static string ChargeEntryId(string billId) => "charge:" + billId;

    /// <summary>The ledger entry id of the reversal of a bill's charge.</summary>
    public static string ReversalEntryId(string billId) => "reverse:" + billId;

    /// <summary>Brings a freshly made (or found again) bill to its settled state: issued bills charged, and recorded in the cycle.</summary>
    public async Task<BillEntry> SettleAsync(BillEntry entry, CancellationToken cancellationToken)
    {
        await SettleAsync([entry], 1, cancellationToken);
        return entry;
    }

    /// <summary>
    /// Settles bills made together (a cycle's batch): the issued ones that owe something indexed under their due dates
    /// (<see cref="BillStore.IndexDueAsync"/>, one request per due date), then each charged (up to
    /// <paramref name="parallelism"/> at a time, the ledgers read together: <see cref="AccountLedger.ChargeManyAsync"/>), then every bill recorded in its cycle (one request per 100). The order
    /// keeps the invariants a crash between any two steps needs: a charged bill is always in the late-fee run's index (an
    /// index row whose charge is not posted yet is posted by the retry and skipped by the run until then), and a bill
    /// recorded in its cycle as issued is charged.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<BillEntry> entries, int parallelism, CancellationToken cancellationToken)
    {
        StoredBill[] toCharge = [.. entries.Where(e => e.Status == BillStatus.Issued && e.Bill.TotalFen > 0).Select(e => e.Bill)];
        await bills.IndexDueAsync(toCharge, cancellationToken);
        LedgerPostResult[] charged = await ledger.ChargeManyAsync([.. toCharge.Select(ChargeOf)], parallelism, cancellationToken);
        for (int i = 0; i < toCharge.Length; i++)
        {
            Posted(charged[i], toCharge[i].BillId);
        }

        foreach (IGrouping<string, BillEntry> cycle in entries.GroupBy(e => e.Bill.CycleId, StringComparer.Ordinal))
        {
            await bills.RecordInCycleAsync(cycle.Select(CycleRecord), cycle.Key, cancellationToken);
        }
    }

    static CycleBill CycleRecord(BillEntry entry) => new(entry.Bill.AccountNo, entry.Bill.BillId, entry.Status, entry.Bill.TotalFen, entry.Bill.Reasons);

    /// <summary>Applies a reviewer's decision to a held bill; a bill no longer held is left as it is.</summary>
    public async Task<ReviewOutcome> ReviewAsync(BillReview review, CancellationToken cancellationToken)
    {
        if (await bills.FindAsync(review.BillId, cancellationToken) is not { } entry)
        {
            return new ReviewOutcome(review.BillId, false, BillStatus.Cancelled);
        }

        BillStatus target = review.Action == BillReviewAction.Release ? BillStatus.Issued : BillStatus.Cancelled;
        (bool changed, BillEntry after) = await bills.SetStatusAsync(entry, BillStatus.Held, target, review.By, time.GetUtcNow(), cancellationToken);
        await SettleAsync(after, cancellationToken);
        if (changed)
        {
            logger.BillReviewed(after.Bill.BillId, target, review.By);
        }

        return new ReviewOutcome(after.Bill.BillId, changed, after.Status);
    }

    /// <summary>
    /// Cancels an account's bill (reversing its charge if it was issued) and bills the period again as the next revision,
    /// from the data stored now. Answers the cancelled and the new bill; a bill already cancelled is rebilled only if no
    /// later revision exists.
    /// </summary>
    public async Task<(BillEntry Cancelled, BillEntry Rebilled)> RebillAsync(BillEntry entry, string by, CancellationToken cancellationToken)
    {
        BillEntry cancelled = await CancelAsync(entry, by, cancellationToken);
        IReadOnlyList<BillEntry> revisions = [.. (await bills.ListAsync(entry.Bill.AccountNo, cancellationToken)).Where(b => b.Bill.PeriodStart == entry.Bill.PeriodStart)];
        if (revisions.FirstOrDefault(b => b.Bill.Replaces == entry.Bill.BillId) is { } existing)
        {
            return (cancelled, await SettleAsync(existing, cancellationToken));
        }

        StoredCustomer customer = await archive.FindAsync(entry.Bill.AccountNo, cancellationToken)
            ?? throw new InvalidOperationException($"Account {entry.Bill.AccountNo} is not in the archive.");
        BillEntry rebilled = await biller.RebillAsync(customer.Customer, cancelled, cancellationToken);
        return (cancelled, await SettleAsync(rebilled, cancellationToken));
    }

    /// <summary>Cancels a held or issued bill; a cancelled bill always ends with its charge reversed if one was ever posted (a retry after a crash completes it).</summary>
    async Task<BillEntry> CancelAsync(BillEntry entry, string by, CancellationToken cancellationToken)
    {
        BillEntry after = entry;
        if (entry.Status != BillStatus.Cancelled)
        {
            (_, after) = await bills.SetStatusAsync(entry, entry.Status, BillStatus.Cancelled, by, time.GetUtcNow(), cancellationToken);
        }

        if (after.Status == BillStatus.Cancelled)
        {
            await ReverseChargeAsync(after.Bill, cancellationToken);
        }

        await bills.RecordInCycleAsync([CycleRecord(after)], after.Bill.CycleId, cancellationToken);
        return after;
    }

    /// <summary>A bill's charge: its principal, dates and statement text, under the entry id <see cref="ChargeEntryId"/>.</summary>
    static LedgerCharge ChargeOf(StoredBill bill) => new(
        bill.AccountNo,
        bill.BillId,
        new Money(bill.TotalFen),
        bill.IssuedOn,
        bill.DueDate,
        ChargeEntryId(bill.BillId),
        string.Create(CultureInfo.InvariantCulture, $"电费 {bill.PeriodStart:yyyy-MM-dd}–{bill.PeriodEnd.AddDays(-1):yyyy-MM-dd} (bill {bill.BillId})"));

    /// <summary>Reverses the bill's charge once, if it was ever posted (a held bill never was).</summary>
    async Task ReverseChargeAsync(StoredBill bill, CancellationToken cancellationToken)
    {
        LedgerState state = await ledger.StateAsync(bill.AccountNo, cancellationToken);
        if (!state.TryFind(ChargeEntryId(bill.BillId), out _))
        {
            return;
        }

        Posted(await ledger.ReverseAsync(bill.AccountNo, ChargeEntryId(bill.BillId), ReversalEntryId(bill.BillId), $"冲销 bill {bill.BillId}", cancellationToken), bill.BillId);
    }

    /// <summary>
    /// A charge or reversal of a bill is never refused by a sound ledger (a repeat comes back as a replay: the ledger
    /// matches it on the payload, keeping the first posting's time): a refusal is a fault to surface, and contention is
    /// transient; either fails the activity, which is retried.
    /// </summary>
    static void Posted(LedgerPostResult result, string billId)
    {
        if (result.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"The ledger refused posting bill {billId}: {refusal}.");
        }
    }
}
