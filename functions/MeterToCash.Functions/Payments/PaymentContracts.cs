namespace MeterToCash.Functions.Payments;

/// <summary>A bank payment (代收): the bank's transaction id, the account, the amount in fen (integer), when it was paid (ISO 8601 with offset) and the bank's accounting day (yyyy-MM-dd).</summary>
public sealed record BankPaymentRequest(string? ChannelTxnId, string? AccountNo, decimal? AmountFen, string? PaidAt, string? ChannelDate);

/// <summary>A counter payment: the bank payment's fields plus the cashier and the tender (Cash, BankCard, QrCode, Cheque).</summary>
public sealed record CounterPaymentRequest(string? ChannelTxnId, string? AccountNo, decimal? AmountFen, string? PaidAt, string? ChannelDate, string? CashierId, string? Tender);

/// <summary>A kiosk top-up: the device's sequence number (its idempotency key), the account, fen, tender (Cash, BankCard, QrCode) and when the kiosk took the money.</summary>
public sealed record KioskTopUpRequest(decimal? DeviceSeq, string? AccountNo, decimal? AmountFen, string? Tender, string? TakenAt);

/// <summary>A kiosk's offline batch: its top-ups in its own order, at most 500.</summary>
public sealed record KioskSyncRequest(IReadOnlyList<KioskTopUpRequest?>? Transactions);

/// <summary>A payment read from a channel's body, ready to post: the payment and, for a kiosk, its device sequence number.</summary>
public sealed record PaymentOrder(MeterToCash.Domain.Payments.ChannelPayment Payment, long? DeviceSeq);

/// <summary>A reversal (冲正): why.</summary>
public sealed record ReversalRequest(string? Reason);

/// <summary>A cashier's close-out: the cashier and the channel date.</summary>
public sealed record CloseOutRequest(string? CashierId, string? ChannelDate);

/// <summary>A kiosk registration: where it stands, who operates it, whether it may take payments.</summary>
public sealed record KioskRegistrationRequest(string? Location, string? Operator, bool? Enabled);

/// <summary>What a payment paid on one bill, fen: <c>amountFen</c> in total, of which <c>lateFeeFen</c> late fee (the rest principal).</summary>
public sealed record AllocationAnswer(string BillId, long AmountFen, long LateFeeFen);

/// <summary>
/// The answer to a payment or top-up, stored with its transaction and answered again, byte for byte, to every repeat.
/// <c>creditFen</c>: what this payment left unallocated (credit, or prepaid balance); <c>balanceFen</c>: the account's credit
/// or prepaid balance right after it; money in fen.
/// </summary>
public sealed record PaymentAnswer(
    string PaymentId,
    string ChannelId,
    string? ChannelTxnId,
    long? DeviceSeq,
    string AccountNo,
    long AmountFen,
    IReadOnlyList<AllocationAnswer> Allocations,
    long CreditFen,
    long BalanceFen,
    string ReceiptNo,
    string Status,
    DateTimeOffset PaidAt,
    string ChannelDate,
    long LedgerSequence,
    string? CashierId,
    string? Tender,
    string? Location,
    string? Operator);

/// <summary>The answer to a reversal; repeats answer the same.</summary>
public sealed record ReversalAnswer(string ChannelTxnId, string Status, DateTimeOffset ReversedAt, string PaymentId, string AccountNo, long AmountFen);

/// <summary>An open bill as a channel sees it, fen: principal open (<c>amountFen</c>) and late fee open; due date inclusive.</summary>
public sealed record ArrearsAnswer(string BillId, string Period, long AmountFen, long LateFeeFen, DateOnly DueDate);

/// <summary>One of an account's recent bills (kiosk query), fen: <c>status</c> is Open, Paid or Reversed.</summary>
public sealed record RecentBillAnswer(string BillId, string Period, long AmountFen, string Status);

/// <summary>
/// An account as a channel sees it: the masked name, the payment mode, open bills oldest first, what they add up to, the
/// credit or prepaid balance, and <c>payableFen</c> (what clears everything). Money in fen. <c>closedOn</c> only for a
/// closed account (from that day, China local, payments are 422 <c>account-closed</c>).
/// </summary>
public sealed record AccountAnswer(string AccountNo, string MaskedName, string PaymentMode, IReadOnlyList<ArrearsAnswer> Arrears, long ArrearsFen, long BalanceFen, long PayableFen, IReadOnlyList<RecentBillAnswer>? RecentBills, DateOnly? ClosedOn = null);

