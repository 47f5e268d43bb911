using System.Globalization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// The self-service kiosk API (自助缴费终端), contract section 5. Each kiosk is its own channel (its device id), signed
/// with its own secret; <c>(deviceId, deviceSeq)</c> is the idempotency key and the channel date is the China-local day
/// the kiosk took the money.
/// </summary>
public sealed class KioskFunctions(ChannelEndpoint endpoint, ChannelAccounts accounts, PaymentStore store)
{
    /// <summary>An account as the bank query answers it, plus its last 6 bills.</summary>
    [Function(nameof(KioskQueryAccount))]
    public Task<IActionResult> KioskQueryAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/accounts/{accountNo}")] HttpRequest request,
        string accountNo) =>
        endpoint.QueryAsync(request, ChannelKind.Kiosk, accountNo, withRecentBills: true);

    /// <summary>The account of a meter (<c>?meterNo=</c>), as <see cref="KioskQueryAccount"/> answers it.</summary>
    [Function(nameof(KioskQueryByMeter))]
    public Task<IActionResult> KioskQueryByMeter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/accounts")] HttpRequest request) =>
        endpoint.RunAsync(request, ChannelKind.Kiosk, async (_, ct) =>
        {
            string? meterNo = request.Query["meterNo"].Count == 1 ? request.Query["meterNo"][0] : null;
            if (!MeterId.TryParse(meterNo, out MeterId _))
            {
                return PaymentProblems.Invalid("meterNo", "meter-number-format", "'meterNo' is required once: 1–32 letters, digits or '-'.");
            }

            string? accountNo = await accounts.OwnerOfMeterAsync(meterNo!, ct);
            return accountNo is null
                ? PaymentProblems.Create(StatusCodes.Status404NotFound, PaymentProblems.AccountNotFound, $"No account holds meter {meterNo}.")
                : await endpoint.AnswerAccountAsync(accountNo, withRecentBills: true, ct);
        });

    /// <summary>A top-up (or payment) taken by the kiosk; a prepaid account's balance rises by what is not owed.</summary>
    [Function(nameof(KioskTopUp))]
    public Task<IActionResult> KioskTopUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/kiosk/top-ups")] HttpRequest request) =>
        endpoint.PayAsync<KioskTopUpRequest>(request, ChannelKind.Kiosk, (deviceId, body) => PaymentRequests.Kiosk(deviceId, body));

    /// <summary>
    /// An offline kiosk's batch (≤ 500, in its own order): each item Posted, Duplicate (sent before with the same payload)
    /// or Rejected with its problem code; and the gaps: sequence numbers of the device never received.
    /// </summary>
    [Function(nameof(KioskSync))]
    public Task<IActionResult> KioskSync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/kiosk/sync")] HttpRequest request) =>
        endpoint.RunAsync<KioskSyncRequest>(request, ChannelKind.Kiosk, async (verified, body, ct) =>
        {
            if (body.Transactions is not { Count: > 0 and <= PaymentRequests.MaxSyncItems } items)
            {
                return PaymentProblems.Invalid("transactions", "count", $"'transactions' is required: 1–{PaymentRequests.MaxSyncItems} top-ups.");
            }

            List<SyncItemAnswer> answers = [];
            for (int i = 0; i < items.Count; i++)
            {
                answers.Add(await SyncItemAsync(verified.Channel, items[i], i, ct));
            }

            IReadOnlyList<string> keys = await store.KeysAsync(verified.Channel.Id, ct);
            List<SequenceGapAnswer> gaps = [.. SequenceGaps.Find(keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture))).Select(g => new SequenceGapAnswer(g.From, g.To))];
            return ChannelResponses.Json(new KioskSyncAnswer(verified.Channel.Id, answers, gaps));
        });

    /// <summary>A receipt again (re-print): only the calling device's own receipts; any other is 404 <c>receipt-not-found</c>.</summary>
    [Function(nameof(KioskReceipt))]
    public Task<IActionResult> KioskReceipt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/kiosk/receipts/{receiptNo}")] HttpRequest request,
        string receiptNo) =>
        endpoint.RunAsync(request, ChannelKind.Kiosk, async (verified, ct) =>
        {
            string prefix = verified.Channel.Id + "-";
            string key = receiptNo.StartsWith(prefix, StringComparison.Ordinal) ? receiptNo[prefix.Length..] : string.Empty;
            TxnRecord? record = key.Length == 12 && key.All(char.IsAsciiDigit) ? await store.FindAsync(verified.Channel.Id, key, ct) : null;
            return record?.Answer is { } answer
                ? ChannelResponses.Json(answer)
                : PaymentProblems.Create(StatusCodes.Status404NotFound, PaymentProblems.ReceiptNotFound, "This device has no such receipt.");
        });

    // One sync item through the same validation and posting as a top-up; its refusal becomes the item's code.
    async Task<SyncItemAnswer> SyncItemAsync(PaymentChannel kiosk, KioskTopUpRequest? item, int index, CancellationToken ct)
    {
        if (item is null)
        {
            return new(null, "Rejected", PaymentProblems.InvalidRequest, null, null);
        }

        (PaymentOrder? order, ObjectResult? invalid) = PaymentRequests.Kiosk(kiosk.Id, item, $"transactions[{index}].");
        if (invalid is not null)
        {
            return new(PaymentRequests.DeviceSeqOf(item), "Rejected", (invalid.Value as ProblemDetails)?.Extensions["code"]?.ToString() ?? PaymentProblems.InvalidRequest, null, null);
        }

        PaymentReply reply = await endpoint.PostAsync(kiosk, order!, ct);
        return reply.Answer is null
            ? new(order!.DeviceSeq, "Rejected", reply.Code, null, null)
            : new(order!.DeviceSeq, reply.Replayed ? "Duplicate" : "Posted", null, order.Payment.PaymentId, order.Payment.ReceiptNo);
    }
}
