using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The one request pipeline of every channel endpoint (contract sections 2–6), so the bank, kiosk and counter classes only
/// bind routes to operations:
/// <list type="number">
/// <item><b>Verify</b>: body size, signature, timestamp window, nonce, channel enabled and of the endpoint's kind
/// (<see cref="ChannelRequestVerifier"/>); nothing else runs for a refused request.</item>
/// <item><b>Parse</b>: the body strictly, with the payment validation vocabulary (<see cref="PaymentRequests"/>: 400
/// <c>invalid-request</c> naming field and rule, 415, 422 <c>amount-invalid</c>).</item>
/// <item><b>Check the account</b>: 404 <c>account-not-found</c> when the archive does not hold it, 422
/// <c>account-closed</c> when it is closed (<see cref="ChannelAccounts.StandingAsync"/>).</item>
/// <item><b>Run</b> the operation (post, reverse, query, close) and <b>answer</b> in the contract's shape: the stored
/// answer with <c>Idempotent-Replayed: true</c> on repeats, or a problem with its code (<see cref="ChannelResponses"/>).</item>
/// </list>
/// </summary>
public sealed class ChannelEndpoint(ChannelRequestVerifier verifier, ChannelAccounts accounts, PaymentPoster poster, PaymentStore store)
{
    /// <summary>Verifies the request as one of <paramref name="kind"/>'s and runs <paramref name="operation"/> on it.</summary>
    public async Task<IActionResult> RunAsync(HttpRequest request, ChannelKind kind, Func<VerifiedRequest, CancellationToken, Task<IActionResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(operation);
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, kind, ct);
        return refused ?? await operation(verified!, ct);
    }

    /// <summary>Verifies the request, parses its body as <typeparamref name="TBody"/> and runs <paramref name="operation"/> on both.</summary>
    public Task<IActionResult> RunAsync<TBody>(HttpRequest request, ChannelKind kind, Func<VerifiedRequest, TBody, CancellationToken, Task<IActionResult>> operation)
        where TBody : class =>
        RunAsync(request, kind, async (verified, ct) =>
        {
            (TBody? body, ObjectResult? bad) = PaymentRequests.Parse<TBody>(request, verified.Body);
            return bad ?? await operation(verified, body!, ct);
        });

    /// <summary>A payment endpoint: verify, parse, read the body as a payment with <paramref name="read"/>, check the account, post, answer.</summary>
    public Task<IActionResult> PayAsync<TBody>(HttpRequest request, ChannelKind kind, Func<string, TBody, (PaymentOrder? Order, ObjectResult? Problem)> read)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return RunAsync<TBody>(request, kind, async (verified, body, ct) =>
        {
            (PaymentOrder? order, ObjectResult? invalid) = read(verified.Channel.Id, body);
            return invalid ?? ChannelResponses.From(request, await PostAsync(verified.Channel, order!, ct));
        });
    }

    /// <summary>
    /// Posts <paramref name="order"/> once its account is known and open. A repeat of a transaction already recorded is
    /// posted (answered) whatever the account's state now, so the same payload always gets the original answer.
    /// </summary>
    public async Task<PaymentReply> PostAsync(PaymentChannel channel, PaymentOrder order, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(order);
        ChannelPayment payment = order.Payment;
        AccountStanding standing = await accounts.StandingAsync(payment.AccountNo, ct);
        if (standing != AccountStanding.Open && await store.FindAsync(channel.Id, payment.Key, ct) is null)
        {
            return standing == AccountStanding.Closed
                ? PaymentReply.Refused(StatusCodes.Status422UnprocessableEntity, PaymentProblems.AccountClosed, $"Account {payment.AccountNo} is closed: it takes no payments.")
                : PaymentReply.Refused(StatusCodes.Status404NotFound, PaymentProblems.AccountNotFound, $"No account {payment.AccountNo}.");
        }

        return await poster.PayAsync(channel, payment, order.DeviceSeq, ct);
    }

    /// <summary>An account query endpoint: verify, check the account number, answer the channel view (with the last 6 bills when <paramref name="withRecentBills"/>).</summary>
    public Task<IActionResult> QueryAsync(HttpRequest request, ChannelKind kind, string accountNo, bool withRecentBills) =>
        RunAsync(request, kind, (_, ct) => AnswerAccountAsync(accountNo, withRecentBills, ct));

    /// <summary>The channel view of an account: 400 for a malformed number, 404 <c>account-not-found</c>.</summary>
    public async Task<IActionResult> AnswerAccountAsync(string accountNo, bool withRecentBills, CancellationToken ct)
    {
        List<ValidationError> errors = [];
        if (PaymentRequests.AccountNo(accountNo, errors) is null)
        {
            return PaymentProblems.Invalid(errors);
        }

        AccountAnswer? answer = await accounts.QueryAsync(accountNo, withRecentBills, ct);
        return answer is null ? AccountNotFound(accountNo) : ChannelResponses.Json(answer);
    }

    /// <summary>A reversal endpoint: verify, check the transaction id, then the body's reason; reverse once (repeats answer the same).</summary>
    public Task<IActionResult> ReverseAsync(HttpRequest request, ChannelKind kind, string channelTxnId) =>
        RunAsync(request, kind, async (verified, ct) =>
        {
            List<ValidationError> errors = [];
            string? key = PaymentRequests.TxnId(channelTxnId, "channelTxnId", errors);
            if (key is null)
            {
                return PaymentProblems.Invalid(errors);
            }

            (ReversalRequest? body, ObjectResult? bad) = PaymentRequests.Parse<ReversalRequest>(request, verified.Body);
            string? reason = bad is null ? PaymentRequests.Reason(body!.Reason, errors) : null;
            return bad ?? (reason is null ? PaymentProblems.Invalid(errors) : ChannelResponses.From(request, await poster.ReverseAsync(verified.Channel, key, reason, ct)));
        });

    /// <summary>404 <c>account-not-found</c>.</summary>
    public static ObjectResult AccountNotFound(string accountNo) =>
        PaymentProblems.Create(StatusCodes.Status404NotFound, PaymentProblems.AccountNotFound, $"No account {accountNo}.");
}
