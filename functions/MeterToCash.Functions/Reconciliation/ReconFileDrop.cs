using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>
/// The blob-drop entry point: banks write files into <c>recon-drop</c> as <c>{channelId}/{yyyy-MM-dd}/{name}.csv|.xml</c>
/// (a CSV, which names its channel and day in its header, may lie anywhere). Each scan takes every file in as an upload
/// of the same bytes would (same id, same effect), leaves a marker in <c>processed/</c> and only then deletes it; a file
/// refused whole is moved to <c>rejected/</c> with its reason next to it. Reads and the delete are conditional on the
/// ETag listed, so a file replaced meanwhile is left for the next scan.
/// </summary>
public sealed class ReconFileDrop(ReconFileIntake intake, BlobServiceClient blobs, TimeProvider time, ILogger<ReconFileDrop> logger)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    BlobContainerClient Drop => blobs.GetBlobContainerClient(ReconNames.DropContainer);

    [Function(nameof(ScanReconciliationDrop))]
    public async Task ScanReconciliationDrop(
        [TimerTrigger("%Reconciliation__ScanSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        List<BlobItem> dropped = [];
        await foreach (BlobItem item in Drop.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            if (!item.Name.StartsWith(ReconNames.ProcessedPrefix, StringComparison.Ordinal) && !item.Name.StartsWith(ReconNames.RejectedPrefix, StringComparison.Ordinal))
            {
                dropped.Add(item);
            }
        }

        int taken = 0, setAside = 0, deferred = 0;
        foreach (BlobItem item in dropped)
        {
            try
            {
                if (await TakeAsync(item, client, cancellationToken))
                {
                    taken++;
                }
                else
                {
                    setAside++;
                }
            }
            catch (RequestFailedException e)
            {
                logger.ReconDropDeferred(e, item.Name, e.Status);
                deferred++;
            }
        }

        logger.ReconDropScanned(taken, setAside, deferred);
    }

    async Task<bool> TakeAsync(BlobItem item, DurableTaskClient client, CancellationToken ct)
    {
        BlobRequestConditions same = new() { IfMatch = item.Properties.ETag };
        string[] path = item.Name.Split('/');
        string? channelId = path.Length >= 3 ? path[0] : null;
        DateOnly? channelDate = path.Length >= 3 && QueryRules.TryParseDay(path[1], out DateOnly day) ? day : null;
        string? format = ReconFileFormats.FromName(item.Name);
        if (format is null)
        {
            return await SetAsideAsync(item, same, "recon-file-type", "Dropped files are taken by extension: .csv (the reconciliation CSV) or .xml (camt.053/camt.054).", ct);
        }

        if (format == ReconFileFormats.Xml && (channelId is null || !ReconRules.IsChannelId(channelId) || channelDate is null))
        {
            return await SetAsideAsync(item, same, "drop-path", "A camt file is dropped as {channelId}/{yyyy-MM-dd}/{name}.xml: the path names our channel and day.", ct);
        }

        if (item.Properties.ContentLength > intake.MaxBytes)
        {
            return await SetAsideAsync(item, same, ReconRules.FileTooLarge, $"A reconciliation file may be at most {intake.MaxBytes:N0} bytes.", ct);
        }

        byte[] bytes = (await Drop.GetBlobClient(item.Name).DownloadContentAsync(new BlobDownloadOptions { Conditions = same }, ct)).Value.Content.ToArray();
        bool pathNamesDay = channelId is not null && ReconRules.IsChannelId(channelId) && channelDate is not null;
        ReconIntakeResult result = await intake.TakeAsync(client, bytes, format, pathNamesDay ? channelId : null, pathNamesDay ? channelDate : null, "drop:" + item.Name, ct);
        if (result.Refusal is { } refusal)
        {
            return await SetAsideAsync(item, same, refusal.Rule, refusal.Message, ct);
        }

        await Drop.GetBlobClient(ReconNames.ProcessedPrefix + item.Name + ".json").UploadAsync(
            BinaryData.FromObjectAsJson(new { name = item.Name, result.FileId, report = result.Accepted!.Report, takenAt = time.GetUtcNow() }, Json), overwrite: true, ct);
        await Drop.DeleteBlobAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, same, ct);
        logger.ReconDropTaken(item.Name, result.FileId);
        return true;
    }

    async Task<bool> SetAsideAsync(BlobItem item, BlobRequestConditions same, string rule, string message, CancellationToken ct)
    {
        string target = ReconNames.RejectedPrefix + item.Name;
        await using (Stream source = await Drop.GetBlobClient(item.Name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = same }, ct))
        {
            await Drop.GetBlobClient(target).UploadAsync(source, overwrite: true, ct);
        }

        await Drop.GetBlobClient(target + ".reason.json").UploadAsync(BinaryData.FromObjectAsJson(new { name = item.Name, rule, message, at = time.GetUtcNow() }, Json), overwrite: true, ct);
        await Drop.DeleteBlobAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, same, ct);
        logger.ReconDropSetAside(item.Name, rule);
        return false;
    }
}
