using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace MeterToCash.Functions.Ingestion;

/// <summary>The meter-data tables and containers, created once per process on first use. Keys: <see cref="IngestionKeys"/>.</summary>
public sealed class IngestionStorage(TableServiceClient tables, BlobServiceClient blobs)
{
    readonly Lazy<Task> created = new(async () =>
    {
        await Task.WhenAll(
            CreateTableAsync(tables, IngestionKeys.MonthToDateTable),
            CreateTableAsync(tables, IngestionKeys.RegistersTable),
            CreateTableAsync(tables, IngestionKeys.RejectionsTable),
            CreateContainerAsync(blobs, IngestionKeys.RawContainer),
            CreateContainerAsync(blobs, IngestionKeys.QuarantineContainer));
    });

    readonly ConcurrentDictionary<DateOnly, Lazy<Task>> curveTablesCreated = new();

    /// <summary>The curve table of a China-local day (it may not exist yet: readers treat a missing table as no curves).</summary>
    public TableClient Curves(DateOnly day) => tables.GetTableClient(IngestionKeys.CurvesTable(day));

    /// <summary>Creates a day's curve table once per process, before the first write to it.</summary>
    public Task EnsureCurvesTableAsync(DateOnly day) =>
        curveTablesCreated.GetOrAdd(day, d => new Lazy<Task>(() => CreateTableAsync(tables, IngestionKeys.CurvesTable(d)))).Value;

    /// <summary>Forgets that a day's curve table was created, so the next write creates it again.</summary>
    public void ForgetCurvesTable(DateOnly day) => curveTablesCreated.TryRemove(day, out _);

    /// <summary>The days whose curve table exists (for retention).</summary>
    public async IAsyncEnumerable<DateOnly> ListCurveTableDaysAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string filter = TableServiceClient.CreateQueryFilter($"TableName ge {IngestionKeys.CurvesTablePrefix} and TableName lt {IngestionKeys.CurvesTablePrefix + "~"}");
        await foreach (Azure.Data.Tables.Models.TableItem table in tables.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            if (IngestionKeys.DayOfCurvesTable(table.Name) is { } day)
            {
                yield return day;
            }
        }
    }

    /// <summary>Deletes a whole day's curve table (retention).</summary>
    public async Task DeleteCurvesTableAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await tables.DeleteTableAsync(IngestionKeys.CurvesTable(day), cancellationToken);
        ForgetCurvesTable(day);
    }

    /// <summary>True for the error a read gets from a day whose curve table was never created: no curves that day.</summary>
    public static bool IsMissingTable(RequestFailedException e) => e.Status == 404 && e.ErrorCode == "TableNotFound";

    public TableClient MonthToDate { get; } = tables.GetTableClient(IngestionKeys.MonthToDateTable);

    public TableClient Registers { get; } = tables.GetTableClient(IngestionKeys.RegistersTable);

    public TableClient Rejections { get; } = tables.GetTableClient(IngestionKeys.RejectionsTable);

    public BlobContainerClient Raw { get; } = blobs.GetBlobContainerClient(IngestionKeys.RawContainer);

    public BlobContainerClient Quarantine { get; } = blobs.GetBlobContainerClient(IngestionKeys.QuarantineContainer);

    public Task EnsureCreatedAsync() => created.Value;

    static async Task CreateTableAsync(TableServiceClient service, string name)
    {
        try
        {
            await service.CreateTableIfNotExistsAsync(name);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by a concurrent instance between the check and the create.
        }
    }

    static async Task CreateContainerAsync(BlobServiceClient service, string name)
    {
        try
        {
            await service.GetBlobContainerClient(name).CreateIfNotExistsAsync();
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently.
        }
    }
}
