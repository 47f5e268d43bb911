using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The bank collection API (代收), contract section 4. Anonymous at the Functions level: every request is authenticated
/// by its channel signature (<see cref="ChannelRequestVerifier"/>) before anything else runs.
/// </summary>
public sealed class BankFunctions(ChannelRequestVerifier verifier, ChannelAccounts accounts, PaymentPoster poster, DayCloser closer)
{
    /// <summary>An account's arrears oldest first, its credit or prepaid balance and what clears it, with the name masked.</summary>
    [Function(nameof(BankQueryAccount))]
    public async Task<IActionResult> BankQueryAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/bank/accounts/{accountNo}")] HttpRequest request,
        string accountNo)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Bank, ct);
        return refused ?? await QueryAsync(accounts, accountNo, withRecentBills: false, ct);
    }

    /// <summary>Posts a payment: oldest bill first, late fee before principal, the rest credit (postpaid) or balance (prepaid). Idempotent on channelTxnId.</summary>
    [Function(nameof(BankPay))]
    public async Task<IActionResult> BankPay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/payments")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Bank, ct);
        if (refused is not null)
        {
            return refused;
        }

        (BankPaymentRequest? body, ObjectResult? bad) = PaymentRequests.Parse<BankPaymentRequest>(request, verified!.Body);
        if (bad is not null)
        {
            return bad;
        }

        (ChannelPayment? payment, ObjectResult? invalid) = PaymentRequests.Bank(verified.Channel.Id, body!);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!await accounts.ExistsAsync(payment!.AccountNo, ct))
        {
            return AccountNotFound(payment.AccountNo);
        }

        return ChannelResponses.From(request, await poster.PayAsync(verified.Channel, payment, null, ct));
    }

    /// <summary>Reverses (冲正) a payment once; repeats answer the same; refused once its channel date is closed.</summary>
    [Function(nameof(BankReverse))]
    public async Task<IActionResult> BankReverse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/payments/{channelTxnId}/reversal")] HttpRequest request,
        string channelTxnId)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Bank, ct);
        return refused ?? await ReverseAsync(poster, request, verified!, channelTxnId, ct);
    }

    /// <summary>Closes a channel date: its payments and reversals counted; payments for it are refused from then on. Closing twice answers the same.</summary>
    [Function(nameof(BankCloseDay))]
    public async Task<IActionResult> BankCloseDay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/days/{channelDate}/close")] HttpRequest request,
        string channelDate)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Bank, ct);
        if (refused is not null)
        {
            return refused;
        }

        List<ValidationError> errors = [];
        DateOnly? day = PaymentRequests.Day(channelDate, "channelDate", errors);
        return errors.Count > 0 ? PaymentProblems.Invalid(errors) : ChannelResponses.Json(await closer.CloseDayAsync(verified!.Channel, day!.Value, ct));
    }

    internal static async Task<IActionResult> QueryAsync(ChannelAccounts accounts, string accountNo, bool withRecentBills, CancellationToken ct)
    {
        List<ValidationError> errors = [];
        if (PaymentRequests.AccountNo(accountNo, errors) is null)
        {
            return PaymentProblems.Invalid(errors);
        }

        AccountAnswer? answer = await accounts.QueryAsync(accountNo, withRecentBills, ct);
        return answer is null ? AccountNotFound(accountNo) : ChannelResponses.Json(answer);
    }

    internal static async Task<IActionResult> ReverseAsync(PaymentPoster poster, HttpRequest request, VerifiedRequest verified, string key, CancellationToken ct)
    {
        List<ValidationError> errors = [];
        if (PaymentRequests.TxnId(key, "channelTxnId", errors) is null)
        {
            return PaymentProblems.Invalid(errors);
        }

        (ReversalRequest? body, ObjectResult? bad) = PaymentRequests.Parse<ReversalRequest>(request, verified.Body);
        if (bad is not null)
        {
            return bad;
        }

        string? reason = PaymentRequests.Reason(body!.Reason, errors);
        return errors.Count > 0 ? PaymentProblems.Invalid(errors) : ChannelResponses.From(request, await poster.ReverseAsync(verified.Channel, key, reason!, ct));
    }

    internal static ObjectResult AccountNotFound(string accountNo) =>
        PaymentProblems.Create(404, PaymentProblems.AccountNotFound, $"No account {accountNo}.");
}
