using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The bank collection API (代收), contract section 4. Anonymous at the Functions level: every request runs the channel
/// pipeline (<see cref="ChannelEndpoint"/>), which verifies its signature before anything else.
/// </summary>
public sealed class BankFunctions(ChannelEndpoint endpoint, DayCloser closer)
{
    /// <summary>An account's arrears oldest first, its credit or prepaid balance and what clears it, with the name masked.</summary>
    [Function(nameof(BankQueryAccount))]
    public Task<IActionResult> BankQueryAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/bank/accounts/{accountNo}")] HttpRequest request,
        string accountNo) =>
        endpoint.QueryAsync(request, ChannelKind.Bank, accountNo, withRecentBills: false);

    /// <summary>Posts a payment: oldest bill first, late fee before principal, the rest credit (postpaid) or balance (prepaid). Idempotent on channelTxnId.</summary>
    [Function(nameof(BankPay))]
    public Task<IActionResult> BankPay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/payments")] HttpRequest request) =>
        endpoint.PayAsync<BankPaymentRequest>(request, ChannelKind.Bank, PaymentRequests.Bank);

    /// <summary>Reverses (冲正) a payment once; repeats answer the same; refused once its channel date is closed.</summary>
    [Function(nameof(BankReverse))]
    public Task<IActionResult> BankReverse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/payments/{channelTxnId}/reversal")] HttpRequest request,
        string channelTxnId) =>
        endpoint.ReverseAsync(request, ChannelKind.Bank, channelTxnId);

    /// <summary>Closes a channel date: its payments and reversals counted; payments for it are refused from then on. Closing twice answers the same.</summary>
    [Function(nameof(BankCloseDay))]
    public Task<IActionResult> BankCloseDay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/bank/days/{channelDate}/close")] HttpRequest request,
        string channelDate) =>
        endpoint.RunAsync(request, ChannelKind.Bank, async (verified, ct) =>
        {
            List<ValidationError> errors = [];
            DateOnly? day = PaymentRequests.Day(channelDate, "channelDate", errors);
            return day is null ? PaymentProblems.Invalid(errors) : ChannelResponses.Json(await closer.CloseDayAsync(verified.Channel, day.Value, ct));
        });
}
