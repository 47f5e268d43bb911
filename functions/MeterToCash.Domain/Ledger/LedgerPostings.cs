using System.Globalization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// The operations that post to an account's ledger. Each is a pure function of the state and the request: it answers
/// with at most one new entry and the state after it (<see cref="PostingOutcome.Posted"/>), the original entry when the
/// entry id is already posted with the same payload (<see cref="PostingOutcome.Replayed"/>), nothing to post, or a
/// refusal with a stable code.
/// </summary>
/// <remarks>
/// <para>
/// Allocation: money is applied to bills oldest first (issue day, then bill id, ordinal), each bill's open late fee
/// before its open principal; what is left is credit (postpaid) or prepaid balance. Credit is applied the same way to
/// anything opened later (a charge, a late fee, a debit adjustment), so credit and open amounts never coexist.
/// </para>
/// <para>
/// Idempotency: every request carries an entry id. The same id again answers <see cref="PostingOutcome.Replayed"/> with the
/// original entry when the payload matches and refuses <see cref="LedgerRefusal.DuplicateDiffers"/> otherwise. The
/// payload is what the caller chose: kind, amount, bill and its dates, the paid-at instant, the entry reversed; the
/// descriptive text is not compared. A reversal's payload is only the entry it reverses, so repeating it answers the same.
/// </para>
/// </remarks>
public static class LedgerPostings
{
    /// <summary>The largest amount one request may carry: 10,000,000.00 yuan (inclusive).</summary>
    public static readonly Money MaxAmount = new(1_000_000_000);

    /// <summary>
    /// Charges a bill's principal, opening the bill. Credit on the account is applied to it at once.
    /// </summary>
    /// <param name="state">The account before.</param>
    /// <param name="billId">The bill's id; new on the account.</param>
    /// <param name="amount">Principal, fen, in (0, <see cref="MaxAmount"/>].</param>
    /// <param name="issuedOn">China-local issue day: the bill's place in the oldest-first order.</param>
    /// <param name="dueDate">Last day to pay without a late fee (inclusive); not before <paramref name="issuedOn"/>.</param>
    /// <param name="entryId">Idempotency key, e.g. <c>charge:{billId}</c>.</param>
    /// <param name="at">When the charge is posted.</param>
    /// <param name="text">Statement text; optional.</param>
    public static PostingResult Charge(LedgerState state, string billId, Money amount, DateOnly issuedOn, DateOnly dueDate, string entryId, DateTimeOffset at, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Precheck(state, entryId, e => e.Kind == LedgerEntryKind.Charge && e.BillId == billId && e.Amount == amount && e.IssuedOn == issuedOn && e.DueDate == dueDate && e.PostedAt == at) is PostingResult early)
        {
            return early;
        }

        if (AmountRefusal(state, amount) is PostingResult refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(billId))
        {
            return PostingResult.Refused(state, LedgerRefusal.BillIdInvalid, "The bill id is empty.");
        }

        if (dueDate < issuedOn)
        {
            return PostingResult.Refused(state, LedgerRefusal.DatesInvalid, $"Due {dueDate:yyyy-MM-dd} is before issue {issuedOn:yyyy-MM-dd}.");
        }

        if (state.FindBill(billId) is not null)
        {
            return PostingResult.Refused(state, LedgerRefusal.BillExists, $"Bill {billId} is already on the account.");
        }

