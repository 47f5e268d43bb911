using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;

namespace MeterToCash.Functions.Ledger;

/// <summary>An account's stored ledger as read: its entries in sequence order and the head row's ETag (null before the first entry).</summary>
public sealed record StoredLedger(IReadOnlyList<LedgerEntry> Entries, ETag? HeadETag);

/// <summary>
/// The <c>Ledger</c> table: one partition per account (PartitionKey = account number) holding
/// <list type="bullet">
/// <item>one row per entry, RowKey <c>e{sequence:D12}</c>, the entry's fields as columns (money as Int64 fen, allocations as one JSON column);</item>
/// <item>one idempotency row per entry id, RowKey <c>i{base64url(UTF-8 entry id)}</c>, so ids with characters Table keys forbid stay keys, and a second entry with the same id cannot be added even by a writer that misread the partition;</item>
/// <item>one <c>head</c> row: the last sequence and the balance in fen, whose ETag serialises writers.</item>
/// </list>
/// </summary>
/// <remarks>
/// An append is one entity-group transaction (add the entry row, add the id row, update the head with the ETag read or add
/// it when new): it lands whole or not at all. It fails with <see cref="LedgerAppend.Conflict"/> when another writer got
/// there first (409 a row exists, 412 the head changed); the caller reads again and re-runs its posting.
/// Row keys sort <c>e…</c> &lt; <c>head</c> &lt; <c>i…</c>, so a read of the entries and the head is one range query
/// (RowKey &lt; <c>i</c>) that skips the idempotency rows.
/// </remarks>
public sealed class LedgerStore(TableServiceClient service)
{
    public const string TableName = "Ledger";

    /// <summary>Longest entry id the store keys (UTF-8 bytes): its base64url form must fit a 1 KiB RowKey.</summary>
    public const int MaxEntryIdBytes = 512;

    const string HeadRowKey = "head", EntryPrefix = "e", IdPrefix = "i";

    const int MaxReads = 10;

    static readonly JsonSerializerOptions AllocationJson = new(JsonSerializerDefaults.Web);

    readonly TableClient table = service.GetTableClient(TableName);

    /// <summary>The idempotency row key of an entry id: <c>i</c> + base64url of its UTF-8 bytes (no padding).</summary>
    public static string IdRowKey(string entryId) => IdPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(entryId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The entry row key of a sequence: <c>e{sequence:D12}</c>, so rows sort by sequence.</summary>
    public static string EntryRowKey(long sequence) => EntryPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an account's entries and head in one range query. A read that raced a writer across pages (the head ahead
    /// of the entries it listed) is read again, so the entries and the ETag returned belong together.
    /// </summary>
    public async Task<StoredLedger> ReadAsync(string accountNo, CancellationToken cancellationToken)
    {
        for (int read = 1; ; read++)
        {
            List<LedgerEntry> entries = [];
            TableEntity? head = null;
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountNo} and RowKey lt {IdPrefix}");
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey == HeadRowKey)
                {
                    head = row;
                }
                else if (row.RowKey.StartsWith(EntryPrefix, StringComparison.Ordinal))
                {
                    entries.Add(ToEntry(row));
                }
            }

            long headSequence = head?.GetInt64("LastSequence") ?? 0;
            if (headSequence == entries.Count)
            {
                return new StoredLedger(entries, head?.ETag);
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
    /// Appends <paramref name="entry"/> (sequence = entries read + 1) with the head as it is after it, in one transaction
    /// conditional on the head read (<paramref name="headETag"/>, null: no head yet).
    /// </summary>
    public async Task<LedgerAppend> AppendAsync(string accountNo, LedgerEntry entry, Money balanceAfter, ETag? headETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TableEntity head = new(accountNo, HeadRowKey)
        {
            ["LastSequence"] = entry.Sequence,
            ["BalanceFen"] = balanceAfter.Fen,
        };
        TableEntity id = new(accountNo, IdRowKey(entry.EntryId))
        {
            ["EntryId"] = entry.EntryId,
            ["Sequence"] = entry.Sequence,
        };
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, ToEntity(accountNo, entry)),
            new(TableTransactionActionType.Add, id),
            headETag is ETag etag
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
        TableEntity row = new(accountNo, EntryRowKey(entry.Sequence))
        {
            ["Sequence"] = entry.Sequence,
            ["EntryId"] = entry.EntryId,
            ["Kind"] = entry.Kind.ToString(),
            ["AmountFen"] = entry.Amount.Fen,
            // Round-trip text: exact to the tick, so an idempotent repeat compares equal after a read.
            ["PostedAt"] = entry.PostedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["CreditChangeFen"] = entry.CreditChange.Fen,
        };
        SetIfNotNull(row, "BillId", entry.BillId);
        SetIfNotNull(row, "IssuedOn", Day(entry.IssuedOn));
        SetIfNotNull(row, "DueDate", Day(entry.DueDate));
        SetIfNotNull(row, "LateFeeThrough", Day(entry.LateFeeThrough));
        SetIfNotNull(row, "ReversesEntryId", entry.ReversesEntryId);
        SetIfNotNull(row, "Text", entry.Text);
        if (entry.Allocations.Count > 0)
        {
            row["Allocations"] = JsonSerializer.Serialize(entry.Allocations.Select(a => new AllocationRow(a.BillId, a.LateFee.Fen, a.Principal.Fen)), AllocationJson);
        }

        return row;
    }

    static LedgerEntry ToEntry(TableEntity row)
    {
        AllocationRow[] allocations = row.GetString("Allocations") is { } json
            ? JsonSerializer.Deserialize<AllocationRow[]>(json, AllocationJson) ?? []
            : [];
        return new LedgerEntry(
            row.GetInt64("Sequence") ?? 0,
            row.GetString("EntryId"),
            Enum.Parse<LedgerEntryKind>(row.GetString("Kind")),
            new Money(row.GetInt64("AmountFen") ?? 0),
            DateTimeOffset.ParseExact(row.GetString("PostedAt"), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            billId: row.GetString("BillId"),
            issuedOn: ParseDay(row.GetString("IssuedOn")),
            dueDate: ParseDay(row.GetString("DueDate")),
            lateFeeThrough: ParseDay(row.GetString("LateFeeThrough")),
            reversesEntryId: row.GetString("ReversesEntryId"),
            allocations: allocations.Select(a => new LedgerAllocation(a.BillId, new Money(a.LateFeeFen), new Money(a.PrincipalFen))),
            creditChange: new Money(row.GetInt64("CreditChangeFen") ?? 0),
            text: row.GetString("Text"));
    }

    static void SetIfNotNull(TableEntity row, string name, string? value)
    {
        if (value is not null)
        {
            row[name] = value;
        }
    }

    static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static DateOnly? ParseDay(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    sealed record AllocationRow(string BillId, long LateFeeFen, long PrincipalFen);
}

/// <summary>What an append did.</summary>
public enum LedgerAppend
{
    /// <summary>The entry, its id row and the head are stored.</summary>
    Appended,

    /// <summary>Nothing was written: another writer appended since the read (or the entry id is already stored). Read again.</summary>
    Conflict,
}
