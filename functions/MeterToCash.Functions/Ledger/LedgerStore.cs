using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Ledger;

/// <summary>An account's stored ledger as read: its entries in sequence order and the head row's ETag (null before the first entry).</summary>
/// <param name="Entries">The entries, in sequence order.</param>
/// <param name="HeadETag">The head row's ETag; null before the first entry.</param>
/// <param name="SnapshotTooLarge">Whether the head says its entries no longer fit a snapshot (<see cref="LedgerStore.MaxSnapshotBytes"/>): entries only grow, so the next append does not try again.</param>
public sealed record StoredLedger(IReadOnlyList<LedgerEntry> Entries, ETag? HeadETag, bool SnapshotTooLarge = false);

/// <summary>
/// The <c>Ledger</c> table: one partition per account (PartitionKey = account number) holding
/// <list type="bullet">
/// <item>one row per entry, RowKey <c>e{sequence:D12}|{account}</c>, the entry's fields as columns (money as Int64 fen, allocations as one JSON column);</item>
/// <item>one idempotency row per entry id, RowKey <c>i{base64url(UTF-8 entry id)}</c>, so ids with characters Table keys forbid stay keys, and a second entry with the same id cannot be added even by a writer that misread the partition;</item>
/// <item>one head row, RowKey <c>head|{account}</c>: the last sequence, the balance in fen and a snapshot of every entry
/// (gzipped JSON), whose ETag serialises writers.</item>
/// </list>
/// The entry and head keys end with the account so that no two partitions share a row key. Azure does not need it (a
/// key only has to be unique in its partition); Azurite, which every local run and test uses, finds a row by its
/// RowKey first and then compares the PartitionKey of every row sharing it, so a key every account has (a plain
/// <c>head</c>) would make each lookup scan one row per account. Rows of the unsuffixed form, from a local store
/// written before, are not read: start such a store afresh (<c>FRESH=1 ./run.sh</c>).
/// </summary>
/// <remarks>
/// <para>
/// An append is one entity-group transaction (add the entry row, add the id row, replace the head with the ETag read or
/// add it when new): it lands whole or not at all. It fails with <see cref="LedgerAppend.Conflict"/> when another writer
/// got there first (409 a row exists, 412 the head changed); the caller reads again and re-runs its posting.
/// </para>
/// <para>
/// A read is one point read of the head: its snapshot holds the entries the head's sequence counts, written in the same
/// transaction as the entry rows, so the two cannot disagree. A posting then costs a point read and a transaction
/// whatever the account's history or the table's size. The entry rows stay the record a statement or an auditor reads
/// row by row. A head without a usable snapshot is read the long way: row keys sort <c>e…</c> &lt; <c>head…</c> &lt;
/// <c>i…</c>, so the entries and the head are one range query (RowKey &lt; <c>i</c>) that skips the idempotency rows.
/// That is a head written before snapshots (the next append adds one) or one marked <c>SnapshotTooLarge</c>: its
/// compressed entries passed <see cref="MaxSnapshotBytes"/> (about 2,500 entries at some 24 bytes each), and since
/// entries only grow, later appends keep the mark instead of packing them again.
/// </para>
/// </remarks>
public sealed class LedgerStore(TableServiceClient service)
{
    public const string TableName = "Ledger";

    /// <summary>Longest entry id the store keys (UTF-8 bytes): its base64url form must fit a 1 KiB RowKey.</summary>
    public const int MaxEntryIdBytes = 512;

    const string HeadPrefix = "head|", HeadRangeEnd = "head}", EntryPrefix = "e", IdPrefix = "i";

    const int MaxReads = 10;

    const string TooLargeColumn = "SnapshotTooLarge";

    /// <summary>Largest snapshot kept in the head (bytes, compressed): under the 64 KiB a binary table property may hold.</summary>
    public const int MaxSnapshotBytes = 60 * 1024;

    static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    readonly TableClient table = service.GetTableClient(TableName);

    /// <summary>The idempotency row key of an entry id: <c>i</c> + base64url of its UTF-8 bytes (no padding).</summary>
    public static string IdRowKey(string entryId) => IdPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(entryId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The entry row key of a sequence: <c>e{sequence:D12}|{account}</c>, so an account's rows sort by sequence.</summary>
    public static string EntryRowKey(string accountNo, long sequence) => EntryPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture) + "|" + accountNo;

    /// <summary>The head row key of an account: <c>head|{account}</c>.</summary>
    public static string HeadRowKey(string accountNo) => HeadPrefix + accountNo;

    /// <summary>
    /// Reads an account's entries and head: the head's snapshot (one point read), or, for a head without one, the range
    /// query of <see cref="ReadRowsAsync"/>.
    /// </summary>
    public async Task<StoredLedger> ReadAsync(string accountNo, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> head = await table.GetEntityIfExistsAsync<TableEntity>(accountNo, HeadRowKey(accountNo), cancellationToken: cancellationToken);
        if (!head.HasValue)
        {
            return new StoredLedger([], null);
        }

        return FromSnapshot(head.Value!) ?? await ReadRowsAsync(accountNo, cancellationToken);
    }

