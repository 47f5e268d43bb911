using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Archive;

/// <summary>
/// Nightly clean-up of finished imports: their orchestration history and their blobs (source file, batches, error
/// report) once older than <see cref="ArchiveImportOptions.ImportRetentionDays"/>. Imported customers are untouched.
/// </summary>
public sealed class ArchiveHousekeeping(BlobServiceClient blobs, IOptions<ArchiveImportOptions> options, TimeProvider time, ILogger<ArchiveHousekeeping> logger)
{
    [Function(nameof(PurgeArchiveImports))]
    public async Task PurgeArchiveImports(
        [TimerTrigger("%Archive__PurgeSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = time.GetUtcNow().AddDays(-options.Value.ImportRetentionDays);
        // Both bounds are given: the gRPC sidecar the LocalHost uses cannot handle an open lower bound.
        PurgeResult purged = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UnixEpoch, CreatedTo: cutoff, Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);

        BlobContainerClient container = blobs.GetBlobContainerClient(ImportBlobs.Container);
        int deleted = 0;
        if (await container.ExistsAsync(cancellationToken))
        {
            await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
            {
                if (blob.Properties.LastModified < cutoff)
                {
                    await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                    deleted++;
                }
            }
        }

        logger.ImportsPurged(purged.PurgedInstanceCount, deleted, cutoff, timer.IsPastDue);
    }
}
