using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ingestion;

/// <summary>The marker left in <c>processed/</c> for a dropped file taken in: which reading file it became.</summary>
public sealed record DroppedFileMarker(string Name, string FileId, string StatusUrl, bool Started, DateTimeOffset TakenAt);

/// <summary>Why a dropped file was moved to <c>rejected/</c>.</summary>
public sealed record DroppedFileRejection(string Name, string Rule, string Message, DateTimeOffset At);

/// <summary>
/// The blob-drop entry point: head-ends write files into <c>meter-drop</c>; each scan takes every file in as an upload
/// of the same bytes would (same id, same orchestration, same effect) and only then removes it from the drop. A file
/// that cannot be taken is moved to <c>rejected/</c> with a reason blob next to it, never silently dropped.
/// </summary>
/// <remarks>
/// A timer rather than a blob trigger: the scan is one place that decides when a dropped file may be deleted, it runs
/// the same on Azure and on the LocalHost, and a scan that dies midway simply finds the remaining files next time.
/// </remarks>
public sealed class ReadingFileDrop(ReadingFileIntake intake, BlobServiceClient blobs, TimeProvider time, ILogger<ReadingFileDrop> logger)
{
    enum Outcome
    {
        Taken,
        SetAside,
        Deferred,
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    BlobContainerClient Drop => blobs.GetBlobContainerClient(ReadingFileBlobs.DropContainer);

    [Function(nameof(ScanReadingFileDrop))]
    public async Task ScanReadingFileDrop(
        [TimerTrigger("%ReadingFiles__DropScanSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            await Drop.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently.
        }

        // Listed first, so moving files aside does not disturb the listing.
        List<BlobItem> dropped = [];
        await foreach (BlobItem item in Drop.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            if (!item.Name.StartsWith(ReadingFileBlobs.ProcessedPrefix, StringComparison.Ordinal) && !item.Name.StartsWith(ReadingFileBlobs.RejectedPrefix, StringComparison.Ordinal))
            {
                dropped.Add(item);
            }
        }

        Dictionary<Outcome, int> outcomes = new() { [Outcome.Taken] = 0, [Outcome.SetAside] = 0, [Outcome.Deferred] = 0 };
        foreach (BlobItem item in dropped)
        {
            Outcome outcome;
            try
            {
                outcome = await TakeAsync(item, client, cancellationToken);
            }
            catch (RequestFailedException e)
            {
                // One file's storage trouble (or a file replaced while being read) must not hold up the others.
                logger.DroppedFileDeferred(e, item.Name, e.Status);
                outcome = Outcome.Deferred;
            }

            outcomes[outcome]++;
        }

        logger.DropScanned(outcomes[Outcome.Taken], outcomes[Outcome.SetAside], outcomes[Outcome.Deferred], timer.IsPastDue);
    }

    async Task<Outcome> TakeAsync(BlobItem item, DurableTaskClient client, CancellationToken ct)
    {
        // Every read and the final delete are conditional on the ETag listed: a file re-dropped under the same name
        // meanwhile is a different file and is left for the next scan, never deleted unprocessed.
        BlobRequestConditions same = new() { IfMatch = item.Properties.ETag };
        if (ReadingFileFormats.FromName(item.Name) is not { } format)
        {
            return await SetAsideAsync(item, same, "extension", "Dropped files are taken by extension: .csv (head-end daily export), .xml or .json (IEC 61968-9 MeterReadings).", ct);
        }

        if (item.Properties.ContentLength > intake.MaxBytes)
        {
            return await SetAsideAsync(item, same, "max-size", $"A reading file may be at most {intake.MaxBytes:N0} bytes; split the export.", ct);
        }

        BinaryData content = (await Drop.GetBlobClient(item.Name).DownloadContentAsync(new BlobDownloadOptions { Conditions = same }, ct)).Value.Content;
        if (intake.Check(content.ToMemory(), format) is { } refusal)
        {
            logger.ReadingFileRefused(refusal.Rule, "drop:" + item.Name);
            return await SetAsideAsync(item, same, refusal.Rule, refusal.Message, ct);
        }

        ReadingFileStart start = await intake.StartAsync(client, content.ToMemory(), format, "drop:" + item.Name, ct);

        // The marker is written before the delete: a crash between them leaves the file to be taken again, as the same
        // reading file, which changes nothing.
        DroppedFileMarker marker = new(item.Name, start.FileId, $"/api/meter-readings/files/{start.FileId}", start.Started, time.GetUtcNow());
        await Drop.GetBlobClient(ReadingFileBlobs.ProcessedPrefix + item.Name + ".json").UploadAsync(BinaryData.FromObjectAsJson(marker, Json), overwrite: true, ct);
        await Drop.DeleteBlobAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, same, ct);
        logger.DroppedFileTaken(item.Name, start.FileId, start.Started);
        return Outcome.Taken;
    }

    async Task<Outcome> SetAsideAsync(BlobItem item, BlobRequestConditions same, string rule, string message, CancellationToken ct)
    {
        string target = ReadingFileBlobs.RejectedPrefix + item.Name;
        // Streamed, so a file far over the size limit is moved without being held in memory.
        await using (Stream source = await Drop.GetBlobClient(item.Name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = same }, ct))
        {
            await Drop.GetBlobClient(target).UploadAsync(source, overwrite: true, ct);
        }

        DroppedFileRejection rejection = new(item.Name, rule, message, time.GetUtcNow());
        await Drop.GetBlobClient(target + ".reason.json").UploadAsync(BinaryData.FromObjectAsJson(rejection, Json), overwrite: true, ct);
        await Drop.DeleteBlobAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, same, ct);
        logger.DroppedFileSetAside(item.Name, target, rule);
        return Outcome.SetAside;
    }
}
