using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.MeterData;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// Closes a bank's channel date, or a cashier's counter day. The closing row is written first (Closing: new payments and
/// reversals of that day are refused from then on), then the day's pending transactions are waited for (each finishes or
/// withdraws; one older than the stale age is resolved here), then the totals are read from the journal and stored with
/// the row (Closed). Closing again answers the stored totals.
/// </summary>
public sealed class DayCloser(PaymentStore store, PaymentPoster poster, TimeProvider time, IOptions<PaymentOptions> options, ILogger<DayCloser> logger)
{
    public async Task<string> CloseDayAsync(PaymentChannel channel, DateOnly day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        string rowKey = PaymentStore.DayRow(day);
        if (await store.FindDayAsync(channel.Id, rowKey, ct) is { Status: PaymentStore.Closed, Answer: { } done })
        {
            return done;
        }

        await store.StartClosingAsync(channel.Id, rowKey, ct);
        await SettleAsync(channel, day, null, ct);
        IReadOnlyList<TableEntity> journal = await store.JournalAsync(channel.Id, day, ct);
        (int count, long amount, int reversedCount, long reversed) = Totals(journal);
        DayCloseAnswer answer = new(channel.Id, PaymentStore.Day(day), count, amount, reversedCount, reversed, time.GetUtcNow().ToOffset(ChinaTime.Offset));
        string stored = await store.EndClosingAsync(channel.Id, rowKey, JsonSerializer.Serialize(answer, PaymentPoster.AnswerJson), ct);
        logger.DayClosed(channel.Id, PaymentStore.Day(day), count, amount, reversedCount, reversed);
        return stored;
    }

    public async Task<string> CloseOutAsync(PaymentChannel channel, string cashierId, DateOnly day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        string rowKey = PaymentStore.CloseOutRow(day, cashierId);
        if (await store.FindDayAsync(channel.Id, rowKey, ct) is { Status: PaymentStore.Closed, Answer: { } done })
        {
            return done;
        }

        await store.StartClosingAsync(channel.Id, rowKey, ct);
        await SettleAsync(channel, day, cashierId, ct);
        List<TableEntity> journal = [.. (await store.JournalAsync(channel.Id, day, ct)).Where(r => r.GetString("CashierId") == cashierId)];
        (int count, long amount, int reversedCount, long reversed) = Totals(journal);
        HashSet<string> reversedKeys = [.. journal.Where(r => r.GetString("Type") == "Reversal").Select(r => r.GetString("Key"))];
        List<TableEntity> payments = [.. journal.Where(r => r.GetString("Type") == "Payment")];
        List<TenderTotalAnswer> byTender = [.. payments.Where(p => !reversedKeys.Contains(p.GetString("Key")))
            .GroupBy(p => p.GetString("Tender") ?? "Cash")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TenderTotalAnswer(g.Key, g.Count(), g.Sum(p => p.GetInt64("AmountFen") ?? 0)))];
        List<CloseOutTransactionAnswer> transactions = [.. payments.Select(p => new CloseOutTransactionAnswer(
            p.GetString("Key"),
            p.GetString("AccountNo"),
            p.GetInt64("AmountFen") ?? 0,
            p.GetString("Tender") ?? "Cash",
            reversedKeys.Contains(p.GetString("Key")) ? PaymentStore.Reversed : PaymentStore.Posted,
            DateTimeOffset.Parse(p.GetString("PaidAt"), System.Globalization.CultureInfo.InvariantCulture)))];
        CloseOutAnswer answer = new(channel.Id, cashierId, PaymentStore.Day(day), count, amount, reversedCount, reversed, byTender, transactions, time.GetUtcNow().ToOffset(ChinaTime.Offset));
        string stored = await store.EndClosingAsync(channel.Id, rowKey, JsonSerializer.Serialize(answer, PaymentPoster.AnswerJson), ct);
        logger.DayClosed(channel.Id, $"{PaymentStore.Day(day)} for cashier {cashierId}", count, amount, reversedCount, reversed);
        return stored;
    }

    // Waits for the day's in-flight transactions (they finish or withdraw within a request's time); what is still pending
    // after the stale age was left by a crashed request and is resolved here.
    async Task SettleAsync(PaymentChannel channel, DateOnly day, string? cashierId, CancellationToken ct)
    {
        DateTimeOffset giveUp = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.PendingStaleSeconds);
        while ((await poster.ResolveStaleAsync(channel, day, cashierId, all: time.GetUtcNow() > giveUp, ct)).Younger > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
        }
    }

    static (int Count, long AmountFen, int ReversedCount, long ReversedFen) Totals(IEnumerable<TableEntity> journal)
    {
        int count = 0, reversedCount = 0;
        long amount = 0, reversed = 0;
        foreach (TableEntity row in journal)
        {
            if (row.GetString("Type") == "Reversal")
            {
                reversedCount++;
                reversed += row.GetInt64("AmountFen") ?? 0;
            }
            else
            {
                count++;
                amount += row.GetInt64("AmountFen") ?? 0;
            }
        }

        return (count, amount, reversedCount, reversed);
    }
}
