using MeterToCash.Domain.Common;
using System.Globalization;
using Azure.Data.Tables;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Payments;

/// <summary>A channel's daily journal for operators and reconciliation (function key).</summary>
public sealed class JournalFunctions(PaymentStore store)
{
    /// <summary>Every payment and reversal of a channel on a channel date, in transaction-key order, with the day's totals (fen).</summary>
    [Function(nameof(GetChannelJournal))]
    public async Task<IActionResult> GetChannelJournal(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "channels/{channelId}/journal/{channelDate}")] HttpRequest request,
        string channelId,
        string channelDate)
    {
        List<ValidationError> errors = [];
        if (!ChannelRequestSigner.IsChannelId(channelId))
        {
            errors.Add(new("channelId", "code-format", "Channel ids are 3–32 of [A-Z0-9-]."));
        }

        DateOnly? day = PaymentRequests.Day(channelDate, "channelDate", errors);
        if (errors.Count > 0)
        {
            return PaymentProblems.Invalid(errors);
        }

        IReadOnlyList<TableEntity> rows = await store.JournalAsync(channelId, day!.Value, request.HttpContext.RequestAborted);
        List<JournalLineAnswer> lines = [.. rows.Select(r => new JournalLineAnswer(
            r.GetString("Type"),
            r.GetString("Key"),
            r.GetString("PaymentId"),
            r.GetString("AccountNo"),
            r.GetInt64("AmountFen") ?? 0,
            Instant(r.GetString("PaidAt")),
            Instant(r.GetString("PostedAt")),
            r.GetInt64("LedgerSequence") ?? 0,
            r.GetString("CashierId"),
            r.GetString("Tender"),
            r.GetString("Location"),
            r.GetString("Operator")))];
        List<JournalLineAnswer> payments = [.. lines.Where(l => l.Type == "Payment")], reversals = [.. lines.Where(l => l.Type == "Reversal")];
        return ChannelResponses.Json(new JournalAnswer(channelId, PaymentStore.Day(day.Value), payments.Count, payments.Sum(l => l.AmountFen), reversals.Count, reversals.Sum(l => l.AmountFen), lines));
    }

    static DateTimeOffset Instant(string text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToOffset(ChinaTime.Offset);
}
