using MeterToCash.Domain.Common;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The payment contract's problems: every body is <c>application/problem+json</c> with a stable <c>code</c> (the contract's
/// section 3); validation failures are 400 <c>invalid-request</c> with <c>errors[{field, rule, message}]</c>.
/// </summary>
public static class PaymentProblems
{
    public const string InvalidRequest = "invalid-request", SignatureMissing = "signature-missing", SignatureInvalid = "signature-invalid",
        TimestampOutOfWindow = "timestamp-out-of-window", NonceReplayed = "nonce-replayed", ChannelUnknown = "channel-unknown",
        ChannelDisabled = "channel-disabled", ChannelNotPermitted = "channel-not-permitted", AccountNotFound = "account-not-found",
        TransactionNotFound = "transaction-not-found", DuplicateDiffers = "duplicate-transaction-differs", ReversalWindowClosed = "reversal-window-closed",
        DayClosed = "day-closed", AmountInvalid = "amount-invalid", AccountClosed = "account-closed", BodyTooLarge = "body-too-large",
        UnsupportedMediaType = "unsupported-media-type", ReceiptNotFound = "receipt-not-found", Contended = "contended", NotPosted = "payment-refused",
        KioskNotFound = "kiosk-not-found", ChannelIdTaken = "channel-id-taken";

    /// <summary>Every code an endpoint of the contract may answer, for the OpenAPI document.</summary>
    public static readonly IReadOnlyList<(string Code, int Status, string Meaning)> All =
    [
        (InvalidRequest, 400, "A field breaks a rule; see errors[{field, rule, message}]."),
        (SignatureMissing, 401, "A signing header is missing."),
        (SignatureInvalid, 401, "The signature (or the nonce's shape) is not valid."),
        (TimestampOutOfWindow, 401, "X-MTC-Timestamp is more than 300 s from the server's clock."),
        (NonceReplayed, 401, "The nonce was used by the channel within 15 minutes."),
        (ChannelUnknown, 401, "No such channel."),
        (ChannelDisabled, 403, "The channel is disabled."),
        (ChannelNotPermitted, 403, "The channel may not call this kind's endpoints."),
        (AccountNotFound, 404, "No such account."),
        (TransactionNotFound, 404, "No such transaction of the channel."),
        (ReceiptNotFound, 404, "No such receipt of the device."),
        (KioskNotFound, 404, "No such kiosk in the registry."),
        (DuplicateDiffers, 409, "The transaction id is already used with a different payload."),
        (ChannelIdTaken, 409, "The id is a configured bank or counter channel; it cannot be a kiosk."),
        (ReversalWindowClosed, 409, "The payment's day is closed (or the cashier closed out): it cannot be reversed."),
        (DayClosed, 409, "The channel date is closed (or the cashier closed out)."),
        (Contended, 409, "The account was written concurrently too often; nothing was posted, send it again."),
        (BodyTooLarge, 413, "The body is over 64 KiB."),
        (UnsupportedMediaType, 415, "The body must be application/json."),
        (AmountInvalid, 422, "The amount is ≤ 0, over 10,000,000.00 yuan or not whole fen."),
        (AccountClosed, 422, "The account is closed."),
        (NotPosted, 422, "The ledger refused the posting (see detail)."),
    ];

    public static ObjectResult Create(int status, string code, string detail, IReadOnlyList<ValidationError>? errors = null)
    {
        Dictionary<string, object?> extensions = new() { ["code"] = code };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        return Problems.Create(status, Title(status), detail, code, extensions);
    }

    public static ObjectResult Invalid(IReadOnlyList<ValidationError> errors) =>
        Create(StatusCodes.Status400BadRequest, InvalidRequest, $"{errors.Count} field(s) broke a rule; see 'errors'.", errors);

    public static ObjectResult Invalid(string field, string rule, string message) => Invalid([new ValidationError(field, rule, message)]);

    static string Title(int status) => status switch
    {
        400 => "The request is not valid",
        401 => "The request is not authenticated",
        403 => "The channel may not do this",
        404 => "Not found",
        409 => "Conflict",
        413 => "The body is too large",
        415 => "Unsupported media type",
        422 => "The payment was refused",
        _ => "Error",
    };
}
