using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Billing;

/// <summary>A stored bill with its status and the ETag its status changes are conditional on.</summary>
public sealed record BillEntry(StoredBill Bill, BillStatus Status, string? StatusBy, DateTimeOffset? StatusAt, ETag ETag);

/// <summary>A cycle's record of one account: which bill, its status and total, the reasons it was held.</summary>
public sealed record CycleBill(string AccountNo, string BillId, BillStatus Status, long TotalFen, IReadOnlyList<BillReason> Reasons);

/// <summary>
/// Bills and the cycles' account lists.
/// <para><b>Bills</b>: PartitionKey = account number, RowKey = <c>{period start yyyyMMdd}-r{revision:D2}</c>, so an
/// account's bills are one partition query in period order (statements, year-to-date kWh, the last twelve months for
/// the checks) and a bill is a point read from its id <c>{account}-{yyyyMMdd}-r{nn}</c>. The document (the
/// <see cref="StoredBill"/> as JSON, gzipped into a binary column: lines and sources run to tens of KB) is written once
/// with Add and never replaced; only <c>Status</c>, <c>StatusBy</c> and <c>StatusAt</c> change, once, under the entity's
/// ETag. </para>
/// <para><b>BillingCycleBills</b>: PartitionKey = cycle id, RowKey = account: the cycle's progress and its held bills are
/// one partition query; written with upsert after the bill, so a rerun of a batch rewrites the same rows.</para>
/// </summary>
public sealed class BillStore(TableServiceClient tables)
{
    public const string BillsTable = "Bills", CycleBillsTable = "BillingCycleBills";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    readonly TableClient bills = tables.GetTableClient(BillsTable);
    readonly TableClient cycleBills = tables.GetTableClient(CycleBillsTable);
    readonly Lazy<Task> created = new(() => Task.WhenAll(
        CreateAsync(tables, BillsTable),
        CreateAsync(tables, CycleBillsTable)));

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
        rowKey = day + "-r" + revision;
        return Domain.Archive.ArchiveValidator.IsKey(accountNo, Domain.Archive.ArchiveValidator.MaxAccountNoLength);
    }

    /// <summary>Stores a new bill; when its id is already stored (a rerun) answers the stored one and writes nothing.</summary>
    public async Task<BillEntry> AddAsync(StoredBill bill, BillStatus status, CancellationToken cancellationToken)
    {
        await created.Value;
        TableEntity entity = new(bill.AccountNo, RowKey(bill))
        {
            ["Document"] = Compress(bill),
            ["Status"] = status.ToString(),
            ["CycleId"] = bill.CycleId,
            ["TotalFen"] = bill.TotalFen,
        };
        try
        {
            Response response = await bills.AddEntityAsync(entity, cancellationToken);
            return new BillEntry(bill, status, null, null, response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await FindAsync(bill.BillId, cancellationToken) ?? throw new InvalidOperationException($"Bill {bill.BillId} conflicted but cannot be read.", e);
        }
    }

    /// <summary>A bill by id, or null.</summary>
    public async Task<BillEntry?> FindAsync(string billId, CancellationToken cancellationToken)
    {
        if (!TryParseBillId(billId, out string accountNo, out string rowKey))
        {
            return null;
        }

        await created.Value;
        NullableResponse<TableEntity> found = await bills.GetEntityIfExistsAsync<TableEntity>(accountNo, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <summary>Every bill of an account, oldest period first (all revisions).</summary>
    public async Task<IReadOnlyList<BillEntry>> ListAsync(string accountNo, CancellationToken cancellationToken)
    {
        await created.Value;
        List<BillEntry> found = [];
        await foreach (TableEntity entity in bills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountNo}"), cancellationToken: cancellationToken))
        {
            found.Add(Read(entity));
        }

        return found;
    }

    /// <summary>
    /// Moves a bill from <paramref name="from"/> to <paramref name="to"/>, conditional on its ETag (a concurrent change
    /// re-reads and decides again); false, with the bill as stored, when it was not in <paramref name="from"/>.
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
                Response response = await bills.UpdateEntityAsync(patch, current.ETag, TableUpdateMode.Merge, cancellationToken);
                return (true, current with { Status = to, StatusBy = by, StatusAt = at, ETag = response.Headers.ETag ?? current.ETag });
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                current = await FindAsync(current.Bill.BillId, cancellationToken) ?? throw new InvalidOperationException($"Bill {current.Bill.BillId} vanished.", e);
            }
        }
    }

    /// <summary>Records (or re-records) an account's bill in its cycle.</summary>
    public async Task RecordInCycleAsync(CycleBill record, string cycleId, CancellationToken cancellationToken)
    {
        await created.Value;
        TableEntity entity = new(cycleId, record.AccountNo)
        {
            ["BillId"] = record.BillId,
            ["Status"] = record.Status.ToString(),
            ["TotalFen"] = record.TotalFen,
            ["Reasons"] = JsonSerializer.Serialize(record.Reasons, Json),
        };
        await cycleBills.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The accounts a cycle has billed so far.</summary>
    public async Task<IReadOnlyList<CycleBill>> CycleBillsAsync(string cycleId, CancellationToken cancellationToken)
    {
        await created.Value;
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

    static string RowKey(StoredBill bill) => string.Create(CultureInfo.InvariantCulture, $"{bill.PeriodStart:yyyyMMdd}-r{bill.Revision:D2}");

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

    static async Task CreateAsync(TableServiceClient service, string name)
    {
        try
        {
            await service.CreateTableIfNotExistsAsync(name);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently.
        }
    }
}
