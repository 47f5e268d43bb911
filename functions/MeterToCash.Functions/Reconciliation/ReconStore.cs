using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>
/// The reconciliation feature's storage, partitioned for how it is read:
/// <list type="bullet">
/// <item><c>ReconDays</c>, one partition <c>days</c>, RowKey <c>{yyyy-MM-dd}|{channelId}</c>: a channel day's current file
/// (id, version), whether it still waits to be matched (<c>Pending</c>), the file last matched, the totals per class and
/// how many differences are open. A summary over a date range is one range read of one partition. The same partition
/// holds the pending index, RowKey <c>pending|{yyyy-MM-dd}|{channelId}</c> (after every date, so date ranges never
/// see it): one row per channel day whose newest file waits to be matched, added in the entity-group transaction
/// that sets <c>Pending</c> and deleted in the one that clears it, so the scan reads only those rows.</item>
/// <item><c>ReconFiles</c>, partition <c>{channelId}|{yyyy-MM-dd}</c>, RowKey the file id: each version received.</item>
/// <item><c>ReconItems</c>, partition <c>{channelId}|{yyyy-MM-dd}|{fileId}</c> (one per file matched, so a superseding file's
/// items never mix with the old ones), RowKey <c>d|{itemId}</c> for a difference and <c>m|{itemId}</c> for a matched item:
/// the open differences of a day are one range read.</item>
/// <item><c>ReconDecisions</c>, partition <c>{channelId}|{yyyy-MM-dd}</c>, RowKey the item id: one decision per difference,
/// kept across reruns and file versions.</item>
/// <item>Blobs in <c>recon-files</c>: <c>files/{id}</c> the accepted bytes, <c>errors/{id}.json</c> their line errors,
/// <c>rejected/{id}</c> and <c>rejected/{id}.reason.json</c> a refused original and why.</item>
/// </list>
/// </summary>
public sealed class ReconStore(TableServiceClient tables, BlobServiceClient blobs)
{
    public const string DaysPartition = "days";

    /// <summary>Prefix of the pending index's RowKeys in <see cref="DaysPartition"/>; it sorts after every <c>yyyy-MM-dd</c>.</summary>
    public const string PendingPrefix = "pending|";

    const string DifferencePrefix = "d|", MatchedPrefix = "m|";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    readonly TableClient days = tables.GetTableClient(ReconNames.DaysTable);
    readonly TableClient files = tables.GetTableClient(ReconNames.FilesTable);
    readonly TableClient items = tables.GetTableClient(ReconNames.ItemsTable);
    readonly TableClient decisions = tables.GetTableClient(ReconNames.DecisionsTable);

    public BlobContainerClient Files { get; } = blobs.GetBlobContainerClient(ReconNames.Container);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DayRowKey(string channelId, DateOnly day) => $"{Day(day)}|{channelId}";

    public static string DayPartition(string channelId, DateOnly day) => $"{channelId}|{Day(day)}";

    /// <summary>The pending index row of a channel day: <c>pending|{yyyy-MM-dd}|{channelId}</c>.</summary>
    public static string PendingRowKey(string channelId, DateOnly day) => $"{PendingPrefix}{DayRowKey(channelId, day)}";

    public static string ItemsPartition(string channelId, DateOnly day, string fileId) => $"{channelId}|{Day(day)}|{fileId}";