/// <summary>One kiosk sync item's outcome: Posted, Duplicate (posted before, same payload) or Rejected with its problem code.</summary>
public sealed record SyncItemAnswer(long? DeviceSeq, string Status, string? Code, string? PaymentId, string? ReceiptNo);

/// <summary>Device sequence numbers never received, both ends inclusive.</summary>
public sealed record SequenceGapAnswer(long From, long To);

/// <summary>A kiosk sync's answer: one item per transaction sent, in order, and the gaps in the device's sequence.</summary>
public sealed record KioskSyncAnswer(string DeviceId, IReadOnlyList<SyncItemAnswer> Items, IReadOnlyList<SequenceGapAnswer> Gaps);

/// <summary>
/// A bank day's close, fen. <c>count</c>/<c>amountFen</c> are every payment taken for the day (gross), reversed or not;
/// <c>reversedCount</c>/<c>reversedFen</c> the reversals among them; <c>netCount</c>/<c>netFen</c> the difference. The
/// same meaning in the counter's close-out and the journal. Closing again answers the same.
/// </summary>
public sealed record DayCloseAnswer(string ChannelId, string ChannelDate, int Count, long AmountFen, int ReversedCount, long ReversedFen, DateTimeOffset ClosedAt)
{
    /// <summary>Payments not reversed: <see cref="Count"/> − <see cref="ReversedCount"/>.</summary>
    public int NetCount => Count - ReversedCount;

    /// <summary>The cash the channel owes for the day, fen: <see cref="AmountFen"/> − <see cref="ReversedFen"/>.</summary>
    public long NetFen => AmountFen - ReversedFen;
}

/// <summary>Totals of one tender in a close-out, fen.</summary>
public sealed record TenderTotalAnswer(string Tender, int Count, long AmountFen);

/// <summary>One transaction in a close-out.</summary>
public sealed record CloseOutTransactionAnswer(string ChannelTxnId, string AccountNo, long AmountFen, string Tender, string Status, DateTimeOffset PaidAt);

/// <summary>
/// A cashier's close-out, fen: the cashier's payments (gross), the reversals among them and the net, as in
/// <see cref="DayCloseAnswer"/>; by tender the payments not reversed (they add up to the net); and the transactions.
/// Closing again answers the same.
/// </summary>
public sealed record CloseOutAnswer(string ChannelId, string CashierId, string ChannelDate, int Count, long AmountFen, int ReversedCount, long ReversedFen, IReadOnlyList<TenderTotalAnswer> ByTender, IReadOnlyList<CloseOutTransactionAnswer> Transactions, DateTimeOffset ClosedAt)
{
    /// <summary>Payments not reversed: <see cref="Count"/> − <see cref="ReversedCount"/>.</summary>
    public int NetCount => Count - ReversedCount;

    /// <summary>The cash the channel owes for the day, fen: <see cref="AmountFen"/> − <see cref="ReversedFen"/>.</summary>
    public long NetFen => AmountFen - ReversedFen;
}

/// <summary>A kiosk as registered; <c>secret</c> only in the answer that created it (or rotated it).</summary>
public sealed record KioskAnswer(string DeviceId, string Location, string Operator, bool Enabled, string? Secret);

/// <summary>A kiosk's new secret, answered once by the rotation.</summary>
public sealed record KioskSecretAnswer(string DeviceId, string Secret);

/// <summary>One line of a channel's daily journal: a payment or a reversal, fen.</summary>
public sealed record JournalLineAnswer(string Type, string Key, string PaymentId, string AccountNo, long AmountFen, DateTimeOffset PaidAt, DateTimeOffset PostedAt, long LedgerSequence, string? CashierId, string? Tender, string? Location, string? Operator);

/// <summary>A channel's journal of one channel date: totals as in <see cref="DayCloseAnswer"/> (gross, reversals, net), and every line.</summary>
public sealed record JournalAnswer(string ChannelId, string ChannelDate, int Count, long AmountFen, int ReversedCount, long ReversedFen, IReadOnlyList<JournalLineAnswer> Lines)
{
    /// <summary>Payments not reversed: <see cref="Count"/> − <see cref="ReversedCount"/>.</summary>
    public int NetCount => Count - ReversedCount;

    /// <summary>The cash the channel owes for the day, fen: <see cref="AmountFen"/> − <see cref="ReversedFen"/>.</summary>
    public long NetFen => AmountFen - ReversedFen;
}
