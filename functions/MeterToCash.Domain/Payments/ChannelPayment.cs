using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Payments;

/// <summary>
/// One payment as a channel sent it, keyed by the channel and its idempotency key (a bank's or counter's
/// <c>channelTxnId</c>, a kiosk's device sequence number). Its <see cref="Fingerprint"/> decides whether a repeat of the
/// key is the same payment (answer the original) or a different one (409).
/// </summary>
public sealed class ChannelPayment
{
    /// <summary>Longest <c>channelTxnId</c>: 64 characters.</summary>
    public const int MaxTxnIdLength = 64;

    /// <summary>Longest <c>cashierId</c>: 32 characters.</summary>
    public const int MaxCashierIdLength = 32;

    /// <summary>Creates a payment.</summary>
    /// <param name="channelId">The channel that sent it.</param>
    /// <param name="key">Its idempotency key within the channel: a <c>channelTxnId</c> (1–64 of <c>[A-Za-z0-9_-]</c>) or a kiosk sequence as 12 digits.</param>
    /// <param name="accountNo">The account paid.</param>
    /// <param name="amount">Amount received, fen, in (0, <see cref="LedgerPostings.MaxAmount"/>] (10,000,000.00 yuan inclusive).</param>
    /// <param name="paidAt">When the customer paid, as the channel says (a kiosk's taken-at).</param>
    /// <param name="channelDate">The channel's accounting day (China local) the payment is filed under.</param>
    /// <param name="cashierId">Counter payments: the cashier; otherwise null.</param>
    /// <param name="tender">Kiosk and counter payments: how it was paid; otherwise null.</param>
    /// <exception cref="ArgumentException">A value breaks its rule.</exception>
    public ChannelPayment(string channelId, string key, string accountNo, Money amount, DateTimeOffset paidAt, DateOnly channelDate, string? cashierId = null, Tender? tender = null)
    {
        if (!ChannelRequestSigner.IsChannelId(channelId))
        {
            throw new ArgumentException($"'{channelId}' is not a channel id.", nameof(channelId));
        }

        if (!IsTxnId(key))
        {
            throw new ArgumentException($"'{key}' is not a transaction key.", nameof(key));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(accountNo);
        if (!IsAmount(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A payment is more than 0 and at most 10,000,000.00 yuan.");
        }

        if (cashierId is not null && !IsTxnId(cashierId, MaxCashierIdLength))
        {
            throw new ArgumentException($"'{cashierId}' is not a cashier id.", nameof(cashierId));
        }

        ChannelId = channelId;
        Key = key;
        AccountNo = accountNo;
        Amount = amount;
        PaidAt = paidAt;
        ChannelDate = channelDate;
        CashierId = cashierId;
        Tender = tender;
    }

    /// <summary>The channel that sent it.</summary>
    public string ChannelId { get; }

    /// <summary>The idempotency key within the channel.</summary>
    public string Key { get; }

    /// <summary>The account paid.</summary>
    public string AccountNo { get; }

    /// <summary>Amount received, fen (positive).</summary>
    public Money Amount { get; }

    /// <summary>When the customer paid.</summary>
    public DateTimeOffset PaidAt { get; }

    /// <summary>The channel's accounting day (China local).</summary>
    public DateOnly ChannelDate { get; }

    /// <summary>Counter payments: the cashier.</summary>
    public string? CashierId { get; }

    /// <summary>Kiosk and counter payments: the tender.</summary>
    public Tender? Tender { get; }

    /// <summary>The ledger entry id of the payment: <c>pay:{channel}:{key}</c>.</summary>
    public string EntryId => $"pay:{ChannelId}:{Key}";

    /// <summary>The ledger entry id of its reversal: <c>rev:{channel}:{key}</c>.</summary>
    public string ReversalEntryId => $"rev:{ChannelId}:{Key}";

    /// <summary>
    /// Lower-case hex SHA-256 of what the channel chose: account, amount, paid-at (UTC, to the tick), channel date, cashier
    /// and tender. Two sends of one key are the same payment exactly when their fingerprints are equal.
    /// </summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
        '\n',
        AccountNo,
        Amount.Fen.ToString(CultureInfo.InvariantCulture),
        PaidAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
        ChannelDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CashierId ?? string.Empty,
        Tender?.ToString() ?? string.Empty))));

    /// <summary>The payment id answered to the channel: <c>P</c> + 20 hex characters of SHA-256(channel, key); the same for every repeat.</summary>
    public string PaymentId => "P" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ChannelId + "\n" + Key)))[..20];

    /// <summary>The receipt number: <c>{channel}-{key}</c>.</summary>
    public string ReceiptNo => $"{ChannelId}-{Key}";

    /// <summary>Whether <paramref name="amount"/> is a payable amount: more than 0, at most <see cref="LedgerPostings.MaxAmount"/>.</summary>
    public static bool IsAmount(Money amount) => amount.Fen > 0 && amount <= LedgerPostings.MaxAmount;

    /// <summary>Whether <paramref name="text"/> is 1–<paramref name="maxLength"/> characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsTxnId(string? text, int maxLength = MaxTxnIdLength) =>
        text is { Length: > 0 } && text.Length <= maxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The China-local day of <paramref name="instant"/>: a kiosk's channel date.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => ChinaTime.LocalDay(instant);
}
