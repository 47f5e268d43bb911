using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>The service-counter API (营业厅), contract section 6: payments with cashier and tender, reversals, close-outs. Signed like the bank's.</summary>
public sealed class CounterFunctions(ChannelRequestVerifier verifier, ChannelAccounts accounts, PaymentPoster poster, DayCloser closer)
{
    /// <summary>Posts a counter payment (the bank payment plus cashierId and tender); idempotent on channelTxnId; refused once the cashier closed out the day.</summary>
    [Function(nameof(CounterPay))]
    public async Task<IActionResult> CounterPay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/payments")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Counter, ct);
        if (refused is not null)
        {
            return refused;
        }

        (CounterPaymentRequest? body, ObjectResult? bad) = PaymentRequests.Parse<CounterPaymentRequest>(request, verified!.Body);
        if (bad is not null)
        {
            return bad;
        }

        (ChannelPayment? payment, ObjectResult? invalid) = PaymentRequests.Counter(verified.Channel.Id, body!);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!await accounts.ExistsAsync(payment!.AccountNo, ct))
        {
            return BankFunctions.AccountNotFound(payment.AccountNo);
        }

        return ChannelResponses.From(request, await poster.PayAsync(verified.Channel, payment, null, ct));
    }

    /// <summary>Reverses a counter payment once; refused once the cashier's day is closed out.</summary>
    [Function(nameof(CounterReverse))]
    public async Task<IActionResult> CounterReverse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/payments/{channelTxnId}/reversal")] HttpRequest request,
        string channelTxnId)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Counter, ct);
        return refused ?? await BankFunctions.ReverseAsync(poster, request, verified!, channelTxnId, ct);
    }

    /// <summary>A cashier's close-out of a channel date: totals by tender and the transactions. Closing twice answers the same.</summary>
    [Function(nameof(CounterCloseOut))]
    public async Task<IActionResult> CounterCloseOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/close-outs")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Counter, ct);
        if (refused is not null)
        {
            return refused;
        }

        (CloseOutRequest? body, ObjectResult? bad) = PaymentRequests.Parse<CloseOutRequest>(request, verified!.Body);
        if (bad is not null)
        {
            return bad;
        }

        List<ValidationError> errors = [];
        string? cashier = PaymentRequests.CashierId(body!.CashierId, errors);
        DateOnly? day = PaymentRequests.Day(body.ChannelDate, "channelDate", errors);
        return errors.Count > 0 ? PaymentProblems.Invalid(errors) : ChannelResponses.Json(await closer.CloseOutAsync(verified.Channel, cashier!, day!.Value, ct));
    }
}
