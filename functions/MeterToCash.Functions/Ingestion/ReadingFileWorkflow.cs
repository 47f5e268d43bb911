using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Why a reading file cannot be used at all: the rule it breaks and the HTTP status an upload gets.</summary>
public sealed record ReadingFileRefusal(string Rule, string Message, int Status);

/// <summary>A file accepted for processing: its id and whether this call started its orchestration.</summary>
public sealed record ReadingFileStart(string FileId, bool Started);

/// <summary>
/// What upload and drop share: the check that a file is usable at all, and the start of its one orchestration. The
/// file's SHA-256 is its id and names its orchestration, so the same bytes however they arrive are the same file.
/// </summary>
public sealed class ReadingFileIntake(BlobServiceClient blobs, TimeProvider time, IOptions<ReadingFileOptions> options, ILogger<ReadingFileIntake> logger)
{
    public BlobContainerClient Files { get; } = blobs.GetBlobContainerClient(ReadingFileBlobs.Container);

    public int MaxBytes => options.Value.MaxFileBytes;

    ParserLimits Limits => ParserLimits.Default with { MaxBytes = options.Value.MaxFileBytes };

    public MeterReadingBatch Parse(ReadOnlyMemory<byte> bytes, string format) => format switch
    {
        ReadingFileFormats.Csv => CsvReadingParser.Parse(bytes.Span, Limits),
        ReadingFileFormats.Xml => MeterReadingsXmlParser.Parse(bytes.Span, Limits),
        _ => MeterReadingsJsonParser.Parse(bytes, Limits),
    };

    /// <summary>
    /// Null when the file holds at least one reading. This parses the file once more than processing needs, so that the
    /// sender learns at once that a file is unusable and nothing of it is stored.
    /// </summary>
    public ReadingFileRefusal? Check(ReadOnlyMemory<byte> bytes, string format)
    {
        if (bytes.IsEmpty)
        {
            return new("required", "The file is empty.", StatusCodes.Status400BadRequest);
        }

        // The CSV parser judges encoding line by line; a file that is not UTF-8 as a whole is the wrong file, not bad lines.
        if (format == ReadingFileFormats.Csv && !Utf8.IsValid(bytes.Span))
        {
            return new(nameof(RejectReason.InvalidEncoding), "The file is not valid UTF-8.", StatusCodes.Status400BadRequest);
        }

        MeterReadingBatch batch = Parse(bytes, format);
        if (batch.Intervals.Count > 0 || batch.Registers.Count > 0 || batch.Events.Count > 0)
        {
            return null;
        }

        if (batch.Rejected is [{ } only] && (only.Position.StartsWith("document", StringComparison.Ordinal) || only.Position is "$.MeterReading" or "MeterReadings"))
        {
            return new(only.Reason.ToString(), $"The file cannot be read as {format.ToUpperInvariant()}: {only.Reason} at {only.Position}.", StatusCodes.Status400BadRequest);
        }

        string first = batch.Rejected.Count > 0 ? $" The first rejected item: {batch.Rejected[0].Reason} at {batch.Rejected[0].Position}." : string.Empty;
        return new("no-readings", $"The file holds no usable reading ({batch.Rejected.Count} item(s) rejected).{first}", StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>
    /// Stores the file by id and starts its orchestration unless one exists that has not failed. Of callers sending the
    /// same bytes at once, exactly one is told it started the file (<see cref="SingleStart"/>).
    /// </summary>
    public async Task<ReadingFileStart> StartAsync(DurableTaskClient client, ReadOnlyMemory<byte> bytes, string format, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string fileId = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        string instanceId = ReadingFileBlobs.InstanceId(fileId);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is { RuntimeStatus: not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated) })
        {
            return new(fileId, false);
        }

        bool started = await SingleStart.StartAsync(client, Files, instanceId, async existing =>
        {
            await ReadingPipeline.UploadOnceAsync(Files, ReadingFileBlobs.File(fileId, format), bytes, ReadingFileFormats.ContentType(format), cancellationToken);

            // A failed run is restarted under the raw name it had, so the file is still archived once.
            string rawBlob = existing?.ReadInputAs<ReadingFileInput>()?.RawBlob
                ?? IngestionKeys.PayloadBlob(time.GetUtcNow(), ReadingFileBlobs.Source, fileId, format);
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ReadingFileWorkflow.ProcessReadingFile), new ReadingFileInput(fileId, format, rawBlob, origin), new StartOrchestrationOptions(instanceId), cancellationToken);
        }, cancellationToken);

        if (started)
        {
            logger.ReadingFileStarted(fileId, format, bytes.Length, origin);
        }

        return new(fileId, started);
    }
}

