using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Payments;

/// <summary>A channel transaction's record as stored (the idempotency record of one payment and its reversal).</summary>
public sealed record TxnRecord(
    string ChannelId,
    string Key,
    string Fingerprint,
    string AccountNo,
    long AmountFen,
    DateOnly ChannelDate,
    string? CashierId,
    DateTimeOffset PaidAt,
    string? Tender,
    long? DeviceSeq,
    string Status,
    string? Answer,
    string? ReversalAnswer,
    bool ReversalRequested,
    ETag ETag);

/// <summary>A closing of a bank's day or a cashier's counter day, as stored: Closing while it waits for in-flight payments, then Closed with its answer.</summary>
public sealed record DayRecord(string Status, string? Answer, ETag ETag);

/// <summary>
/// The payment feature's tables.
/// <list type="bullet">
/// <item><c>ChannelTxns</c>, one partition per channel: <c>t|{key}</c> the transaction record (idempotency record: the
/// payload's fingerprint, status Pending → Posted → Reversed, the stored answers); <c>p|{key}</c> a pending marker while
/// the transaction has writes to finish; <c>day|{yyyy-MM-dd}</c> a bank day's closing; <c>close|{yyyy-MM-dd}|{cashier}</c>
/// a cashier's close-out.</item>
/// <item><c>ChannelJournal</c>, one partition per channel and channel date (<c>{channel}|{yyyy-MM-dd}</c>): <c>{key}|P</c>
/// a payment, <c>{key}|R</c> its reversal.</item>
/// <item><c>ChannelNonces</c>, one partition per channel: a row per nonce seen, with its expiry.</item>
/// <item><c>Kiosks</c>, partition <c>kiosk</c>: the device registry (location, operator, enabled, secret).</item>
/// </list>
/// All four are created once at start-up (<see cref="Infrastructure.StorageStartup"/>).
/// </summary>
public sealed class PaymentStore(TableServiceClient service)
{
    public const string TxnTable = "ChannelTxns", JournalTable = "ChannelJournal", NonceTable = "ChannelNonces", KioskTable = "Kiosks";

    public const string Pending = "Pending", Posted = "Posted", Reversed = "Reversed", Closing = "Closing", Closed = "Closed";

    public const string KioskPartition = "kiosk";

    readonly TableClient txns = service.GetTableClient(TxnTable);
    readonly TableClient journal = service.GetTableClient(JournalTable);
    readonly TableClient nonces = service.GetTableClient(NonceTable);
    readonly TableClient kiosks = service.GetTableClient(KioskTable);

    public TableClient Kiosks => kiosks;

    public TableClient Nonces => nonces;

    public static string TxnRow(string key) => "t|" + key;

    public static string PendingRow(string key) => "p|" + key;

    public static string DayRow(DateOnly day) => "day|" + Day(day);

    public static string CloseOutRow(DateOnly day, string cashierId) => $"close|{Day(day)}|{cashierId}";