    /// <summary>The ledger a head's snapshot holds, or null when it has none that counts the head's sequence.</summary>
    static StoredLedger? FromSnapshot(TableEntity head)
    {
        long lastSequence = head.GetInt64("LastSequence") ?? 0;
        return head.GetBinary("Entries") is { } snapshot && Unpack(snapshot) is { } entries && entries.Count == lastSequence
            ? new StoredLedger(entries, head.ETag)
            : null;
    }

    /// <summary>
    /// Reads the ledgers of many accounts, in the order of <paramref name="accountNos"/>: their heads in range queries
    /// over the accounts' partitions (<see cref="PartitionRange"/>, RowKey from <c>head|</c> to <c>head}</c>), each head's
    /// snapshot unpacked as <see cref="ReadAsync"/> does. An account whose head has no usable snapshot is read by
    /// <see cref="ReadRowsAsync"/> (up to <paramref name="parallelism"/> at a time).
    /// </summary>
    public async Task<StoredLedger[]> ReadManyAsync(IReadOnlyList<string> accountNos, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountNos);
        PartitionRange.Rows heads = await PartitionRange.ReadAsync(
            table, accountNos, TableClient.CreateQueryFilter($"RowKey ge {HeadPrefix} and RowKey lt {HeadRangeEnd}"), cancellationToken);
        StoredLedger[] read = new StoredLedger[accountNos.Count];
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, accountNos.Count), inParallel, async (i, ct) =>
        {
            string accountNo = accountNos[i];
            TableEntity? head = heads.Of(accountNo).FirstOrDefault(row => row.RowKey == HeadRowKey(accountNo));
            read[i] = head is null ? new StoredLedger([], null)
                : FromSnapshot(head) ?? await ReadRowsAsync(accountNo, ct);
        });
        return read;
    }

    /// <summary>
    /// Reads an account's entry rows and head in one range query. A read that raced a writer across pages (the head ahead
    /// of the entries it listed) is read again, so the entries and the ETag returned belong together.
    /// </summary>
    public async Task<StoredLedger> ReadRowsAsync(string accountNo, CancellationToken cancellationToken)
    {
        for (int read = 1; ; read++)
        {
            List<LedgerEntry> entries = [];
            TableEntity? head = null;
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountNo} and RowKey lt {IdPrefix}");
            string headKey = HeadRowKey(accountNo), entrySuffix = "|" + accountNo;
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey == headKey)
                {
                    head = row;
                }
                else if (row.RowKey.StartsWith(EntryPrefix, StringComparison.Ordinal) && row.RowKey.EndsWith(entrySuffix, StringComparison.Ordinal))
                {
                    entries.Add(ToEntry(row));
                }
            }

            long headSequence = head?.GetInt64("LastSequence") ?? 0;
            if (headSequence == entries.Count)
            {
                return new StoredLedger(entries, head?.ETag, head?.GetBoolean(TooLargeColumn) == true);
            }

            // Entries listed on one page, the head on a later one after another append: read again (a few times; a head
            // that stays ahead of its entries, or behind them, is a broken partition, not a race).
            if (headSequence < entries.Count || read == MaxReads)
            {
                throw new InvalidOperationException($"Ledger of {accountNo}: {entries.Count} entry rows but the head says {headSequence}.");
            }
        }
    }

    /// <summary>Whether an entry id is stored in the account's ledger: a point read of its idempotency row.</summary>
    public async Task<bool> HasEntryAsync(string accountNo, string entryId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(accountNo, IdRowKey(entryId), select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    /// <summary>
    /// Appends <paramref name="entry"/> (sequence = entries read + 1) after the ledger <paramref name="read"/>, with the
    /// head as it is after it (its snapshot: the entries read and this one), in one transaction conditional on the head
    /// read (no head yet: added).
    /// </summary>
    public async Task<LedgerAppend> AppendAsync(string accountNo, StoredLedger read, LedgerEntry entry, Money balanceAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(entry);
        TableEntity head = new(accountNo, HeadRowKey(accountNo))
        {
            ["LastSequence"] = entry.Sequence,
            ["BalanceFen"] = balanceAfter.Fen,
        };
        if (!read.SnapshotTooLarge && Pack([.. read.Entries, entry]) is { } snapshot)
        {
            head["Entries"] = snapshot;
        }
        else
        {
            head[TooLargeColumn] = true;
        }

        TableEntity id = new(accountNo, IdRowKey(entry.EntryId))
        {
            ["EntryId"] = entry.EntryId,
            ["Sequence"] = entry.Sequence,
        };
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, ToEntity(accountNo, entry)),
            new(TableTransactionActionType.Add, id),
            read.HeadETag is ETag etag
                ? new(TableTransactionActionType.UpdateReplace, head, etag)
                : new(TableTransactionActionType.Add, head),
        ];
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return LedgerAppend.Appended;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return LedgerAppend.Conflict;
        }
    }

    static TableEntity ToEntity(string accountNo, LedgerEntry entry)
    {
        EntryRecord record = EntryRecord.From(entry);
        TableEntity row = new(accountNo, EntryRowKey(accountNo, entry.Sequence))
        {
            ["Sequence"] = record.Sequence,
            ["EntryId"] = record.EntryId,
            ["Kind"] = record.Kind,
            ["AmountFen"] = record.AmountFen,
            ["PostedAt"] = record.PostedAt,
            ["CreditChangeFen"] = record.CreditChangeFen,
        };
        SetIfNotNull(row, "BillId", record.BillId);
        SetIfNotNull(row, "IssuedOn", record.IssuedOn);
        SetIfNotNull(row, "DueDate", record.DueDate);
        SetIfNotNull(row, "LateFeeThrough", record.LateFeeThrough);
        SetIfNotNull(row, "ReversesEntryId", record.ReversesEntryId);
        SetIfNotNull(row, "Text", record.Text);
        if (record.Allocations is { } allocations)
        {
            row["Allocations"] = JsonSerializer.Serialize(allocations, SnapshotJson);
        }

        return row;
    }

    static LedgerEntry ToEntry(TableEntity row) => new EntryRecord(
        row.GetInt64("Sequence") ?? 0,
        row.GetString("EntryId"),
        row.GetString("Kind"),
        row.GetInt64("AmountFen") ?? 0,
        row.GetString("PostedAt"),
        row.GetInt64("CreditChangeFen") ?? 0,
        row.GetString("BillId"),
        row.GetString("IssuedOn"),
        row.GetString("DueDate"),
        row.GetString("LateFeeThrough"),
        row.GetString("ReversesEntryId"),
        row.GetString("Text"),
        row.GetString("Allocations") is { } json ? JsonSerializer.Deserialize<AllocationRow[]>(json, SnapshotJson) : null).ToEntry();

    /// <summary>The head's snapshot of <paramref name="entries"/>: gzipped JSON, or null when it would pass <see cref="MaxSnapshotBytes"/>.</summary>
    static byte[]? Pack(IReadOnlyList<LedgerEntry> entries)
    {
        using MemoryStream packed = new();
        using (GZipStream zip = new(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(zip, entries.Select(EntryRecord.From), SnapshotJson);
        }

        return packed.Length <= MaxSnapshotBytes ? packed.ToArray() : null;
    }

    static IReadOnlyList<LedgerEntry>? Unpack(byte[] snapshot)
    {
        using GZipStream zip = new(new MemoryStream(snapshot), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<EntryRecord[]>(zip, SnapshotJson)?.Select(r => r.ToEntry()).ToArray();
    }

    static void SetIfNotNull(TableEntity row, string name, string? value)
    {
        if (value is not null)
        {
            row[name] = value;
        }
    }

    sealed record AllocationRow(string BillId, long LateFeeFen, long PrincipalFen);

    /// <summary>An entry as stored: the columns of its row and the element of the head's snapshot, one mapping for both.</summary>
    sealed record EntryRecord(
        long Sequence, string EntryId, string Kind, long AmountFen, string PostedAt, long CreditChangeFen, string? BillId, string? IssuedOn, string? DueDate,
        string? LateFeeThrough, string? ReversesEntryId, string? Text, AllocationRow[]? Allocations)
    {
        public static EntryRecord From(LedgerEntry entry) => new(
            entry.Sequence,
            entry.EntryId,
            entry.Kind.ToString(),
            entry.Amount.Fen,
            // Round-trip text: exact to the tick, so an idempotent repeat compares equal after a read.
            entry.PostedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            entry.CreditChange.Fen,
            entry.BillId,
            Day(entry.IssuedOn),
            Day(entry.DueDate),
            Day(entry.LateFeeThrough),
            entry.ReversesEntryId,
            entry.Text,
            entry.Allocations.Count > 0 ? [.. entry.Allocations.Select(a => new AllocationRow(a.BillId, a.LateFee.Fen, a.Principal.Fen))] : null);

        public LedgerEntry ToEntry() => new(
            Sequence,
            EntryId,
            Enum.Parse<LedgerEntryKind>(Kind),
            new Money(AmountFen),
            DateTimeOffset.ParseExact(PostedAt, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            billId: BillId,
            issuedOn: ParseDay(IssuedOn),
            dueDate: ParseDay(DueDate),
            lateFeeThrough: ParseDay(LateFeeThrough),
            reversesEntryId: ReversesEntryId,
            allocations: (Allocations ?? []).Select(a => new LedgerAllocation(a.BillId, new Money(a.LateFeeFen), new Money(a.PrincipalFen))),
            creditChange: new Money(CreditChangeFen),
            text: Text);

        static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        static DateOnly? ParseDay(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

/// <summary>What an append did.</summary>
public enum LedgerAppend
{
    /// <summary>The entry, its id row and the head are stored.</summary>
    Appended,

    /// <summary>Nothing was written: another writer appended since the read (or the entry id is already stored). Read again.</summary>
    Conflict,
}
