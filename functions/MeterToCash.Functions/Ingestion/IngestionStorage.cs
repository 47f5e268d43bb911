using Azure;
using Azure.Storage.Blobs;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Ingestion's own containers (raw payloads, quarantine), created once at start-up (<see cref="Infrastructure.StorageStartup"/>). Names: <see cref="IngestionKeys"/>.</summary>
public sealed class IngestionStorage(BlobServiceClient blobs)
{
    public BlobContainerClient Raw { get; } = blobs.GetBlobContainerClient(IngestionKeys.RawContainer);

    public BlobContainerClient Quarantine { get; } = blobs.GetBlobContainerClient(IngestionKeys.QuarantineContainer);
}
