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
            CreateTableAsync(tables, IngestionKeys.CurvesTable),
            CreateTableAsync(tables, IngestionKeys.MonthToDateTable),
            CreateTableAsync(tables, IngestionKeys.RegistersTable),
            CreateTableAsync(tables, IngestionKeys.RejectionsTable),
            CreateContainerAsync(blobs, IngestionKeys.RawContainer),
            CreateContainerAsync(blobs, IngestionKeys.QuarantineContainer));
    });

    public TableClient Curves { get; } = tables.GetTableClient(IngestionKeys.CurvesTable);

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