        var plan = new AllocationPlan(state);
        plan.AddBill(billId, issuedOn, amount);
        Money leftover = plan.Settle(state.Credit);
        var entry = new LedgerEntry(
            state.LastSequence + 1, entryId, LedgerEntryKind.Charge, amount, at, billId: billId, issuedOn: issuedOn, dueDate: dueDate,
            allocations: plan.Allocations(), creditChange: leftover - state.Credit, text: text ?? $"Bill {billId}");
        return PostingResult.Posted(entry, state);
    }

    /// <summary>Posts a payment (or prepaid top-up) and allocates it.</summary>
    /// <param name="state">The account before.</param>
    /// <param name="entryId">Idempotency key, e.g. <c>pay:{channel}:{channelTxnId}</c>.</param>
    /// <param name="amount">Amount received, fen, in (0, <see cref="MaxAmount"/>]; stored as a negative entry amount.</param>
    /// <param name="at">When it was paid (the channel's paid-at or taken-at).</param>
    /// <param name="text">Statement text; optional.</param>
    public static PostingResult Pay(LedgerState state, string entryId, Money amount, DateTimeOffset at, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Precheck(state, entryId, e => e.Kind == LedgerEntryKind.Payment && e.Amount == -amount && e.PostedAt == at) is PostingResult early)
        {
            return early;
        }

        if (AmountRefusal(state, amount) is PostingResult refused)
        {
            return refused;
        }

        var plan = new AllocationPlan(state);
        Money leftover = plan.Settle(amount);
        var entry = new LedgerEntry(
            state.LastSequence + 1, entryId, LedgerEntryKind.Payment, -amount, at,
            allocations: plan.Allocations(), creditChange: leftover, text: text ?? "Payment");
        return PostingResult.Posted(entry, state);
    }

    /// <summary>
    /// Assesses the late fee of one bill through <paramref name="day"/>, with entry id <c>latefee:{billId}:{yyyy-MM-dd}</c>,
    /// so a run repeated for the same bill and day posts once (<see cref="PostingOutcome.Replayed"/> afterwards).
    /// </summary>
    /// <remarks>
    /// The fee charged covers the days after the last assessed day up to <paramref name="day"/>, on the principal open now:
    /// <c>LateFee.Compute(open principal, due, day) − LateFee.Compute(open principal, due, last assessed day)</c>, so grace
    /// days, the cross-year rate and the minimum follow the engine and a daily run charges each day on that day's open
    /// principal (days a run skipped are charged on the principal open when it catches up). Open late fees bear no fee.
    /// Nothing is posted for a bill fully paid or reversed, not yet past due and grace, already assessed through
    /// <paramref name="day"/> or later, or when the fee comes to zero.
    /// </remarks>
    /// <param name="state">The account before.</param>
    /// <param name="billId">The bill.</param>
    /// <param name="day">China-local day assessed through (inclusive).</param>
    /// <param name="rule">The customer class's late-fee rule.</param>
    /// <param name="at">When the fee is posted.</param>
    public static PostingResult AssessLateFee(LedgerState state, string billId, DateOnly day, LateFeeRule rule, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrWhiteSpace(billId))
        {
            return PostingResult.Refused(state, LedgerRefusal.BillIdInvalid, "The bill id is empty.");
        }

        string entryId = LateFeeEntryId(billId, day);
        if (Precheck(state, entryId, e => e.Kind == LedgerEntryKind.LateFee && e.BillId == billId && e.LateFeeThrough == day) is PostingResult early)
        {
            return early;
        }

        if (state.FindBill(billId) is not OpenBill bill)
        {
            return PostingResult.Refused(state, LedgerRefusal.UnknownBill, $"No bill {billId} on the account.");
        }

        if (bill.PrincipalOpen.Fen <= 0 || (bill.LateFeeAssessedThrough is DateOnly through && through >= day))
        {
            return PostingResult.Nothing(state);
        }

        LateFeeAssessment toDay = LateFee.Compute(rule, bill.PrincipalOpen, bill.DueDate, day);
        Money already = bill.LateFeeAssessedThrough is DateOnly last ? LateFee.Compute(rule, bill.PrincipalOpen, bill.DueDate, last).Fee : Money.Zero;
        Money fee = toDay.Fee - already;
        if (fee.Fen <= 0)
        {
            return PostingResult.Nothing(state);
        }

        var plan = new AllocationPlan(state);
        Money leftover = plan.Settle(state.Credit);
        var entry = new LedgerEntry(
            state.LastSequence + 1, entryId, LedgerEntryKind.LateFee, fee, at, billId: billId, lateFeeThrough: day,
            allocations: plan.Allocations(), creditChange: leftover - state.Credit,
            text: string.Create(CultureInfo.InvariantCulture, $"Late fee {billId} through {day:yyyy-MM-dd}: {toDay.ChargeableDays} chargeable days on {bill.PrincipalOpen}"));
        return PostingResult.Posted(entry, state);
    }

    /// <summary>
    /// Posts a manual adjustment. A debit (positive amount) opens an item of its own, id = <paramref name="entryId"/>, issued
    /// and due on the China-local day of <paramref name="at"/>; a credit (negative amount) is allocated like a payment.
    /// </summary>
    /// <param name="state">The account before.</param>
    /// <param name="entryId">Idempotency key, e.g. <c>adj:{ticket}</c>.</param>
    /// <param name="amount">Signed change to what is owed, fen; magnitude in (0, <see cref="MaxAmount"/>].</param>
    /// <param name="reason">Why; required, kept as the entry text.</param>
    /// <param name="at">When the adjustment is posted.</param>
    public static PostingResult Adjust(LedgerState state, string entryId, Money amount, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Precheck(state, entryId, e => e.Kind == LedgerEntryKind.Adjustment && e.Amount == amount && e.PostedAt == at) is PostingResult early)
        {
            return early;
        }

        if (AmountRefusal(state, amount.Fen < 0 ? -amount : amount) is PostingResult refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return PostingResult.Refused(state, LedgerRefusal.ReasonRequired, "An adjustment needs a reason.");
        }

        var plan = new AllocationPlan(state);
        LedgerEntry entry;
        if (amount.Fen > 0)
        {
            if (state.FindBill(entryId) is not null)
            {
                return PostingResult.Refused(state, LedgerRefusal.BillExists, $"A bill with id {entryId} is already on the account.");
            }

            DateOnly day = ChinaTime.LocalDay(at);
            plan.AddBill(entryId, day, amount);
            Money leftover = plan.Settle(state.Credit);
            entry = new LedgerEntry(
                state.LastSequence + 1, entryId, LedgerEntryKind.Adjustment, amount, at, billId: entryId, issuedOn: day, dueDate: day,
                allocations: plan.Allocations(), creditChange: leftover - state.Credit, text: reason);
        }
        else
        {
            Money leftover = plan.Settle(-amount);
            entry = new LedgerEntry(
                state.LastSequence + 1, entryId, LedgerEntryKind.Adjustment, amount, at,
                allocations: plan.Allocations(), creditChange: leftover, text: reason);
        }

        return PostingResult.Posted(entry, state);
    }

    /// <summary>
    /// Reverses one entry with an entry of the opposite amount; the ledger keeps both.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A payment or credit adjustment: what it settled on each bill is reopened exactly (late fee and principal), as far as
    /// it is still paid; its remainder is taken back from credit. Should that credit already have paid something opened
    /// later, that is reopened newest first (principal before late fee), the reverse of the settling order. Credit left
    /// over (from later payments) is then applied to what was reopened, oldest first.
    /// </para>
    /// <para>
    /// A charge or debit adjustment: the bill's principal is removed (the bill stays, <see cref="OpenBill.Reversed"/>);
    /// what had been paid on it becomes credit and is applied to other open bills. Refused with
    /// <see cref="LedgerRefusal.BillHasLateFees"/> while late fees on the bill are not reversed.
    /// A late fee: its unpaid part is removed, a paid part becomes credit; the assessed-through day stays (the days are waived).
    /// </para>
    /// <para>
    /// An entry is reversed at most once: the same reversal id again is <see cref="PostingOutcome.Replayed"/>, another
    /// reversal id is refused <see cref="LedgerRefusal.AlreadyReversed"/>. A reversal itself cannot be reversed.
    /// </para>
    /// </remarks>
    /// <param name="state">The account before.</param>
    /// <param name="entryIdToReverse">The entry undone.</param>
    /// <param name="reversalEntryId">Idempotency key of the reversal, e.g. <c>reverse:pay:{channel}:{channelTxnId}</c>.</param>
    /// <param name="at">When the reversal is posted.</param>
    /// <param name="text">Statement text (the reason); optional.</param>
    public static PostingResult Reverse(LedgerState state, string entryIdToReverse, string reversalEntryId, DateTimeOffset at, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Precheck(state, reversalEntryId, e => e.Kind == LedgerEntryKind.Reversal && e.ReversesEntryId == entryIdToReverse) is PostingResult early)
        {
            return early;
        }

        if (string.IsNullOrWhiteSpace(entryIdToReverse) || !state.TryFind(entryIdToReverse, out LedgerEntry? original))
        {
            return PostingResult.Refused(state, LedgerRefusal.UnknownEntry, $"No entry {entryIdToReverse} on the account.");
        }

        if (original.Kind == LedgerEntryKind.Reversal)
        {
            return PostingResult.Refused(state, LedgerRefusal.NotReversible, $"Entry {original.EntryId} is a reversal.");
        }

        if (state.ReversalOf(original.EntryId) is string reversal)
        {
            return PostingResult.Refused(state, LedgerRefusal.AlreadyReversed, $"Entry {original.EntryId} is already reversed by {reversal}.");
        }

        var plan = new AllocationPlan(state);
        Money available = state.Credit;
        if (original.Kind == LedgerEntryKind.LateFee)
        {
            available += plan.RemoveLateFee(original.BillId!, original.Amount);
        }
        else if (original.IsDebit)
        {
            if (state.FindBill(original.BillId!)!.LateFeeCharged.Fen > 0)
            {
                return PostingResult.Refused(state, LedgerRefusal.BillHasLateFees, $"Bill {original.BillId} has late fees; reverse them first.");
            }

            available += plan.Uncharge(original.BillId!);
        }
        else
        {
            // A payment or credit adjustment: give back exactly what it settled, then take the rest from credit.
            Money toTakeBack = -original.Amount;
            foreach (LedgerAllocation allocation in original.Allocations)
            {
                toTakeBack -= plan.Reopen(allocation.BillId, allocation.LateFee, allocation.Principal);
            }

            Money fromCredit = toTakeBack < available ? toTakeBack : available;
            available -= fromCredit;
            Money unreopened = plan.ReopenNewestFirst(toTakeBack - fromCredit);
            if (unreopened != Money.Zero)
            {
                throw new InvalidOperationException($"The ledger does not balance: {unreopened} of {original.EntryId} could not be taken back.");
            }
        }

        Money leftover = plan.Settle(available);
        var entry = new LedgerEntry(
            state.LastSequence + 1, reversalEntryId, LedgerEntryKind.Reversal, -original.Amount, at, reversesEntryId: original.EntryId,
            allocations: plan.Allocations(), creditChange: leftover - state.Credit, text: text ?? $"Reversal of {original.EntryId}");
        return PostingResult.Posted(entry, state);
    }

    /// <summary>The entry id of a bill's late fee through a day: <c>latefee:{billId}:{yyyy-MM-dd}</c>.</summary>
    public static string LateFeeEntryId(string billId, DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"latefee:{billId}:{day:yyyy-MM-dd}");

    // The entry id check and the idempotent replay, common to every operation.
    private static PostingResult? Precheck(LedgerState state, string entryId, Func<LedgerEntry, bool> samePayload)
    {
        if (string.IsNullOrWhiteSpace(entryId))
        {
            return PostingResult.Refused(state, LedgerRefusal.EntryIdInvalid, "The entry id is empty.");
        }

        if (state.TryFind(entryId, out LedgerEntry? existing))
        {
            return samePayload(existing)
                ? PostingResult.Replayed(existing, state)
                : PostingResult.Refused(state, LedgerRefusal.DuplicateDiffers, $"Entry {entryId} is already posted with a different payload.");
        }

        return null;
    }

    private static PostingResult? AmountRefusal(LedgerState state, Money amount) =>
        amount.Fen <= 0 || amount > MaxAmount
            ? PostingResult.Refused(state, LedgerRefusal.AmountInvalid, $"Amount {amount} is not in (0, {MaxAmount}] yuan.")
            : null;
}