    public static string JournalPartition(string channelId, DateOnly day) => $"{channelId}|{Day(day)}";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Claims a transaction key: adds its record (Pending) and its pending marker in one transaction. False when the key is
    /// already recorded (nothing written).
    /// </summary>
    public async Task<bool> ClaimAsync(TableEntity record, CancellationToken ct)
    {
        TableEntity marker = new(record.PartitionKey, "p|" + record.RowKey[2..])
        {
            ["ChannelDate"] = record.GetString("ChannelDate"),
            ["CashierId"] = record.GetString("CashierId"),
            ["Work"] = "Payment",
        };
        try
        {
            await txns.SubmitTransactionAsync([new(TableTransactionActionType.Add, record), new(TableTransactionActionType.Add, marker)], ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<TxnRecord?> FindAsync(string channelId, string key, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await txns.GetEntityIfExistsAsync<TableEntity>(channelId, TxnRow(key), cancellationToken: ct);
        return row.HasValue ? ToRecord(row.Value!) : null;
    }

    /// <summary>Marks the record's payment done: status Posted with its answer, and drops the pending marker, in one transaction. Writes the same whoever runs it.</summary>
    public async Task CompletePaymentAsync(string channelId, string key, string answer, CancellationToken ct)
    {
        TableEntity update = new(channelId, TxnRow(key)) { ["Status"] = Posted, ["Answer"] = answer };
        await FinishAsync(channelId, key, update, ct);
    }

    /// <summary>Marks a reversal requested (and the marker that says it has writes to finish), conditional on the record read.</summary>
    public async Task<bool> RequestReversalAsync(TxnRecord record, string reason, DateOnly channelDate, CancellationToken ct)
    {
        TableEntity update = new(record.ChannelId, TxnRow(record.Key)) { ["ReversalRequested"] = true, ["ReversalReason"] = reason };
        TableEntity marker = new(record.ChannelId, PendingRow(record.Key))
        {
            ["ChannelDate"] = Day(channelDate),
            ["CashierId"] = record.CashierId,
            ["Work"] = "Reversal",
        };
        try
        {
            await txns.SubmitTransactionAsync([new(TableTransactionActionType.UpdateMerge, update, record.ETag), new(TableTransactionActionType.UpsertReplace, marker)], ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Withdraws a reversal request that found its day closing: clears the flag and the marker (conditional on the record as this request left it).</summary>
    public async Task WithdrawReversalAsync(string channelId, string key, CancellationToken ct)
    {
        TableEntity update = new(channelId, TxnRow(key)) { ["ReversalRequested"] = false };
        await FinishAsync(channelId, key, update, ct);
    }

    /// <summary>Marks the reversal done: status Reversed with its answer, marker dropped, in one transaction.</summary>
    public async Task CompleteReversalAsync(string channelId, string key, string answer, CancellationToken ct)
    {
        TableEntity update = new(channelId, TxnRow(key)) { ["Status"] = Reversed, ["ReversalAnswer"] = answer, ["ReversalRequested"] = false };
        await FinishAsync(channelId, key, update, ct);
    }

    /// <summary>Deletes a claim that will not be posted (its day closed before anything else was written, or a crashed request's claim with no ledger entry), conditional on the record read.</summary>
    public async Task<bool> AbandonAsync(TxnRecord record, CancellationToken ct)
    {
        try
        {
            await txns.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Delete, new TableEntity(record.ChannelId, TxnRow(record.Key)), record.ETag),
                    new(TableTransactionActionType.Delete, new TableEntity(record.ChannelId, PendingRow(record.Key)), ETag.All),
                ],
                ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes a pending marker whose record is finished or gone.</summary>
    public async Task WithdrawMarkerAsync(string channelId, string key, CancellationToken ct)
    {
        try
        {
            await txns.DeleteEntityAsync(channelId, PendingRow(key), ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>Touches a record (a merge of nothing new, conditional on the ETag read) so a concurrent abandon of it fails; the new record, or null when it changed meanwhile.</summary>
    public async Task<TxnRecord?> TouchAsync(TxnRecord record, CancellationToken ct)
    {
        try
        {
            await txns.UpdateEntityAsync(new TableEntity(record.ChannelId, TxnRow(record.Key)) { ["TouchedAt"] = DateTimeOffset.UtcNow }, record.ETag, TableUpdateMode.Merge, ct);
            return await FindAsync(record.ChannelId, record.Key, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>The pending markers of a channel: key, channel date, cashier and when the marker was last written.</summary>
    public async Task<IReadOnlyList<(string Key, DateOnly ChannelDate, string? CashierId, DateTimeOffset Since)>> PendingAsync(string channelId, CancellationToken ct)
    {
        List<(string, DateOnly, string?, DateTimeOffset)> pending = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {channelId} and RowKey ge {"p|"} and RowKey lt {"p}"}");
        await foreach (TableEntity row in txns.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            pending.Add((row.RowKey[2..], DateOnly.ParseExact(row.GetString("ChannelDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture), row.GetString("CashierId"), row.Timestamp ?? DateTimeOffset.MinValue));
        }

        return pending;
    }

    /// <summary>The keys of every transaction record of a channel (a kiosk's sequence numbers).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string channelId, CancellationToken ct)
    {
        List<string> keys = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {channelId} and RowKey ge {"t|"} and RowKey lt {"t}"}");
        await foreach (TableEntity row in txns.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(row.RowKey[2..]);
        }

        return keys;
    }

    public async Task<DayRecord?> FindDayAsync(string channelId, string rowKey, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await txns.GetEntityIfExistsAsync<TableEntity>(channelId, rowKey, cancellationToken: ct);
        return row.HasValue ? new DayRecord(row.Value!.GetString("Status"), row.Value.GetString("Answer"), row.Value.ETag) : null;
    }

    /// <summary>Starts closing a day (or a cashier's close-out): the row as Closing unless it exists already.</summary>
    public async Task StartClosingAsync(string channelId, string rowKey, CancellationToken ct)
    {
        try
        {
            await txns.AddEntityAsync(new TableEntity(channelId, rowKey) { ["Status"] = Closing }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already closing or closed.
        }
    }

    /// <summary>Ends a closing with its answer; a closing already ended keeps the answer it has (the first one written).</summary>
    public async Task<string> EndClosingAsync(string channelId, string rowKey, string answer, CancellationToken ct)
    {
        DayRecord day = await FindDayAsync(channelId, rowKey, ct) ?? throw new InvalidOperationException($"Closing {channelId}/{rowKey} vanished.");
        if (day.Status == Closed)
        {
            return day.Answer!;
        }

        try
        {
            await txns.UpdateEntityAsync(new TableEntity(channelId, rowKey) { ["Status"] = Closed, ["Answer"] = answer }, day.ETag, TableUpdateMode.Replace, ct);
            return answer;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return (await FindDayAsync(channelId, rowKey, ct))!.Answer!;
        }
    }

    /// <summary>Writes a journal row (the same content whoever writes it, so an upsert is idempotent).</summary>
    public async Task WriteJournalAsync(TableEntity row, CancellationToken ct)
    {
        await journal.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    /// <summary>A channel's journal of one channel date, in key order.</summary>
    public async Task<IReadOnlyList<TableEntity>> JournalAsync(string channelId, DateOnly day, CancellationToken ct)
    {
        List<TableEntity> rows = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {JournalPartition(channelId, day)}");
        await foreach (TableEntity row in journal.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    async Task FinishAsync(string channelId, string key, TableEntity update, CancellationToken ct)
    {
        try
        {
            await txns.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateMerge, update, ETag.All),
                    new(TableTransactionActionType.Delete, new TableEntity(channelId, PendingRow(key)), ETag.All),
                ],
                ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // The marker is already gone (another completer finished first): merge the record alone.
            await txns.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, ct);
        }
    }

    static TxnRecord ToRecord(TableEntity row) => new(
        row.PartitionKey,
        row.RowKey[2..],
        row.GetString("Fingerprint"),
        row.GetString("AccountNo"),
        row.GetInt64("AmountFen") ?? 0,
        DateOnly.ParseExact(row.GetString("ChannelDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        row.GetString("CashierId"),
        DateTimeOffset.ParseExact(row.GetString("PaidAt"), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        row.GetString("Tender"),
        row.GetInt64("DeviceSeq"),
        row.GetString("Status"),
        row.GetString("Answer"),
        row.GetString("ReversalAnswer"),
        row.GetBoolean("ReversalRequested") ?? false,
        row.ETag);
}