    /// <summary>Stores a file's bytes under its id unless they are there (same id, same bytes).</summary>
    public async Task StoreFileAsync(string fileId, ReadOnlyMemory<byte> bytes, string contentType, CancellationToken ct)
    {
        BlobClient blob = Files.GetBlobClient(ReconNames.FileBlob(fileId));
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Stored before: the id is the bytes' hash.
        }
    }

    public async Task<byte[]> ReadFileAsync(string fileId, CancellationToken ct) =>
        (await Files.GetBlobClient(ReconNames.FileBlob(fileId)).DownloadContentAsync(ct)).Value.Content.ToArray();

    /// <summary>Keeps a refused file's original and its reason, and nothing else of it.</summary>
    public async Task StoreRejectedAsync(string fileId, ReadOnlyMemory<byte> bytes, ReconRefusal refusal, string origin, DateTimeOffset at, CancellationToken ct)
    {
        await Files.GetBlobClient(ReconNames.RejectedBlob(fileId)).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, ct);
        await Files.GetBlobClient(ReconNames.RejectedReasonBlob(fileId)).UploadAsync(BinaryData.FromObjectAsJson(new { fileId, refusal.Rule, refusal.Status, refusal.Message, origin, at }, Json), overwrite: true, ct);
    }

    public async Task StoreLineErrorsAsync(string fileId, IReadOnlyList<ReconLineError> errors, CancellationToken ct)
    {
        if (errors.Count > 0)
        {
            await Files.GetBlobClient(ReconNames.LineErrorsBlob(fileId)).UploadAsync(BinaryData.FromObjectAsJson(errors, Json), overwrite: true, ct);
        }
    }

    /// <summary>
    /// Records a file as the newest version of its channel day, once: the same file again answers its version and
    /// <c>Known</c>. The day row is claimed first (conditional on its ETag), then the file row is added, so two files
    /// arriving together get different versions and a crash between the two writes is repaired by the retry.
    /// </summary>
    public async Task<(bool Known, int Version, string? Supersedes)> RegisterFileAsync(
        string channelId, DateOnly day, string fileId, string format, string origin, int lines, int lineErrors, DateTimeOffset at, CancellationToken ct)
    {
        string partition = DayPartition(channelId, day);
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> known = await files.GetEntityIfExistsAsync<TableEntity>(partition, fileId, cancellationToken: ct);
            if (known.HasValue)
            {
                return (true, known.Value!.GetInt32("Version") ?? 1, known.Value.GetString("Supersedes"));
            }

            NullableResponse<TableEntity> current = await days.GetEntityIfExistsAsync<TableEntity>(DaysPartition, DayRowKey(channelId, day), cancellationToken: ct);
            TableEntity? row = current.HasValue ? current.Value : null;
            int version;
            string? supersedes;
            try
            {
                if (row?.GetString("FileId") == fileId)
                {
                    // A crash after the claim: the claim is this file's.
                    version = row.GetInt32("Version") ?? 1;
                    supersedes = row.GetString("Supersedes");
                }
                else
                {
                    version = (row?.GetInt32("Version") ?? 0) + 1;
                    supersedes = row?.GetString("FileId");
                    TableEntity claim = new(DaysPartition, DayRowKey(channelId, day))
                    {
                        ["ChannelId"] = channelId,
                        ["ChannelDate"] = Day(day),
                        ["FileId"] = fileId,
                        ["Version"] = version,
                        ["Format"] = format,
                        ["Supersedes"] = supersedes,
                        ["Pending"] = true,
                        ["LineErrorCount"] = lineErrors,
                        ["ReceivedAt"] = at,
                    };
                    TableTransactionAction write;
                    if (row is null)
                    {
                        claim["Status"] = ReconDayStatus.AwaitingDayClose;
                        write = new(TableTransactionActionType.Add, claim);
                    }
                    else
                    {
                        // A day already matched was closed then: the newer file is matched next.
                        claim["Status"] = row.GetString("RunFileId") is null ? ReconDayStatus.AwaitingDayClose : ReconDayStatus.Matching;
                        write = new(TableTransactionActionType.UpdateMerge, claim, row.ETag);
                    }

                    await days.SubmitTransactionAsync([write, new(TableTransactionActionType.UpsertReplace, PendingEntry(channelId, day))], ct);
                }

                await files.AddEntityAsync(
                    new TableEntity(partition, fileId)
                    {
                        ["Version"] = version,
                        ["Format"] = format,
                        ["Origin"] = origin,
                        ["Lines"] = lines,
                        ["LineErrorCount"] = lineErrors,
                        ["Supersedes"] = supersedes,
                        ["ReceivedAt"] = at,
                    },
                    ct);
                return (false, version, supersedes);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
                // Another file of the day (or this one, concurrently) got there first: read again.
            }
        }
    }

    public async Task<(string Format, DateTimeOffset ReceivedAt)?> FindFileAsync(string channelId, DateOnly day, string fileId, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await files.GetEntityIfExistsAsync<TableEntity>(DayPartition(channelId, day), fileId, cancellationToken: ct);
        return row.HasValue ? (row.Value!.GetString("Format"), row.Value.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue) : null;
    }

    public async Task<ReconDayRecord?> FindDayAsync(string channelId, DateOnly day, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await days.GetEntityIfExistsAsync<TableEntity>(DaysPartition, DayRowKey(channelId, day), cancellationToken: ct);
        return row.HasValue ? ToDay(row.Value!) : null;
    }

    /// <summary>The channel days whose newest file has not been matched yet: a range read of the pending index only.</summary>
    public async Task<IReadOnlyList<ReconDayRef>> PendingDaysAsync(CancellationToken ct)
    {
        List<ReconDayRef> pending = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {DaysPartition} and RowKey ge {PendingPrefix} and RowKey lt {"pending}"}");
        await foreach (TableEntity row in days.QueryAsync<TableEntity>(filter, select: ["ChannelId", "ChannelDate"], cancellationToken: ct))
        {
            pending.Add(new ReconDayRef(row.GetString("ChannelId"), DateOnly.ParseExact(row.GetString("ChannelDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        return pending;
    }

    /// <summary>Every channel day from <paramref name="from"/> to <paramref name="to"/>, both inclusive, in date then channel order.</summary>
    public async Task<IReadOnlyList<ReconDayRecord>> DaysAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        List<ReconDayRecord> found = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {DaysPartition} and RowKey ge {Day(from)} and RowKey lt {Day(to.AddDays(1))}");
        await foreach (TableEntity row in days.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            found.Add(ToDay(row));
        }

        return found;
    }

    /// <summary>
    /// Records a finished match of <paramref name="fileId"/>: its totals and open count, and the day as still pending
    /// when a newer file arrived meanwhile. Conditional on the row read, retried.
    /// </summary>
    public async Task RecordMatchAsync(string channelId, DateOnly day, string fileId, IReadOnlyList<ReconClassTotal> totals, int open, int lineErrors, DateTimeOffset at, CancellationToken ct)
    {
        await UpdateDayAsync(channelId, day, row => new TableEntity(DaysPartition, row.RowKey)
        {
            ["RunFileId"] = fileId,
            ["Pending"] = row.GetString("FileId") != fileId,
            ["Status"] = open > 0 ? ReconDayStatus.AwaitingDecisions : ReconDayStatus.Matching,
            ["Totals"] = JsonSerializer.Serialize(totals, Json),
            ["OpenCount"] = open,
            ["RunLineErrorCount"] = lineErrors,
            ["MatchedAt"] = at,
            ["ReconciledAt"] = null,
        }, ct);
    }

    public Task RecordOpenAsync(string channelId, DateOnly day, int open, CancellationToken ct) =>
        UpdateDayAsync(channelId, day, row => new TableEntity(DaysPartition, row.RowKey) { ["OpenCount"] = open }, ct);

    /// <summary>Marks the day reconciled (no difference open) for the file matched, unless a newer file waits to be matched.</summary>
    public Task MarkReconciledAsync(string channelId, DateOnly day, string fileId, DateTimeOffset at, CancellationToken ct) =>
        UpdateDayAsync(channelId, day, row => row.GetString("RunFileId") == fileId && row.GetBoolean("Pending") != true
            ? new TableEntity(DaysPartition, row.RowKey) { ["Status"] = ReconDayStatus.Reconciled, ["OpenCount"] = 0, ["ReconciledAt"] = row.GetDateTimeOffset("ReconciledAt") ?? at }
            : null, ct);

    /// <summary>
    /// Merges <paramref name="change"/>'s answer into the day row, conditional on the row read, retried. When it sets
    /// <c>Pending</c> to another value than the row has, the pending index row is added or deleted in the same
    /// entity-group transaction. A row marked pending without its index row (written before the index existed) has its
    /// flag cleared alone.
    /// </summary>
    async Task UpdateDayAsync(string channelId, DateOnly day, Func<TableEntity, TableEntity?> change, CancellationToken ct)
    {
        bool indexRowMissing = false;
        for (int attempt = 0; ; attempt++)
        {
            TableEntity row = (await days.GetEntityAsync<TableEntity>(DaysPartition, DayRowKey(channelId, day), cancellationToken: ct)).Value;
            if (change(row) is not { } update)
            {
                return;
            }

            bool wasPending = row.GetBoolean("Pending") == true;
            bool? pending = update.TryGetValue("Pending", out object? value) ? (bool)value! : null;
            List<TableTransactionAction> actions = [new(TableTransactionActionType.UpdateMerge, update, row.ETag)];
            if (pending == true && !wasPending)
            {
                actions.Add(new(TableTransactionActionType.UpsertReplace, PendingEntry(channelId, day)));
            }
            else if (pending == false && wasPending && !indexRowMissing)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(DaysPartition, PendingRowKey(channelId, day)), ETag.All));
            }

            try
            {
                await days.SubmitTransactionAsync(actions, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 20)
            {
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex == 1 && actions[1].ActionType == TableTransactionActionType.Delete)
            {
                indexRowMissing = true;
            }
        }
    }

    static TableEntity PendingEntry(string channelId, DateOnly day) => new(DaysPartition, PendingRowKey(channelId, day))
    {
        ["ChannelId"] = channelId,
        ["ChannelDate"] = Day(day),
    };

    /// <summary>Writes a run's items (upserts in transactions of 100, so a repeated run writes the same rows).</summary>
    public async Task WriteItemsAsync(string channelId, DateOnly day, string fileId, IReadOnlyList<ReconItemRecord> records, CancellationToken ct)
    {
        string partition = ItemsPartition(channelId, day, fileId);
        IEnumerable<TableTransactionAction[]> batches = records.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(partition, r))).Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (batch, token) => await items.SubmitTransactionAsync(batch, token));
    }

    /// <summary>Whether any item of the file's run is written.</summary>
    public async Task<bool> HasItemsAsync(string channelId, DateOnly day, string fileId, CancellationToken ct)
    {
        await foreach (TableEntity _ in items.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ItemsPartition(channelId, day, fileId)}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
        {
            return true;
        }

        return false;
    }

    /// <summary>A run's items: the differences only, or all.</summary>
    public async Task<IReadOnlyList<ReconItemRecord>> ItemsAsync(string channelId, DateOnly day, string fileId, bool differencesOnly, CancellationToken ct)
    {
        string partition = ItemsPartition(channelId, day, fileId);
        string filter = differencesOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {DifferencePrefix} and RowKey lt {"d}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        List<ReconItemRecord> found = [];
        await foreach (TableEntity row in items.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            found.Add(ToItem(row));
        }

        return found;
    }

    public async Task<ReconItemRecord?> FindDifferenceAsync(string channelId, DateOnly day, string fileId, string itemId, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await items.GetEntityIfExistsAsync<TableEntity>(ItemsPartition(channelId, day, fileId), DifferencePrefix + itemId, cancellationToken: ct);
        return row.HasValue ? ToItem(row.Value!) : null;
    }

    public async Task<IReadOnlyList<ReconDecisionRecord>> DecisionsAsync(string channelId, DateOnly day, CancellationToken ct)
    {
        List<ReconDecisionRecord> found = [];
        await foreach (TableEntity row in decisions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DayPartition(channelId, day)}"), cancellationToken: ct))
        {
            found.Add(ToDecision(row));
        }

        return found;
    }

    public async Task<ReconDecisionRecord?> FindDecisionAsync(string channelId, DateOnly day, string itemId, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await decisions.GetEntityIfExistsAsync<TableEntity>(DayPartition(channelId, day), itemId, cancellationToken: ct);
        return row.HasValue ? ToDecision(row.Value!) : null;
    }

    /// <summary>Adds a decision, or replaces a failed one; false when a decision that closes the item is stored (nothing written).</summary>
    public async Task<bool> AddDecisionAsync(string channelId, DateOnly day, ReconDecisionRecord decision, CancellationToken ct)
    {
        TableEntity row = ToEntity(DayPartition(channelId, day), decision);
        NullableResponse<TableEntity> stored = await decisions.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: ct);
        try
        {
            if (!stored.HasValue)
            {
                await decisions.AddEntityAsync(row, ct);
                return true;
            }

            if (ToDecision(stored.Value!).Closes)
            {
                return false;
            }

            await decisions.UpdateEntityAsync(row, stored.Value!.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task UpdateDecisionAsync(string channelId, DateOnly day, ReconDecisionRecord decision, CancellationToken ct) =>
        await decisions.UpsertEntityAsync(ToEntity(DayPartition(channelId, day), decision), TableUpdateMode.Replace, ct);

    static ReconDayRecord ToDay(TableEntity row) => new(
        row.GetString("ChannelId"),
        DateOnly.ParseExact(row.GetString("ChannelDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        row.GetString("Status") ?? ReconDayStatus.AwaitingDayClose,
        row.GetString("FileId"),
        row.GetInt32("Version") ?? 0,
        row.GetString("Format"),
        row.GetBoolean("Pending") ?? false,
        row.GetString("RunFileId"),
        row.GetString("Totals") is { Length: > 0 } totals ? JsonSerializer.Deserialize<List<ReconClassTotal>>(totals, Json)! : [],
        row.GetInt32("OpenCount") ?? 0,
        row.GetInt32("RunLineErrorCount") ?? row.GetInt32("LineErrorCount") ?? 0,
        row.GetDateTimeOffset("MatchedAt"),
        row.GetDateTimeOffset("ReconciledAt"));

    static TableEntity ToEntity(string partition, ReconItemRecord r) => new(partition, (r.Class == ReconClass.Matched ? MatchedPrefix : DifferencePrefix) + r.ItemId)
    {
        ["ItemId"] = r.ItemId,
        ["Class"] = r.Class.ToString(),
        ["BankRef"] = r.BankRef,
        ["BankChannelTxnId"] = r.BankChannelTxnId,
        ["BankAccountNo"] = r.BankAccountNo,
        ["BankAmountFen"] = r.BankAmountFen,
        ["BankType"] = r.BankType?.ToString(),
        ["BankPaidAt"] = r.BankPaidAt?.ToString("O", CultureInfo.InvariantCulture),
        ["Location"] = r.Location,
        ["JournalEntryId"] = r.JournalEntryId,
        ["JournalChannelTxnId"] = r.JournalChannelTxnId,
        ["JournalAccountNo"] = r.JournalAccountNo,
        ["JournalAmountFen"] = r.JournalAmountFen,
        ["JournalType"] = r.JournalType?.ToString(),
        ["JournalPaidAt"] = r.JournalPaidAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    static ReconItemRecord ToItem(TableEntity row) => new(
        row.GetString("ItemId"),
        Enum.Parse<ReconClass>(row.GetString("Class")),
        row.GetString("BankRef"),
        row.GetString("BankChannelTxnId"),
        row.GetString("BankAccountNo"),
        row.GetInt64("BankAmountFen"),
        row.GetString("BankType") is { } bankType ? Enum.Parse<ReconTxnType>(bankType) : null,
        Instant(row.GetString("BankPaidAt")),
        row.GetString("Location"),
        row.GetString("JournalEntryId"),
        row.GetString("JournalChannelTxnId"),
        row.GetString("JournalAccountNo"),
        row.GetInt64("JournalAmountFen"),
        row.GetString("JournalType") is { } journalType ? Enum.Parse<ReconTxnType>(journalType) : null,
        Instant(row.GetString("JournalPaidAt")));

    static TableEntity ToEntity(string partition, ReconDecisionRecord d) => new(partition, d.ItemId)
    {
        ["Action"] = d.Action.ToString(),
        ["Operator"] = d.Operator,
        ["Note"] = d.Note,
        ["Class"] = d.Class.ToString(),
        ["AccountNo"] = d.AccountNo,
        ["AmountFen"] = d.AmountFen,
        ["PaidAt"] = d.PaidAt?.ToString("O", CultureInfo.InvariantCulture),
        ["ReverseEntryId"] = d.ReverseEntryId,
        ["BankRef"] = d.BankRef,
        ["ChannelTxnId"] = d.ChannelTxnId,
        ["DecidedAt"] = d.DecidedAt,
        ["FileId"] = d.FileId,
        ["Status"] = d.Status,
        ["LedgerEntryId"] = d.LedgerEntryId,
        ["LedgerSequence"] = d.LedgerSequence,
        ["Failure"] = d.Failure,
    };

    static ReconDecisionRecord ToDecision(TableEntity row) => new(
        row.RowKey,
        Enum.Parse<ReconAction>(row.GetString("Action")),
        row.GetString("Operator"),
        row.GetString("Note"),
        Enum.Parse<ReconClass>(row.GetString("Class")),
        row.GetString("AccountNo"),
        row.GetInt64("AmountFen"),
        Instant(row.GetString("PaidAt")),
        row.GetString("ReverseEntryId"),
        row.GetString("BankRef"),
        row.GetString("ChannelTxnId"),
        row.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue,
        row.GetString("FileId"),
        row.GetString("Status"),
        row.GetString("LedgerEntryId"),
        row.GetInt64("LedgerSequence"),
        row.GetString("Failure"));

    static DateTimeOffset? Instant(string? text) =>
        text is null ? null : DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
