namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// One transaction of a bank's reconciliation file, as the bank reports it.
/// </summary>
/// <remarks>
/// Equality is by value over every field including <see cref="Location"/>; <see cref="SameTransaction"/> compares
/// without it (two identical lines at different places in a file are the same transaction twice).
/// </remarks>
public sealed record BankLine
{
    /// <summary>Creates a line; every value is checked with <see cref="ReconRules"/>.</summary>
    /// <param name="bankRef">The bank's own reference (unique in the bank), <see cref="ReconRules.IsRef"/>.</param>
    /// <param name="channelTxnId">The id the bank sent us; null when it sent us nothing (a branch counter payment). For a reversal, the reversed payment's id (required).</param>
    /// <param name="accountNo">The account paid for.</param>
    /// <param name="amountFen">Amount in fen, positive for a payment and for a reversal alike, at most <see cref="ReconRules.MaxAmountFen"/>.</param>
    /// <param name="type">Payment or reversal.</param>
    /// <param name="paidAt">When it was paid (with the bank's offset); null when the file does not say (camt without <c>AccptncDtTm</c>).</param>
    /// <param name="channelDate">The bank's accounting day (China time) the file is cut by.</param>
    /// <param name="location">Where in the file: <c>line {n}</c> or an XPath; free text for lines built in code.</param>
    /// <exception cref="ArgumentException">A value breaks its rule.</exception>
    public BankLine(string bankRef, string? channelTxnId, string accountNo, long amountFen, ReconTxnType type, DateTimeOffset? paidAt, DateOnly channelDate, string location)
    {
        if (!ReconRules.IsRef(bankRef)) throw new ArgumentException("bankRef must be 1–64 of [A-Za-z0-9_-].", nameof(bankRef));
        if (channelTxnId is not null && !ReconRules.IsRef(channelTxnId)) throw new ArgumentException("channelTxnId must be null or 1–64 of [A-Za-z0-9_-].", nameof(channelTxnId));
        if (!ReconRules.IsAccountNo(accountNo)) throw new ArgumentException("accountNo must be 1–20 of [A-Za-z0-9_-].", nameof(accountNo));
        if (!ReconRules.IsAmountFen(amountFen)) throw new ArgumentOutOfRangeException(nameof(amountFen), amountFen, $"amountFen must be in [1, {ReconRules.MaxAmountFen}].");
        if (!Enum.IsDefined(type)) throw new ArgumentOutOfRangeException(nameof(type));
        if (type == ReconTxnType.Rev && channelTxnId is null) throw new ArgumentException("a reversal names the reversed channelTxnId.", nameof(channelTxnId));
        ArgumentNullException.ThrowIfNull(location);
        BankRef = bankRef;
        ChannelTxnId = channelTxnId;
        AccountNo = accountNo;
        AmountFen = amountFen;
        Type = type;
        PaidAt = paidAt;
        ChannelDate = channelDate;
        Location = location;
    }

    /// <summary>The bank's own reference.</summary>
    public string BankRef { get; }

    /// <summary>Our id as the bank sent it; null when the bank never sent us the transaction.</summary>
    public string? ChannelTxnId { get; }

    /// <summary>The account paid for.</summary>
    public string AccountNo { get; }

    /// <summary>Amount in fen, always positive; <see cref="SignedFen"/> gives the direction.</summary>
    public long AmountFen { get; }

    /// <summary>Payment or reversal.</summary>
    public ReconTxnType Type { get; }

    /// <summary>When it was paid; null when the file does not say.</summary>
    public DateTimeOffset? PaidAt { get; }

    /// <summary>The bank's accounting day.</summary>
    public DateOnly ChannelDate { get; }

    /// <summary>Where in the file the line was.</summary>
    public string Location { get; }

    /// <summary>Cash in fen: <see cref="AmountFen"/> for a payment, its negation for a reversal.</summary>
    public long SignedFen => Type == ReconTxnType.Pay ? AmountFen : -AmountFen;

    /// <summary>True when both lines say the same thing, wherever they were in the file.</summary>
    public bool SameTransaction(BankLine other) =>
        other is not null && BankRef == other.BankRef && ChannelTxnId == other.ChannelTxnId && AccountNo == other.AccountNo
        && AmountFen == other.AmountFen && Type == other.Type && PaidAt == other.PaidAt && ChannelDate == other.ChannelDate;
}
