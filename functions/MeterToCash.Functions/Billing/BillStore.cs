using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Billing;

/// <summary>A stored bill with its status and the ETag its status changes are conditional on.</summary>
public sealed record BillEntry(StoredBill Bill, BillStatus Status, string? StatusBy, DateTimeOffset? StatusAt, ETag ETag);

/// <summary>
/// What a cycle reads of an account's earlier bill: its id, period start, revision, status and billed kWh (the
/// determinants' total, kWh after the multiplier; null when the bill has none, e.g. one held for missing data).
/// </summary>
public sealed record EarlierBill(string BillId, DateOnly PeriodStart, int Revision, BillStatus Status, decimal? TotalKwh)
{
    /// <summary>The summary of a bill read whole.</summary>
    public static EarlierBill Of(BillEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Bill.BillId, entry.Bill.PeriodStart, entry.Bill.Revision, entry.Status, entry.Bill.Determinants?.TotalKwh);
    }
}

/// <summary>A cycle's record of one account: which bill, its status and total, the reasons it was held.</summary>
public sealed record CycleBill(string AccountNo, string BillId, BillStatus Status, long TotalFen, IReadOnlyList<BillReason> Reasons);

/// <summary>
/// Bills and the cycles' account lists.
/// <para><b>Bills</b>: PartitionKey = account number, RowKey = <c>{period start yyyyMMdd}-r{revision:D2}|{account}</c>, so an
/// account's bills are one partition query in period order (statements, year-to-date kWh, the last twelve months for
/// the checks), a cycle batch's accounts one range query over their partitions (<see cref="ListEarlierManyAsync"/>), and a bill is a point read from its id <c>{account}-{yyyyMMdd}-r{nn}</c>. The row key ends with the
/// account, as the ledger's do, so no two accounts' bills share one: Azurite looks a row up by RowKey and then compares
/// every row with that RowKey, and with a shared <c>{period}-r01</c> each bill insert compared every bill of the period.
/// On Azure the suffix costs only bytes. Rows without it, from a local store written before, are not read: start such a
/// store afresh (<c>FRESH=1 ./run.sh</c>). The document (the
/// <see cref="StoredBill"/> as JSON, gzipped into a binary column: lines and sources run to tens of KB) is written once
/// with Add and never replaced; only <c>Status</c>, <c>StatusBy</c> and <c>StatusAt</c> change, once, under the entity's
/// ETag. Beside it the row carries <c>TotalKwh</c> (the determinants' total as an invariant decimal string, empty when the
/// bill has none), so a cycle reads an account's history as <see cref="EarlierBill"/>s with a <c>$select</c> of
/// <c>Status</c> and <c>TotalKwh</c>, without the documents; a row written before the column is read whole.</para>
/// <para><b>BillingCycleBills</b>: PartitionKey = cycle id, RowKey = account: the cycle's progress and its held bills are
/// one partition query; written with upsert after the bill, so a rerun of a batch rewrites the same rows.</para>
/// <para><b>Bill-ready outbox</b>: when a bill becomes Issued on its own (stored Issued alone by <see cref="AddAsync"/>: a
/// rebill, or a cycle batch issuing a single bill; or released in review), a row
/// <c>o~{bill row key}</c> holding its <see cref="BillNotification"/> is written in the bill's partition in the same
/// entity-group transaction as the bill row (Add) or its status change (Merge under the ETag): the change is never stored
/// without its notification, nor notified without being stored. The message is sent to the queue
/// <see cref="NotificationQueue"/> right after the write and the row deleted; <see cref="DrainOutboxAsync"/> (timer
/// <c>DrainBillOutbox</c>) sends what a crash left behind. Delivery is at least once: consumers deduplicate on the bill id
/// (a bill is issued once).</para>
/// <para><b>BillOutbox</b> (batch outbox): a cycle's batch stores its bills with <see cref="AddManyAsync"/>, which writes
/// instead of a row per bill one row per 200 bills it is about to store as Issued (PartitionKey = cycle id, RowKey = a
/// fresh id per write, the bill ids in one column) before any of them, then adds each bill alone (no transaction), sends
/// each one it stored and deletes the row: per issued bill the add and the send, per batch the row's add and delete,
/// where the per-bill outbox costs a two-row transaction, the send and the row's delete per bill. The drain sends, for a
/// row a crash left, the message of every listed bill that is stored and Issued (a listed bill that was never stored is
/// never notified, nor one cancelled since), so the change is still never stored without its notification, nor notified without being stored. A bill
/// found stored already (a rerun) is not sent again: the write that stored it was covered by its own row.</para>
/// <para><b>BillsDue</b>: PartitionKey = due date <c>yyyyMMdd</c>, RowKey = bill id: the index of charged bills that may
/// still owe, so the late-fee run reads the due dates before a day without scanning accounts. Written (upsert) before a
/// bill's charge is posted, deleted by the late-fee run once the ledger shows the bill's principal paid or its charge
/// reversed.</para>
/// <para>The four tables and the queue are created once at start-up (<see cref="Infrastructure.StorageStartup"/>).</para>
/// </summary>
public sealed class BillStore(TableServiceClient tables, QueueServiceClient queues, ILogger<BillStore> logger)
{
    public const string BillsTable = "Bills", CycleBillsTable = "BillingCycleBills", DueTable = "BillsDue", OutboxTable = "BillOutbox", NotificationQueue = "bill-notifications";
    const string OutboxPrefix = "o~", OutboxEnd = "o\u007f", TotalKwhColumn = "TotalKwh";
    static readonly string[] EarlierColumns = ["Status", TotalKwhColumn];
    const int MaxTransaction = 100;

