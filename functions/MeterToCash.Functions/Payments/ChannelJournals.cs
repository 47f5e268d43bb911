using System.Globalization;
using Azure.Data.Tables;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Payments;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Functions.Payments;

/// <summary>
/// What other features (reconciliation) may read of the payment channels, without reading the payment tables: whether a
/// channel exists, whether its channel date is closed, and the day's journal as the domain's
/// <see cref="ChannelJournalEntry"/> values (payment contract §7).
/// </summary>
public sealed class ChannelJournals(PaymentStore store, ChannelDirectory directory, TimeProvider time)
{
    /// <summary>The channel's kind, or null when no channel (configured bank or counter, registered kiosk) has this id.</summary>
    public async Task<ChannelKind?> KindAsync(string channelId, CancellationToken ct) =>
        ChannelRequestSigner.IsChannelId(channelId) && await directory.FindAsync(channelId, ct) is { } channel ? channel.Kind : null;

    /// <summary>
    /// Whether the channel's <paramref name="channelDate"/> is closed: for a bank, its day close has finished (the
    /// journal is final); for a counter or a kiosk, which close per cashier or not at all, the China-local day has ended.
    /// </summary>
    public async Task<bool> IsDayClosedAsync(string channelId, DateOnly channelDate, CancellationToken ct)
    {
        ChannelKind? kind = await KindAsync(channelId, ct);
        if (kind == ChannelKind.Bank)
        {
            return await store.FindDayAsync(channelId, PaymentStore.DayRow(channelDate), ct) is { Status: PaymentStore.Closed };
        }

        return kind is not null && ChinaTime.LocalDay(time.GetUtcNow()) > channelDate;
    }

    /// <summary>
    /// The channel's journal of <paramref name="channelDate"/>: every payment and reversal, in key order, with the ledger
    /// entry each posted (<see cref="ChannelJournalEntry.EntryId"/>).
    /// </summary>
    public async Task<IReadOnlyList<ChannelJournalEntry>> EntriesAsync(string channelId, DateOnly channelDate, CancellationToken ct)
    {
        IReadOnlyList<TableEntity> rows = await store.JournalAsync(channelId, channelDate, ct);
        return [.. rows.Select(Entry)];
    }

    static ChannelJournalEntry Entry(TableEntity row)
    {
        ReconTxnType type = row.GetString("Type") == "Reversal" ? ReconTxnType.Rev : ReconTxnType.Pay;
        string key = row.GetString("Key");
        return new ChannelJournalEntry(
            row.GetString("EntryId"),
            key,
            row.GetString("AccountNo"),
            row.GetInt64("AmountFen") ?? 0,
            type,
            DateTimeOffset.ParseExact(row.GetString("PaidAt"), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }
}