/// <summary>
/// Bulk meter-reading files (head-end daily CSV exports, IEC 61968-9 MeterReadings XML or JSON): the starter stores the
/// file and starts one orchestration per distinct file; the orchestrator archives and splits it in one activity that
/// writes batch blobs of whole meter-days, and fans the batches out over sub-orchestrations to the same
/// <see cref="ReadingPipeline"/> a push goes through, so a reading has the same effect whichever way it came. Every
/// step is idempotent, so a crash anywhere only repeats work.
/// </summary>
public sealed class ReadingFileWorkflow(
    ReadingFileIntake intake,
    ReadingPipeline pipeline,
    MeterDirectory directory,
    IngestionStorage storage,
    IOptions<ReadingFileOptions> options,
    TimeProvider time,
    ILogger<ReadingFileWorkflow> logger)
{
    static TaskOptions Retry => DurableFanOut.Retry;

    static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartReadingFile))]
    public async Task<IActionResult> StartReadingFile(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "meter-readings/files")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (ReadingFileFormats.FromContentType(request.ContentType) is not { } format)
        {
            return Problems.Validation("Content-Type", "reading-file-type", "Send the file as text/csv (head-end daily export), application/xml or text/xml, or application/json (IEC 61968-9 MeterReadings).", StatusCodes.Status415UnsupportedMediaType);
        }

        int max = intake.MaxBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(max);
        }

        byte[] bytes;
        try
        {
            using MemoryStream buffer = new();
            await RequestJson.CopyBoundedAsync(request.Body, buffer, max, ct);
            bytes = buffer.ToArray();
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(max);
        }

        if (intake.Check(bytes, format) is { } refusal)
        {
            logger.ReadingFileRefused(refusal.Rule, "upload");
            return Problems.Validation("body", refusal.Rule, refusal.Message, refusal.Status);
        }

        ReadingFileStart start = await intake.StartAsync(client, bytes, format, "upload", ct);
        request.HttpContext.Response.Headers.Location = $"/api/meter-readings/files/{start.FileId}";
        ReadingFileStatusDto? status = await StatusAsync(client, start.FileId, ct);
        return start.Started ? new ObjectResult(status) { StatusCode = StatusCodes.Status202Accepted } : new OkObjectResult(status);
    }

    [Function(nameof(GetReadingFile))]
    public async Task<IActionResult> GetReadingFile(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meter-readings/files/{fileId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string fileId)
    {
        if (!ReadingFileBlobs.IsFileId(fileId))
        {
            return Problems.Validation("fileId", "file-id-format", "A file id is the 64 lower-case hex characters (SHA-256) returned by POST /api/meter-readings/files.");
        }

        ReadingFileStatusDto? status = await StatusAsync(client, fileId, request.HttpContext.RequestAborted);
        return status is null ? Problems.NotFound($"No reading file '{fileId}'.") : new OkObjectResult(status);
    }

    [Function(nameof(ProcessReadingFile))]
    public static async Task<ReadingFileSummary> ProcessReadingFile([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ILogger log = context.CreateReplaySafeLogger(nameof(ProcessReadingFile));
        ReadingFileInput input = context.GetInput<ReadingFileInput>() ?? throw new InvalidOperationException("The reading-file orchestration needs its input.");

        context.SetCustomStatus(new ReadingFileProgress("Splitting", 0, 0, ReadingFileCounts.None));
        SplitReadingFileResult split = await context.CallActivityAsync<SplitReadingFileResult>(nameof(SplitReadingFile), input, Retry);

        List<ReadingFileChunk> chunks = [];
        for (int first = 0; first < split.BatchCount; first += split.BatchesPerChunk)
        {
            chunks.Add(new ReadingFileChunk(input.FileId, input.RawBlob, first, Math.Min(split.BatchesPerChunk, split.BatchCount - first)));
        }

        // Items the parser rejected never reach a batch; they are in the file's parse quarantine blob.
        ReadingFileCounts done = ReadingFileCounts.None with { Received = split.Rejected, Quarantined = split.Rejected };
        int batchesDone = 0;
        context.SetCustomStatus(new ReadingFileProgress("Processing", split.BatchCount, 0, done));
        await DurableFanOut.SubOrchestrationsAsync<ReadingFileChunk, ReadingFileCounts>(context, nameof(ProcessReadingFileChunk), chunks, "chunk", (window, results) =>
        {
            done = results.Aggregate(done, ReadingFileCounts.Add);
            batchesDone += window.Sum(c => c.BatchCount);
            context.SetCustomStatus(new ReadingFileProgress("Processing", split.BatchCount, batchesDone, done));
        });

        context.SetCustomStatus(new ReadingFileProgress("Completed", split.BatchCount, batchesDone, done));
        log.ReadingFileCompleted(input.FileId, split.BatchCount, done.Received, done.Accepted + done.Suspect + done.Estimated, done.Duplicate, done.Quarantined);
        return new ReadingFileSummary(input.FileId, split.BatchCount, done);
    }

    [Function(nameof(ProcessReadingFileChunk))]
    public static async Task<ReadingFileCounts> ProcessReadingFileChunk([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ReadingFileChunk chunk = context.GetInput<ReadingFileChunk>() ?? throw new InvalidOperationException("The chunk orchestration needs its input.");
        ReadingFileCounts[] results = await Task.WhenAll(Enumerable.Range(chunk.FirstBatch, chunk.BatchCount)
            .Select(b => context.CallActivityAsync<ReadingFileCounts>(nameof(ProcessReadingFileBatch), new ReadingFileBatch(chunk.FileId, chunk.RawBlob, b), Retry)));
        return results.Aggregate(ReadingFileCounts.None, ReadingFileCounts.Add);
    }

    [Function(nameof(SplitReadingFile))]
    public async Task<SplitReadingFileResult> SplitReadingFile([ActivityTrigger] ReadingFileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobDownloadResult file = await intake.Files.GetBlobClient(ReadingFileBlobs.File(input.FileId, input.Format)).DownloadContentAsync();
        ReadOnlyMemory<byte> bytes = file.Content.ToMemory();

        // The file is the raw archive of every reading in it: archived once and whole, never again per batch.
        await ReadingPipeline.UploadOnceAsync(storage.Raw, input.RawBlob, bytes, ReadingFileFormats.ContentType(input.Format), CancellationToken.None);

        MeterReadingBatch parsed = intake.Parse(bytes, input.Format);
        List<ReadingFileBatchContent> batches = await PackAsync(parsed);
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, ct) =>
            await intake.Files.GetBlobClient(ReadingFileBlobs.Batch(input.FileId, b)).UploadAsync(BinaryData.FromObjectAsJson(batches[b], FileJson), overwrite: true, ct));

        if (parsed.Rejected.Count > 0)
        {
            ReadingPipeline.QuarantineDocument rejected = new(input.RawBlob, ReadingFileBlobs.Source, time.GetUtcNow(),
                [.. parsed.Rejected.Select(r => new ReadingPipeline.QuarantinedItem(r.Position, null, null, null, null, r.Reason.ToString(), r.Detail))]);
            await ReadingPipeline.UploadOnceAsync(storage.Quarantine, ReadingFileBlobs.ParseQuarantine(input.RawBlob), JsonSerializer.SerializeToUtf8Bytes(rejected, FileJson), "application/json", CancellationToken.None);
        }

        logger.ReadingFileSplit(input.FileId, batches.Count, parsed.Intervals.Count, parsed.Registers.Count, parsed.Events.Count, parsed.Rejected.Count);
        return new SplitReadingFileResult(batches.Count, options.Value.BatchesPerSubOrchestration, parsed.Intervals.Count, parsed.Registers.Count, parsed.Events.Count, parsed.Rejected.Count);
    }

    [Function(nameof(ProcessReadingFileBatch))]
    public async Task<ReadingFileCounts> ProcessReadingFileBatch([ActivityTrigger] ReadingFileBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // A batch whose result is recorded ran to the end already (its completion was lost, e.g. in a crash): running it
        // again would change nothing but would report what the first run stored as duplicates.
        BlobClient resultBlob = intake.Files.GetBlobClient(ReadingFileBlobs.BatchResult(batch.FileId, batch.Batch));
        try
        {
            return (await resultBlob.DownloadContentAsync()).Value.Content.ToObjectFromJson<ReadingFileCounts>(FileJson)!;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not run yet (or it died before recording its result): run it; the pipeline is idempotent.
        }

        BlobDownloadResult content = await intake.Files.GetBlobClient(ReadingFileBlobs.Batch(batch.FileId, batch.Batch)).DownloadContentAsync();
        ReadingFileBatchContent part = content.Content.ToObjectFromJson<ReadingFileBatchContent>(FileJson)
            ?? throw new InvalidOperationException($"Batch {batch.Batch} of reading file {batch.FileId} is empty.");
        IngestionResult result = await pipeline.ProcessAsync(
            part.ToBatch(),
            new ArchivedPart(batch.RawBlob, ReadingFileBlobs.Source, ReadingFileBlobs.BatchQuarantine(batch.RawBlob, batch.Batch), [.. part.Intervals.Select(i => i.Position)]),
            CancellationToken.None);
        ReadingFileCounts counts = ReadingFileCounts.From(result.Counts);
        await resultBlob.UploadAsync(BinaryData.FromObjectAsJson(counts, FileJson), overwrite: true);
        return counts;
    }

    /// <summary>
    /// Batches of whole meter-days, ordered by area and day so a batch's curve and month-to-date writes fall in as few
    /// partitions (hence transactions) as possible; a meter's registers and events go with its first meter-day, those of
    /// meters without interval values into batches of their own.
    /// </summary>
    async Task<List<ReadingFileBatchContent>> PackAsync(MeterReadingBatch parsed)
    {
        int max = options.Value.BatchValues;
        Dictionary<string, string> areaOf = new(StringComparer.Ordinal);
        await Parallel.ForEachAsync(parsed.Intervals.Select(r => MeterDataKeys.Meter(r.Meter.Value)).Distinct(StringComparer.Ordinal).ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (meter, ct) =>
            {
                // Unknown meters sort last, together: the pipeline quarantines them.
                string area = (await directory.ResolveAsync(meter, ct))?.AreaCode ?? "~";
                lock (areaOf)
                {
                    areaOf[meter] = area;
                }
            });

        var meterDays = parsed.Intervals.Select((reading, position) => (Reading: reading, Position: position, Meter: MeterDataKeys.Meter(reading.Meter.Value)))
            .GroupBy(x => (Area: areaOf[x.Meter], Day: ChinaTime.LocalDay(x.Reading.Start), x.Meter))
            .OrderBy(g => g.Key.Area, StringComparer.Ordinal).ThenBy(g => g.Key.Day).ThenBy(g => g.Key.Meter, StringComparer.Ordinal);

        List<(List<FileInterval> Intervals, List<FileRegister> Registers, List<FileEvent> Events)> batches = [];
        Dictionary<string, int> batchOfMeter = new(StringComparer.Ordinal);
        List<FileInterval> current = [];
        foreach (var meterDay in meterDays)
        {
            // A meter-day larger than a batch (a file repeating values) is the one case split across batches.
            foreach (var piece in meterDay.Chunk(max))
            {
                if (current.Count + piece.Length > max && current.Count > 0)
                {
                    batches.Add((current, [], []));
                    current = [];
                }

                current.AddRange(piece.Select(x => FileInterval.From(x.Position, x.Reading)));
                batchOfMeter.TryAdd(meterDay.Key.Meter, batches.Count);
            }
        }

        if (current.Count > 0)
        {
            batches.Add((current, [], []));
        }

        var others = parsed.Registers.Select(r => (Meter: MeterDataKeys.Meter(r.Meter.Value), Register: (FileRegister?)FileRegister.From(r), Event: (FileEvent?)null))
            .Concat(parsed.Events.Select(e => (Meter: MeterDataKeys.Meter(e.Meter.Value), Register: (FileRegister?)null, Event: (FileEvent?)FileEvent.From(e))))
            .GroupBy(x => x.Meter)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        int firstOwn = batches.Count;
        foreach (var meter in others)
        {
            if (!batchOfMeter.TryGetValue(meter.Key, out int b))
            {
                int size = meter.Count();
                b = batches.Count > firstOwn && batches[^1].Registers.Count + batches[^1].Events.Count + size <= max ? batches.Count - 1 : batches.Count;
                if (b == batches.Count)
                {
                    batches.Add(([], [], []));
                }
            }

            batches[b].Registers.AddRange(meter.Where(x => x.Register is not null).Select(x => x.Register!));
            batches[b].Events.AddRange(meter.Where(x => x.Event is not null).Select(x => x.Event!));
        }

        return [.. batches.Select(b => new ReadingFileBatchContent(b.Intervals, b.Registers, b.Events))];
    }

    async Task<ReadingFileStatusDto?> StatusAsync(DurableTaskClient client, string fileId, CancellationToken ct)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(ReadingFileBlobs.InstanceId(fileId), getInputsAndOutputs: true, ct);
        if (instance?.ReadInputAs<ReadingFileInput>() is not { } input)
        {
            return null;
        }

        ReadingFileProgress progress = (instance.SerializedCustomStatus is { Length: > 0 } ? instance.ReadCustomStatusAs<ReadingFileProgress>() : null)
            ?? new ReadingFileProgress("Queued", 0, 0, ReadingFileCounts.None);

        // Listed rather than kept in the custom status: a file of many batches could have more names than the status holds.
        List<string> quarantine = [];
        await foreach (BlobItem blob in storage.Quarantine.GetBlobsAsync(BlobTraits.None, BlobStates.None, ReadingFileBlobs.QuarantinePrefix(input.RawBlob), ct))
        {
            quarantine.Add(blob.Name);
        }

        return new ReadingFileStatusDto(fileId, instance.RuntimeStatus.ToString(), progress.Phase, input.Format, input.Origin, input.RawBlob,
            progress.BatchesTotal, progress.BatchesDone, progress.Counts, quarantine, instance.CreatedAt, instance.LastUpdatedAt, DurableStatus.Error(instance));
    }

    static ObjectResult TooLarge(int max) =>
        Problems.Validation("body", "max-size", $"A reading file may be at most {max:N0} bytes; split the export.", StatusCodes.Status413PayloadTooLarge);
}
