namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// One entry of our channel's daily journal (payment contract §7): a payment or a reversal we posted.
/// </summary>
/// <remarks>
/// Maps from the journal line the payment feature keeps: its <c>Type</c>, its key (<c>channelTxnId</c>), the ledger
/// entry id it posted (for a payment the <c>paymentId</c>'s entry), account, amount and paid-at. Within one channel
/// and day, (<see cref="Type"/>, <see cref="ChannelTxnId"/>) is unique (the channel contract's idempotency).
/// </remarks>
public sealed record ChannelJournalEntry
{
    /// <summary>Creates an entry; values are checked with <see cref="ReconRules"/>.</summary>
    /// <param name="entryId">The ledger entry this journal entry posted (what the ledger is asked for).</param>
    /// <param name="channelTxnId">The channel's id; for a reversal, the reversed payment's id.</param>
    /// <param name="accountNo">The account paid for.</param>
    /// <param name="amountFen">Amount in fen, positive for a payment and a reversal alike, at most <see cref="ReconRules.MaxAmountFen"/>.</param>
    /// <param name="type">Payment or reversal.</param>
    /// <param name="paidAt">When the channel says it was paid (a reversal: when it was reversed).</param>
    /// <exception cref="ArgumentException">A value breaks its rule.</exception>
    public ChannelJournalEntry(string entryId, string channelTxnId, string accountNo, long amountFen, ReconTxnType type, DateTimeOffset paidAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entryId);
        if (!ReconRules.IsRef(channelTxnId)) throw new ArgumentException("channelTxnId must be 1–64 of [A-Za-z0-9_-].", nameof(channelTxnId));
        if (!ReconRules.IsAccountNo(accountNo)) throw new ArgumentException("accountNo must be 1–20 of [A-Za-z0-9_-].", nameof(accountNo));
        if (!ReconRules.IsAmountFen(amountFen)) throw new ArgumentOutOfRangeException(nameof(amountFen), amountFen, $"amountFen must be in [1, {ReconRules.MaxAmountFen}].");
        if (!Enum.IsDefined(type)) throw new ArgumentOutOfRangeException(nameof(type));
        EntryId = entryId;
        ChannelTxnId = channelTxnId;
        AccountNo = accountNo;
        AmountFen = amountFen;
        Type = type;
        PaidAt = paidAt;
    }

    /// <summary>The ledger entry id this entry posted.</summary>
    public string EntryId { get; }

    /// <summary>The channel's id (a reversal's: the reversed payment's).</summary>
    public string ChannelTxnId { get; }

    /// <summary>The account paid for.</summary>
    public string AccountNo { get; }

    /// <summary>Amount in fen, always positive.</summary>
    public long AmountFen { get; }

    /// <summary>Payment or reversal.</summary>
    public ReconTxnType Type { get; }

    /// <summary>When it was paid or reversed.</summary>
    public DateTimeOffset PaidAt { get; }

    /// <summary>Cash in fen: <see cref="AmountFen"/> for a payment, its negation for a reversal.</summary>
    public long SignedFen => Type == ReconTxnType.Pay ? AmountFen : -AmountFen;
}
