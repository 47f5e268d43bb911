using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// Reads and checks channel request bodies: every way one can be wrong is a 4xx problem naming the field and the rule
/// (400 <c>invalid-request</c>; 422 <c>amount-invalid</c> for an amount ≤ 0, over 10,000,000.00 yuan or not whole fen;
/// 415 for a body that is not JSON), never a 500.
/// </summary>
public static partial class PaymentRequests
{
    /// <summary>Longest reversal reason, characters.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>Longest kiosk location or operator, characters.</summary>
    public const int MaxKioskTextLength = 100;

    /// <summary>Most transactions in one kiosk sync.</summary>
    public const int MaxSyncItems = 500;

    /// <summary>Largest kiosk device sequence number (12 digits).</summary>
    public const long MaxDeviceSeq = 999_999_999_999;

    /// <summary>Strict: unknown members, numbers in strings and trailing commas are errors.</summary>
    public static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 8,
    };

    /// <summary>Parses <paramref name="body"/> as <typeparamref name="T"/>: 415 unless the content type is JSON (or absent), 400 for an empty body or bad JSON.</summary>
    public static (T? Value, ObjectResult? Problem) Parse<T>(HttpRequest request, byte[] body)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        if (request.ContentType is { } type && !IsJson(type))
        {
            return (null, PaymentProblems.Create(415, PaymentProblems.UnsupportedMediaType, "Send the body as application/json.", [new ValidationError("Content-Type", "json-required", "Send the body as application/json.")]));
        }

        if (body.Length == 0)
        {
            return (null, PaymentProblems.Invalid("body", "required", "The request body is empty."));
        }

        try
        {
            T? value = JsonSerializer.Deserialize<T>(body, BodyJson);
            return value is null ? (null, PaymentProblems.Invalid("body", "required", "The request body is null.")) : (value, null);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, PaymentProblems.Invalid(Printable(field), "json", field == "body"
                ? "The body is not valid JSON (or not an object)."
                : $"'{Printable(field)}' has a value of the wrong type, or is a member that is not allowed."));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or OverflowException or FormatException)
        {
            return (null, PaymentProblems.Invalid("body", "json", "The body is not valid JSON for this request."));
        }
    }

    /// <summary>A bank payment's fields as a <see cref="PaymentOrder"/>, or the problems.</summary>
    public static (PaymentOrder? Order, ObjectResult? Problem) Bank(string channelId, BankPaymentRequest body)
    {
        ArgumentNullException.ThrowIfNull(body);
        List<ValidationError> errors = [];
        string? key = TxnId(body.ChannelTxnId, "channelTxnId", errors);
        string? account = AccountNo(body.AccountNo, errors);
        DateTimeOffset? paidAt = Instant(body.PaidAt, "paidAt", errors);
        DateOnly? date = Day(body.ChannelDate, "channelDate", errors);
        return Finish(errors, body.AmountFen, amount => new PaymentOrder(new ChannelPayment(channelId, key!, account!, amount, paidAt!.Value, date!.Value), null));
    }

    /// <summary>A counter payment's fields as a <see cref="PaymentOrder"/>, or the problems.</summary>
    public static (PaymentOrder? Order, ObjectResult? Problem) Counter(string channelId, CounterPaymentRequest body)
    {
        ArgumentNullException.ThrowIfNull(body);
        List<ValidationError> errors = [];
        string? key = TxnId(body.ChannelTxnId, "channelTxnId", errors);
        string? account = AccountNo(body.AccountNo, errors);
        DateTimeOffset? paidAt = Instant(body.PaidAt, "paidAt", errors);
        DateOnly? date = Day(body.ChannelDate, "channelDate", errors);
        string? cashier = CashierId(body.CashierId, errors);
        Tender? tender = TenderOf(body.Tender, allowCheque: true, "tender", errors);
        return Finish(errors, body.AmountFen, amount => new PaymentOrder(new ChannelPayment(channelId, key!, account!, amount, paidAt!.Value, date!.Value, cashier, tender), null));
    }

    /// <summary>A kiosk top-up as a <see cref="PaymentOrder"/> keyed by its 12-digit device sequence (channel date: the China-local day of takenAt), or the problems.</summary>
    public static (PaymentOrder? Order, ObjectResult? Problem) Kiosk(string deviceId, KioskTopUpRequest body, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(body);
        List<ValidationError> errors = [];
        long? seq = null;
        if (body.DeviceSeq is not decimal s)
        {
            errors.Add(new(prefix + "deviceSeq", "required", "'deviceSeq' is required: the kiosk's sequence number, 1–999,999,999,999."));
        }
        else if (s != decimal.Truncate(s) || s < 1 || s > MaxDeviceSeq)
        {
            errors.Add(new(prefix + "deviceSeq", "range", "'deviceSeq' is a whole number, 1–999,999,999,999."));
        }
        else
        {
            seq = (long)s;
        }

        string? account = AccountNo(body.AccountNo, errors, prefix);
        Tender? tender = TenderOf(body.Tender, allowCheque: false, prefix + "tender", errors);
        DateTimeOffset? takenAt = Instant(body.TakenAt, prefix + "takenAt", errors);
        return Finish(
            errors,
            body.AmountFen,
            amount => new PaymentOrder(new ChannelPayment(deviceId, KioskKey(seq!.Value), account!, amount, takenAt!.Value, ChannelPayment.DayOf(takenAt!.Value), tender: tender), seq),
            prefix);
    }

    /// <summary>A kiosk item's sequence number when it is a valid one (a rejected sync item reports it), else null.</summary>
    public static long? DeviceSeqOf(KioskTopUpRequest item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.DeviceSeq is decimal d && d == decimal.Truncate(d) && d is >= 1 and <= MaxDeviceSeq ? (long)d : null;
    }

    /// <summary>A kiosk's transaction key: the sequence number as 12 digits.</summary>
    public static string KioskKey(long deviceSeq) => deviceSeq.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>A reversal reason: required, 1–200 characters, no control characters.</summary>
    public static string? Reason(string? reason, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            errors.Add(new("reason", "text", "'reason' is required: 1–200 characters, no control characters."));
            return null;
        }

        return reason.Trim();
    }

    /// <summary>A route or body channel date: yyyy-MM-dd, 2000–2099.</summary>
    public static DateOnly? Day(string? text, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is { Length: 10 } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) && day.Year is >= 2000 and <= 2099)
        {
            return day;
        }

        errors.Add(new(field, "date-format", $"'{field}' is required as yyyy-MM-dd (the channel's accounting day, China time), 2000–2099."));
        return null;
    }

    /// <summary>A cashier id: required, 1–32 of [A-Za-z0-9_-].</summary>
    public static string? CashierId(string? text, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ChannelPayment.IsTxnId(text, ChannelPayment.MaxCashierIdLength))
        {
            return text;
        }

        errors.Add(new("cashierId", "code-format", "'cashierId' is required: 1–32 letters, digits, '-' or '_'."));
        return null;
    }

    /// <summary>A transaction id: required, 1–64 of [A-Za-z0-9_-].</summary>
    public static string? TxnId(string? text, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ChannelPayment.IsTxnId(text))
        {
            return text;
        }

        errors.Add(new(field, "code-format", $"'{field}' is required: 1–64 letters, digits, '-' or '_'."));
        return null;
    }

    /// <summary>An account number: required, 1–20 of [A-Za-z0-9_-].</summary>
    public static string? AccountNo(string? text, List<ValidationError> errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is not null && ArchiveValidator.IsKey(text, ArchiveValidator.MaxAccountNoLength))
        {
            return text;
        }

        errors.Add(new(prefix + "accountNo", "code-format", "'accountNo' is required: 1–20 letters, digits, '-' or '_'."));
        return null;
    }

    static (PaymentOrder?, ObjectResult?) Finish(List<ValidationError> errors, decimal? amountFen, Func<Money, PaymentOrder> create, string prefix = "")
    {
        if (amountFen is null)
        {
            errors.Add(new(prefix + "amountFen", "required", "'amountFen' is required: integer fen, 1–1,000,000,000."));
        }

        if (errors.Count > 0)
        {
            return (null, PaymentProblems.Invalid(errors));
        }

        decimal value = amountFen!.Value;
        if (value != decimal.Truncate(value) || value <= 0 || value > LedgerPostings.MaxAmount.Fen)
        {
            string rule = value != decimal.Truncate(value) ? "whole-fen" : "range";
            return (null, PaymentProblems.Create(422, PaymentProblems.AmountInvalid, "'amountFen' must be whole fen, more than 0 and at most 1,000,000,000 (10,000,000.00 yuan).", [new ValidationError(prefix + "amountFen", rule, "Whole fen, 1–1,000,000,000.")]));
        }

        return (create(new Money((long)value)), null);
    }

    static DateTimeOffset? Instant(string? text, string field, List<ValidationError> errors)
    {
        if (text is not null && InstantPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset instant)
            && instant.Year is >= 2000 and <= 2099)
        {
            return instant;
        }

        errors.Add(new(field, "instant-format", $"'{field}' is required as an ISO 8601 time with an offset, e.g. 2026-12-04T10:15:00+08:00 (2000–2099)."));
        return null;
    }

    static Tender? TenderOf(string? text, bool allowCheque, string field, List<ValidationError> errors)
    {
        if (text is "Cash" or "BankCard" or "QrCode" || (allowCheque && text == "Cheque"))
        {
            return Enum.Parse<Tender>(text);
        }

        errors.Add(new(field, "tender", allowCheque ? "'tender' is Cash, BankCard, QrCode or Cheque." : "'tender' is Cash, BankCard or QrCode."));
        return null;
    }

    static bool IsJson(string contentType)
    {
        string media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    // A JSON path from an attacker's body is echoed only with printable ASCII, and at most 100 characters.
    static string Printable(string text) => new([.. text.Where(c => c is >= ' ' and <= '~').Take(100)]);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex InstantPattern();
}