    /// <summary>Bill ids per batch outbox row: 200 ids of at most 64 characters stay under a string property's 32K characters.</summary>
    const int OutboxIdsPerRow = 200;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    readonly TableClient bills = tables.GetTableClient(BillsTable);
    readonly TableClient cycleBills = tables.GetTableClient(CycleBillsTable);
    readonly TableClient due = tables.GetTableClient(DueTable);
    readonly TableClient batchOutbox = tables.GetTableClient(OutboxTable);
    readonly QueueClient queue = queues.GetQueueClient(NotificationQueue);

    /// <summary>The id of an account's bill for the period starting on <paramref name="periodStart"/>, revision <paramref name="revision"/>.</summary>
    public static string BillId(string accountNo, DateOnly periodStart, int revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{accountNo}-{periodStart:yyyyMMdd}-r{revision:D2}");

    /// <summary>Splits a bill id into its account and row key; false for a string that is not one.</summary>
    public static bool TryParseBillId(string billId, out string accountNo, out string rowKey)
    {
        accountNo = rowKey = string.Empty;
        // {account}-{yyyyMMdd}-r{nn}: the account may itself contain '-', so split from the end.
        if (billId.Length < 14 || billId.Length > 64 || billId[^4] != '-' || billId[^3] != 'r' || billId[^13] != '-')
        {
            return false;
        }

        string day = billId[^12..^4], revision = billId[^2..];
        if (!DateOnly.TryParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || !int.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        accountNo = billId[..^13];
        rowKey = day + "-r" + revision + "|" + accountNo;
        return Domain.Archive.ArchiveValidator.IsKey(accountNo, Domain.Archive.ArchiveValidator.MaxAccountNoLength);
    }

    /// <summary>
    /// Stores a new bill (an Issued one with its outbox row, in one transaction, then notified); when its id is already
    /// stored (a rerun) answers the stored one and writes nothing.
    /// </summary>
    public async Task<BillEntry> AddAsync(StoredBill bill, BillStatus status, CancellationToken cancellationToken)
    {
        TableEntity entity = BillEntity(bill, status);
        try
        {
            if (status != BillStatus.Issued)
            {
                Response response = await bills.AddEntityAsync(entity, cancellationToken);
                return new BillEntry(bill, status, null, null, response.Headers.ETag ?? ETag.All);
            }

            Response<IReadOnlyList<Response>> written = await bills.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, entity),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxEntity(bill)),
                ],
                cancellationToken);
            await PublishAsync(bill, cancellationToken);
            return new BillEntry(bill, status, null, null, written.Value[0].Headers.ETag ?? ETag.All);
        }
        catch (Exception e) when (e is RequestFailedException { Status: 409 } or TableTransactionFailedException { Status: 409 })
        {
            return await FindAsync(bill.BillId, cancellationToken) ?? throw new InvalidOperationException($"Bill {bill.BillId} conflicted but cannot be read.", e);
        }
    }

    /// <summary>
    /// Stores the new bills of a cycle's batch (<paramref name="parallelism"/> at a time) and notifies the Issued ones it
    /// stored, through one batch outbox row per 200 of them (see the class remarks); a bill whose id is already stored
    /// (a rerun) comes back as stored, and nothing is written or sent for it. With fewer than two bills to issue the
    /// per-bill outbox of <see cref="AddAsync"/> costs fewer requests and is used instead. Answers in the order given.
    /// </summary>
    public async Task<BillEntry[]> AddManyAsync(IReadOnlyList<(StoredBill Bill, BillStatus Status)> made, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(made);
        BillEntry[] entries = new BillEntry[made.Count];
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        string[] issuing = [.. made.Where(m => m.Status == BillStatus.Issued).Select(m => m.Bill.BillId)];
        if (issuing.Length < 2)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, made.Count), inParallel, async (i, ct) => entries[i] = await AddAsync(made[i].Bill, made[i].Status, ct));
            return entries;
        }

        TableEntity[] outboxRows = [.. issuing.Chunk(OutboxIdsPerRow).Select(ids => new TableEntity(made[0].Bill.CycleId, Guid.NewGuid().ToString("N")) { ["BillIds"] = string.Join(',', ids) })];
        foreach (TableEntity row in outboxRows)
        {
            await batchOutbox.AddEntityAsync(row, cancellationToken);
        }

        int deferred = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, made.Count), inParallel, async (i, ct) =>
        {
            (StoredBill bill, BillStatus status) = made[i];
            TableEntity entity = BillEntity(bill, status);
            try
            {
                Response response = await bills.AddEntityAsync(entity, ct);
                entries[i] = new BillEntry(bill, status, null, null, response.Headers.ETag ?? ETag.All);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                entries[i] = await FindAsync(bill.BillId, ct) ?? throw new InvalidOperationException($"Bill {bill.BillId} conflicted but cannot be read.", e);
                return;
            }

            if (status == BillStatus.Issued && !await TrySendAsync(bill, ct))
            {
                Interlocked.Increment(ref deferred);
            }
        });

        if (deferred == 0)
        {
            foreach (TableEntity row in outboxRows)
            {
                await DeleteBatchOutboxAsync(row.PartitionKey, row.RowKey, cancellationToken);
            }
        }

        return entries;
    }

    /// <summary>A bill by id, or null.</summary>
    public async Task<BillEntry?> FindAsync(string billId, CancellationToken cancellationToken)
    {
        if (!TryParseBillId(billId, out string accountNo, out string rowKey))
        {
            return null;
        }

        NullableResponse<TableEntity> found = await bills.GetEntityIfExistsAsync<TableEntity>(accountNo, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <summary>Every bill of an account, oldest period first (all revisions).</summary>
    public async Task<IReadOnlyList<BillEntry>> ListAsync(string accountNo, CancellationToken cancellationToken)
    {
        // Bill row keys start with the period's digits; the outbox rows ("o~…") sort after them.
        List<TableEntity> rows = [];
        await foreach (TableEntity entity in bills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountNo} and RowKey lt {OutboxPrefix}"), cancellationToken: cancellationToken))
        {
            rows.Add(entity);
        }

        return BillsOf(accountNo, rows);
    }

    /// <summary>
    /// The bills among an account's rows below the outbox prefix, in row order. Rows without the account suffix are from
    /// a store written before it, and are not read (as the ledger's).
    /// </summary>
    static List<BillEntry> BillsOf(string accountNo, IEnumerable<TableEntity> rows) => [.. OwnRows(accountNo, rows).Select(Read)];

    /// <summary>The rows whose key ends with the account (<c>…|{account}</c>); rows without the suffix are from a store written before it.</summary>
    static IEnumerable<TableEntity> OwnRows(string accountNo, IEnumerable<TableEntity> rows)
    {
        string suffix = "|" + accountNo;
        return rows.Where(row => row.RowKey.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The earlier bills of each account in <paramref name="accountNos"/>, in their order (each list in the order
    /// <see cref="ListAsync"/> gives): range queries over the accounts' partitions
    /// (<see cref="Infrastructure.PartitionRange"/>) that return only the summary columns, then for each account with a
    /// row written before the summary column, its bills read whole (<see cref="ListAsync"/>, up to
    /// <paramref name="parallelism"/> at a time).
    /// </summary>
    public async Task<IReadOnlyList<EarlierBill>[]> ListEarlierManyAsync(IReadOnlyList<string> accountNos, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountNos);
        Infrastructure.PartitionRange.Rows read = await Infrastructure.PartitionRange.ReadAsync(
            bills, accountNos, TableClient.CreateQueryFilter($"RowKey lt {OutboxPrefix}"), EarlierColumns, cancellationToken);
        IReadOnlyList<EarlierBill>[] lists = new IReadOnlyList<EarlierBill>[accountNos.Count];
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, accountNos.Count), inParallel, async (i, ct) =>
            lists[i] = EarlierOf(accountNos[i], read.Of(accountNos[i]))
                ?? [.. (await ListAsync(accountNos[i], ct)).Select(EarlierBill.Of)]);
        return lists;
    }

    /// <summary>
    /// The summaries of an account's bill rows read with the summary columns (rows without the account suffix skipped, as
    /// in <see cref="BillsOf"/>); null when a bill row has no <c>TotalKwh</c> column.
    /// </summary>
    static List<EarlierBill>? EarlierOf(string accountNo, IEnumerable<TableEntity> rows)
    {
        List<EarlierBill> earlier = [];
        foreach (TableEntity row in OwnRows(accountNo, rows))
        {
            if (row.GetString(TotalKwhColumn) is not { } kwh)
            {
                return null;
            }

            // Row key {yyyyMMdd}-r{nn}|{account}.
            DateOnly periodStart = DateOnly.ParseExact(row.RowKey[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            int revision = int.Parse(row.RowKey.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture);
            earlier.Add(new EarlierBill(
                BillId(accountNo, periodStart, revision),
                periodStart,
                revision,
                Enum.Parse<BillStatus>(row.GetString("Status")!),
                kwh.Length == 0 ? null : decimal.Parse(kwh, NumberStyles.Number, CultureInfo.InvariantCulture)));
        }

        return earlier;
    }

    /// <summary>
    /// Moves a bill from <paramref name="from"/> to <paramref name="to"/>, conditional on its ETag (a concurrent change
    /// re-reads and decides again); false, with the bill as stored, when it was not in <paramref name="from"/>. A move to
    /// Issued writes the bill-ready outbox row in the same transaction, then notifies.
    /// </summary>
    public async Task<(bool Changed, BillEntry Entry)> SetStatusAsync(BillEntry entry, BillStatus from, BillStatus to, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (BillEntry current = entry; ;)
        {
            if (current.Status != from)
            {
                return (false, current);
            }

            TableEntity patch = new(current.Bill.AccountNo, RowKey(current.Bill)) { ["Status"] = to.ToString(), ["StatusBy"] = by, ["StatusAt"] = at };
            try
            {
                ETag? etag;
                if (to == BillStatus.Issued)
                {
                    Response<IReadOnlyList<Response>> written = await bills.SubmitTransactionAsync(
                        [
                            new TableTransactionAction(TableTransactionActionType.UpdateMerge, patch, current.ETag),
                            new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxEntity(current.Bill)),
                        ],
                        cancellationToken);
                    etag = written.Value[0].Headers.ETag;
                    await PublishAsync(current.Bill, cancellationToken);
                }
                else
                {
                    etag = (await bills.UpdateEntityAsync(patch, current.ETag, TableUpdateMode.Merge, cancellationToken)).Headers.ETag;
                }

                return (true, current with { Status = to, StatusBy = by, StatusAt = at, ETag = etag ?? current.ETag });
            }
            catch (Exception e) when (e is RequestFailedException { Status: 412 } or TableTransactionFailedException { Status: 412 })
            {
                current = await FindAsync(current.Bill.BillId, cancellationToken) ?? throw new InvalidOperationException($"Bill {current.Bill.BillId} vanished.", e);
            }
        }
    }

    /// <summary>
    /// Sends what the bill-ready outboxes still hold from before <paramref name="olderThan"/>: bills issued by a process
    /// that died before its send. Per-bill rows hold their message; a batch row's bills are each read and sent if stored
    /// and Issued. Scans over outbox rows only, which live for milliseconds in normal operation.
    /// </summary>
    public async Task<int> DrainOutboxAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        int sent = 0;
        string filter = TableClient.CreateQueryFilter($"RowKey gt {OutboxPrefix} and RowKey lt {OutboxEnd} and Timestamp lt {olderThan}");
        await foreach (TableEntity row in bills.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            await queue.SendMessageAsync(BinaryData.FromString(row.GetString("Message")), cancellationToken: cancellationToken);
            await DeleteOutboxAsync(row.PartitionKey, row.RowKey, cancellationToken);
            sent++;
        }

        await foreach (TableEntity row in batchOutbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Timestamp lt {olderThan}"), cancellationToken: cancellationToken))
        {
            foreach (string billId in (row.GetString("BillIds") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (await FindAsync(billId, cancellationToken) is { Status: BillStatus.Issued } stored)
                {
                    await queue.SendMessageAsync(BinaryData.FromString(OutboxEntity(stored.Bill).GetString("Message")), cancellationToken: cancellationToken);
                    sent++;
                }
            }

            await DeleteBatchOutboxAsync(row.PartitionKey, row.RowKey, cancellationToken);
        }

        return sent;
    }

    static TableEntity BillEntity(StoredBill bill, BillStatus status) => new(bill.AccountNo, RowKey(bill))
    {
        ["Document"] = Compress(bill),
        ["Status"] = status.ToString(),
        ["CycleId"] = bill.CycleId,
        ["TotalFen"] = bill.TotalFen,
        [TotalKwhColumn] = bill.Determinants?.TotalKwh.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// Indexes bills about to be charged under their due dates: upserts, one entity-group transaction per due date and
    /// 100 bills (a cycle's batch shares one due date, so usually one request), and a rerun rewrites the same rows.
    /// </summary>
    public async Task IndexDueAsync(IEnumerable<StoredBill> toCharge, CancellationToken cancellationToken)
    {
        foreach (StoredBill[] sameDay in toCharge.GroupBy(b => b.DueDate).SelectMany(g => g.DistinctBy(b => b.BillId).Chunk(MaxTransaction)))
        {
            await due.SubmitTransactionAsync(sameDay.Select(bill => new TableTransactionAction(TableTransactionActionType.UpsertReplace, DueEntity(bill))), cancellationToken);
        }
    }

    static TableEntity DueEntity(StoredBill bill) => new(bill.DueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), bill.BillId)
    {
        ["AccountNo"] = bill.AccountNo,
        ["TariffCode"] = bill.TariffCode,
        ["PeriodLastDay"] = bill.PeriodEnd.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>The indexed bills due before <paramref name="day"/> (exclusive), i.e. overdue on it, oldest due date first.</summary>
    public async IAsyncEnumerable<DueBill> DueBeforeAsync(DateOnly day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string before = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await foreach (TableEntity row in due.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey lt {before}"), cancellationToken: cancellationToken))
        {
            yield return new DueBill(
                row.RowKey,
                row.GetString("AccountNo"),
                DateOnly.ParseExact(row.PartitionKey, "yyyyMMdd", CultureInfo.InvariantCulture),
                row.GetString("TariffCode"),
                DateOnly.ParseExact(row.GetString("PeriodLastDay"), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Removes a bill from the due index (it owes no principal any more).</summary>
    public async Task RemoveDueAsync(DueBill bill, CancellationToken cancellationToken)
    {
        try
        {
            await due.DeleteEntityAsync(bill.DueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), bill.BillId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed concurrently.
        }
    }

    /// <summary>Sends a bill's notification and removes its outbox row; a failed send leaves the row for the drain.</summary>
    async Task PublishAsync(StoredBill bill, CancellationToken cancellationToken)
    {
        if (await TrySendAsync(bill, cancellationToken))
        {
            TableEntity outbox = OutboxEntity(bill);
            await DeleteOutboxAsync(outbox.PartitionKey, outbox.RowKey, cancellationToken);
        }
    }

    /// <summary>Sends a bill's notification; false (logged) when the send failed and the outbox row stays for the drain.</summary>
    async Task<bool> TrySendAsync(StoredBill bill, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendMessageAsync(BinaryData.FromString(OutboxEntity(bill).GetString("Message")), cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e)
        {
            logger.NotificationDeferred(bill.BillId, e.Message);
            return false;
        }
    }

    async Task DeleteBatchOutboxAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await batchOutbox.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Drained concurrently: sent twice at worst, which the consumer's dedup on the bill id absorbs.
        }
    }

    async Task DeleteOutboxAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await bills.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Drained concurrently: sent twice at worst, which the consumer's dedup on the bill id absorbs.
        }
    }

    /// <summary>The outbox row of a bill's issue: one per bill (a bill is issued once), holding the message as it will be sent.</summary>
    static TableEntity OutboxEntity(StoredBill bill)
    {
        BillNotification message = new(
            bill.BillId,
            bill.AccountNo,
            string.Create(CultureInfo.InvariantCulture, $"{bill.PeriodStart:yyyy-MM-dd}/{bill.PeriodEnd:yyyy-MM-dd}"),
            bill.TotalFen,
            bill.DueDate,
            $"/api/bills/{bill.BillId}/document");
        return new TableEntity(bill.AccountNo, OutboxPrefix + RowKey(bill)) { ["Message"] = JsonSerializer.Serialize(message, Json) };
    }

    /// <summary>
    /// Records (or re-records) accounts' bills in their cycle: upserts in entity-group transactions of up to 100 (the
    /// cycle is the partition), so a batch of accounts is one request and a rerun rewrites the same rows.
    /// </summary>
    public async Task RecordInCycleAsync(IEnumerable<CycleBill> records, string cycleId, CancellationToken cancellationToken)
    {
        foreach (CycleBill[] chunk in records.DistinctBy(r => r.AccountNo).Chunk(MaxTransaction))
        {
            await cycleBills.SubmitTransactionAsync(chunk.Select(record => new TableTransactionAction(TableTransactionActionType.UpsertReplace, CycleEntity(record, cycleId))), cancellationToken);
        }
    }

    static TableEntity CycleEntity(CycleBill record, string cycleId) => new(cycleId, record.AccountNo)
    {
        ["BillId"] = record.BillId,
        ["Status"] = record.Status.ToString(),
        ["TotalFen"] = record.TotalFen,
        ["Reasons"] = JsonSerializer.Serialize(record.Reasons, Json),
    };

    /// <summary>The accounts a cycle has billed so far.</summary>
    public async Task<IReadOnlyList<CycleBill>> CycleBillsAsync(string cycleId, CancellationToken cancellationToken)
    {
        List<CycleBill> found = [];
        await foreach (TableEntity e in cycleBills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycleId}"), cancellationToken: cancellationToken))
        {
            found.Add(new CycleBill(
                e.RowKey,
                e.GetString("BillId")!,
                Enum.Parse<BillStatus>(e.GetString("Status")!),
                e.GetInt64("TotalFen") ?? 0,
                JsonSerializer.Deserialize<List<BillReason>>(e.GetString("Reasons") ?? "[]", Json) ?? []));
        }

        return found;
    }

    static string RowKey(StoredBill bill) => string.Create(CultureInfo.InvariantCulture, $"{bill.PeriodStart:yyyyMMdd}-r{bill.Revision:D2}|{bill.AccountNo}");

    static BillEntry Read(TableEntity entity) => new(
        Decompress(entity.GetBinary("Document")),
        Enum.Parse<BillStatus>(entity.GetString("Status")!),
        entity.GetString("StatusBy"),
        entity.GetDateTimeOffset("StatusAt"),
        entity.ETag);

    static byte[] Compress(StoredBill bill)
    {
        using MemoryStream buffer = new();
        using (GZipStream gzip = new(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, bill, Json);
        }

        return buffer.Length <= 64 * 1024
            ? buffer.ToArray()
            : throw new InvalidOperationException($"Bill {bill.BillId} is {buffer.Length:N0} bytes compressed, more than a table property holds.");
    }

    static StoredBill Decompress(byte[] document)
    {
        using GZipStream gzip = new(new MemoryStream(document), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<StoredBill>(gzip, Json) ?? throw new InvalidOperationException("A stored bill reads as null.");
    }
}

/// <summary>A charged bill in the due index: which account, when it fell due, and the tariff whose late-fee rule applies.</summary>
public sealed record DueBill(string BillId, string AccountNo, DateOnly DueDate, string TariffCode, DateOnly PeriodLastDay);

/// <summary>
/// The message sent to <c>bill-notifications</c> when a bill is issued. <c>period</c> is <c>{first day}/{end}</c>, the
/// end exclusive (China-local days); <c>dueDate</c> is the last day without a late fee, inclusive; <c>documentUrl</c> is
/// relative to the API's base address. Sent at least once: deduplicate on <c>billId</c>.
/// </summary>
public sealed record BillNotification(string BillId, string AccountNo, string Period, long TotalFen, DateOnly DueDate, string DocumentUrl);
