using System.Globalization;
using System.Text.RegularExpressions;
using MeterToCash.Domain.Archive;

namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// The rule codes of reconciliation files and the field rules behind them, defined once: the parsers report a line
/// with these predicates and the value types (<see cref="BankLine"/>, <see cref="ChannelJournalEntry"/>) refuse values
/// that break them.
/// </summary>
public static partial class ReconRules
{
    /// <summary>Largest amount of one transaction in fen, inclusive: 10,000,000.00 yuan (the payment contract's limit).</summary>
    public const long MaxAmountFen = 1_000_000_000;

    /// <summary>Longest <c>channelTxnId</c> and <c>bankRef</c>: 64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public const int MaxRefLength = 64;

    /// <summary>File refused (400): not valid UTF-8, or an XML declaring another encoding.</summary>
    public const string EncodingInvalid = "encoding-invalid";

    /// <summary>File refused (400): the CSV control header or column header is not the contract's.</summary>
    public const string HeaderInvalid = "header-invalid";

    /// <summary>File refused (422): the lines do not add up to the CSV header's count and sum.</summary>
    public const string ControlTotalMismatch = "control-total-mismatch";

    /// <summary>File refused (422): the file's channel is not the one it was sent for.</summary>
    public const string ChannelMismatch = "channel-mismatch";

    /// <summary>File refused (400): the XML has a document type declaration (DTD).</summary>
    public const string DtdProhibited = "dtd-prohibited";

    /// <summary>File refused (400): the XML is not well-formed (or is truncated).</summary>
    public const string XmlMalformed = "xml-malformed";

    /// <summary>File refused (400): the XML's root is not a camt.053/camt.054 <c>Document</c> of an accepted version.</summary>
    public const string NamespaceUnsupported = "namespace-unsupported";

    /// <summary>File refused (422): a statement's opening balance plus its entries is not its closing balance.</summary>
    public const string BalanceMismatch = "balance-mismatch";

    /// <summary>File refused (422): a statement's <c>TxsSummry</c> does not match its entries.</summary>
    public const string SummaryMismatch = "summary-mismatch";

    /// <summary>File refused (413): larger than <see cref="ReconFileLimits.MaxBytes"/>.</summary>
    public const string FileTooLarge = "file-too-large";

    /// <summary>File refused (413): more transactions than <see cref="ReconFileLimits.MaxTransactions"/>.</summary>
    public const string TooManyTransactions = "too-many-transactions";

    /// <summary>File refused (400): no bytes, or nothing but a BOM.</summary>
    public const string FileEmpty = "file-empty";

    /// <summary>Line: wrong number of columns.</summary>
    public const string ColumnCount = "column-count";

    /// <summary>Line: a required field is missing or not the contract's shape; the message names the field.</summary>
    public const string FieldInvalid = "field-invalid";

    /// <summary>Line: the amount is not a whole number of fen in (0, <see cref="MaxAmountFen"/>], or not in CNY.</summary>
    public const string AmountInvalid = "amount-invalid";

    /// <summary>Line: the type is not <c>PAY</c>/<c>REV</c> (<c>CRDT</c>/<c>DBIT</c>).</summary>
    public const string TypeInvalid = "type-invalid";

    /// <summary>Line: a reversal that names no <c>channelTxnId</c>.</summary>
    public const string ReversalWithoutId = "reversal-without-id";

    /// <summary>Line: the transaction's day is not the file's <c>channelDate</c>.</summary>
    public const string ChannelDateMismatch = "channel-date-mismatch";

    /// <summary>Line: a camt entry's transaction details do not add up to the entry's amount.</summary>
    public const string EntrySumMismatch = "entry-sum-mismatch";

    /// <summary>True when <paramref name="value"/> is a channel id: <c>[A-Z0-9-]{3,32}</c>.</summary>
    public static bool IsChannelId(string? value) => value is not null && ChannelIdPattern().IsMatch(value);

    /// <summary>True when <paramref name="value"/> is a <c>channelTxnId</c> or <c>bankRef</c>: 1–64 of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsRef(string? value) => ArchiveValidator.IsKey(value, MaxRefLength);

    /// <summary>True when <paramref name="value"/> is an account number as the archive defines it (1–20 of <c>[A-Za-z0-9_-]</c>).</summary>
    public static bool IsAccountNo(string? value) => ArchiveValidator.IsKey(value, ArchiveValidator.MaxAccountNoLength);

    /// <summary>True when <paramref name="fen"/> is a transaction amount: 1 to <see cref="MaxAmountFen"/> fen inclusive.</summary>
    public static bool IsAmountFen(long fen) => fen is > 0 and <= MaxAmountFen;

    /// <summary>
    /// Reads a whole number of fen from decimal digits only (<c>12345</c>); a sign, a point, spaces or more than 18
    /// digits are not fen. Whether the amount is allowed is <see cref="IsAmountFen"/>'s question.
    /// </summary>
    public static bool TryParseFen(ReadOnlySpan<char> text, out long fen)
    {
        fen = 0;
        if (text.Length is 0 or > 18)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            fen = (fen * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>
    /// Reads an ISO 20022 amount in yuan as fen: digits, then optionally a point and one or two decimals
    /// (<c>123</c>, <c>123.4</c>, <c>123.45</c>); three decimals, a sign, an exponent or more than 16 integer digits are refused.
    /// Exact: no rounding.
    /// </summary>
    public static bool TryParseYuan(ReadOnlySpan<char> text, out long fen)
    {
        fen = 0;
        int point = text.IndexOf('.');
        ReadOnlySpan<char> whole = point < 0 ? text : text[..point];
        ReadOnlySpan<char> fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.Length > 16 || (point >= 0 && fraction.Length is 0 or > 2) || !TryParseFen(whole, out long yuan))
        {
            return false;
        }

        long cents = 0;
        if (fraction.Length > 0 && !TryParseFen(fraction, out cents))
        {
            return false;
        }

        fen = (yuan * 100) + (fraction.Length == 1 ? cents * 10 : cents);
        return true;
    }

    /// <summary>
    /// Reads an ISO 8601 instant that states its offset (<c>2026-12-03T10:15:00+08:00</c>, <c>...Z</c>, fractions
    /// of a second allowed); one without an offset is refused, as the contract requires one.
    /// </summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

    /// <summary>Reads a <c>yyyy-MM-dd</c> day.</summary>
    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    static readonly string[] InstantFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    [GeneratedRegex("^[A-Z0-9-]{3,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelIdPattern();
}
