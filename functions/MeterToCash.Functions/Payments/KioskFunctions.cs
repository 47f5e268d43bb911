using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The self-service kiosk API (自助缴费终端), contract section 5. Each kiosk is its own channel (its device id), signed
/// with its own secret; <c>(deviceId, deviceSeq)</c> is the idempotency key and the channel date is the China-local day
/// the kiosk took the money.
/// </summary>
public sealed class KioskFunctions(ChannelRequestVerifier verifier, ChannelAccounts accounts, PaymentPoster poster, PaymentStore store)
{
    /// <summary>An account as the bank query answers it, plus its last 6 bills.</summary>
    [Function(nameof(KioskQueryAccount))]
    public async Task<IActionResult> KioskQueryAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/accounts/{accountNo}")] HttpRequest request,
        string accountNo)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? _, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Kiosk, ct);
        return refused ?? await BankFunctions.QueryAsync(accounts, accountNo, withRecentBills: true, ct);
    }

    /// <summary>The account of a meter (<c>?meterNo=</c>), as <see cref="KioskQueryAccount"/> answers it.</summary>
    [Function(nameof(KioskQueryByMeter))]
    public async Task<IActionResult> KioskQueryByMeter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/accounts")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? _, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Kiosk, ct);
        if (refused is not null)
        {
            return refused;
        }

        string? meterNo = request.Query["meterNo"].Count == 1 ? request.Query["meterNo"][0] : null;
        if (!MeterId.TryParse(meterNo, out _))
        {
            return PaymentProblems.Invalid("meterNo", "meter-number-format", "'meterNo' is required once: 1–32 letters, digits or '-'.");
        }

        string? accountNo = await accounts.OwnerOfMeterAsync(meterNo!, ct);
        return accountNo is null
            ? PaymentProblems.Create(404, PaymentProblems.AccountNotFound, $"No account holds meter {meterNo}.")
            : await BankFunctions.QueryAsync(accounts, accountNo, withRecentBills: true, ct);
    }

    /// <summary>A top-up (or payment) taken by the kiosk; a prepaid account's balance rises by what is not owed.</summary>
    [Function(nameof(KioskTopUp))]
    public async Task<IActionResult> KioskTopUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/kiosk/top-ups")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Kiosk, ct);
        if (refused is not null)
        {
            return refused;
        }

        (KioskTopUpRequest? body, ObjectResult? bad) = PaymentRequests.Parse<KioskTopUpRequest>(request, verified!.Body);
        if (bad is not null)
        {
            return bad;
        }

        (ChannelPayment? payment, long? seq, ObjectResult? invalid) = PaymentRequests.Kiosk(verified.Channel.Id, body!);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!await accounts.ExistsAsync(payment!.AccountNo, ct))
        {
            return BankFunctions.AccountNotFound(payment.AccountNo);
        }

        return ChannelResponses.From(request, await poster.PayAsync(verified.Channel, payment, seq, ct));
    }

    /// <summary>
    /// An offline kiosk's batch (≤ 500, in its own order): each item Posted, Duplicate (sent before with the same payload)
    /// or Rejected with its problem code; and the gaps: sequence numbers of the device never received.
    /// </summary>
    [Function(nameof(KioskSync))]
    public async Task<IActionResult> KioskSync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/kiosk/sync")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Kiosk, ct);
        if (refused is not null)
        {
            return refused;
        }

        (KioskSyncRequest? body, ObjectResult? bad) = PaymentRequests.Parse<KioskSyncRequest>(request, verified!.Body);
        if (bad is not null)
        {
            return bad;
        }

        if (body!.Transactions is not { Count: > 0 and <= PaymentRequests.MaxSyncItems } items)
        {
            return PaymentProblems.Invalid("transactions", "count", $"'transactions' is required: 1–{PaymentRequests.MaxSyncItems} top-ups.");
        }

        List<SyncItemAnswer> answers = [];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                answers.Add(new(null, "Rejected", PaymentProblems.InvalidRequest, null, null));
                continue;
            }

            (ChannelPayment? payment, long? seq, ObjectResult? invalid) = PaymentRequests.Kiosk(verified.Channel.Id, item, $"transactions[{i}].");
            long? reportedSeq = seq ?? (item.DeviceSeq is decimal d && d == decimal.Truncate(d) && d is >= 1 and <= PaymentRequests.MaxDeviceSeq ? (long)d : null);
            if (invalid is not null)
            {
                answers.Add(new(reportedSeq, "Rejected", (invalid.Value as Microsoft.AspNetCore.Mvc.ProblemDetails)?.Extensions["code"]?.ToString() ?? PaymentProblems.InvalidRequest, null, null));
                continue;
            }

            if (!await accounts.ExistsAsync(payment!.AccountNo, ct))
            {
                answers.Add(new(seq, "Rejected", PaymentProblems.AccountNotFound, null, null));
                continue;
            }

            PaymentReply reply = await poster.PayAsync(verified.Channel, payment, seq, ct);
            answers.Add(reply.Answer is null
                ? new(seq, "Rejected", reply.Code, null, null)
                : new(seq, reply.Replayed ? "Duplicate" : "Posted", null, payment.PaymentId, payment.ReceiptNo));
        }

        IReadOnlyList<string> keys = await store.KeysAsync(verified.Channel.Id, ct);
        List<SequenceGapAnswer> gaps = [.. SequenceGaps.Find(keys.Select(k => long.Parse(k, System.Globalization.CultureInfo.InvariantCulture))).Select(g => new SequenceGapAnswer(g.From, g.To))];
        return ChannelResponses.Json(new KioskSyncAnswer(verified.Channel.Id, answers, gaps));
    }

    /// <summary>A receipt again (re-print): only the calling device's own receipts; any other is 404 <c>receipt-not-found</c>.</summary>
    [Function(nameof(KioskReceipt))]
    public async Task<IActionResult> KioskReceipt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/receipts/{receiptNo}")] HttpRequest request,
        string receiptNo)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (VerifiedRequest? verified, ObjectResult? refused) = await verifier.VerifyAsync(request, ChannelKind.Kiosk, ct);
        if (refused is not null)
        {
            return refused;
        }

        string prefix = verified!.Channel.Id + "-";
        string key = receiptNo.StartsWith(prefix, StringComparison.Ordinal) ? receiptNo[prefix.Length..] : string.Empty;
        TxnRecord? record = key.Length == 12 && key.All(char.IsAsciiDigit) ? await store.FindAsync(verified.Channel.Id, key, ct) : null;
        return record?.Answer is { } answer
            ? ChannelResponses.Json(answer)
            : PaymentProblems.Create(404, PaymentProblems.ReceiptNotFound, "This device has no such receipt.");
    }
}
