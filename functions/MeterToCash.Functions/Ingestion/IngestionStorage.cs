using Azure;
using Azure.Storage.Blobs;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Ingestion's own containers (raw payloads, quarantine), created once per process on first use. Names: <see cref="IngestionKeys"/>.</summary>
public sealed class IngestionStorage(BlobServiceClient blobs)
{
    readonly Lazy<Task> created = new(() => Task.WhenAll(
        CreateContainerAsync(blobs, IngestionKeys.RawContainer),
        CreateContainerAsync(blobs, IngestionKeys.QuarantineContainer)));

    public BlobContainerClient Raw { get; } = blobs.GetBlobContainerClient(IngestionKeys.RawContainer);

    public BlobContainerClient Quarantine { get; } = blobs.GetBlobContainerClient(IngestionKeys.QuarantineContainer);

    public Task EnsureCreatedAsync() => created.Value;

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
