using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>The service-counter API (营业厅), contract section 6: payments with cashier and tender, reversals, close-outs. Signed like the bank's.</summary>
public sealed class CounterFunctions(ChannelEndpoint endpoint, DayCloser closer)
{
    /// <summary>Posts a counter payment (the bank payment plus cashierId and tender); idempotent on channelTxnId; refused once the cashier closed out the day.</summary>
    [Function(nameof(CounterPay))]
    public Task<IActionResult> CounterPay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/payments")] HttpRequest request) =>
        endpoint.PayAsync<CounterPaymentRequest>(request, ChannelKind.Counter, PaymentRequests.Counter);

    /// <summary>Reverses a counter payment once; refused once the cashier's day is closed out.</summary>
    [Function(nameof(CounterReverse))]
    public Task<IActionResult> CounterReverse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/payments/{channelTxnId}/reversal")] HttpRequest request,
        string channelTxnId) =>
        endpoint.ReverseAsync(request, ChannelKind.Counter, channelTxnId);

    /// <summary>A cashier's close-out of a channel date: totals by tender and the transactions. Closing twice answers the same.</summary>
    [Function(nameof(CounterCloseOut))]
    public Task<IActionResult> CounterCloseOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/counter/close-outs")] HttpRequest request) =>
        endpoint.RunAsync<CloseOutRequest>(request, ChannelKind.Counter, async (verified, body, ct) =>
        {
            List<ValidationError> errors = [];
            string? cashier = PaymentRequests.CashierId(body.CashierId, errors);
            DateOnly? day = PaymentRequests.Day(body.ChannelDate, "channelDate", errors);
            return errors.Count > 0 ? PaymentProblems.Invalid(errors) : ChannelResponses.Json(await closer.CloseOutAsync(verified.Channel, cashier!, day!.Value, ct));
        });
}
