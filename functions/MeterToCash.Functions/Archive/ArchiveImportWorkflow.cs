using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Tariffs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Archive;

/// <summary>
/// Bulk import of an archive CSV: the starter stores the file and starts one orchestration per distinct file; the
/// orchestrator validates it in one activity that writes batch blobs, fans the batches out over sub-orchestrations,
/// and finishes with a downloadable error report. Every step is idempotent, so a crash anywhere only repeats work.
/// </summary>
public sealed class ArchiveImportWorkflow(ArchiveStore store, TariffCatalog tariffs, BlobServiceClient blobs, IOptions<ArchiveImportOptions> options, ILogger<ArchiveImportWorkflow> logger)
{
    static TaskOptions Retry => DurableFanOut.Retry;

    BlobContainerClient Container => blobs.GetBlobContainerClient(ImportBlobs.Container);

    [Function(nameof(StartArchiveImport))]
    public async Task<IActionResult> StartArchiveImport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "archive/imports")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        long max = options.Value.MaxImportBytes;
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Problems.Validation("Content-Type", "csv-required", "Send the archive file as text/csv.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > max)
        {
            return Problems.Validation("body", "max-size", $"An import file may be at most {max:N0} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        using MemoryStream file = new();
        try
        {
            await RequestJson.CopyBoundedAsync(request.Body, file, max, ct);
        }
        catch (BodyTooLargeException)
        {
            return Problems.Validation("body", "max-size", $"An import file may be at most {max:N0} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (file.Length == 0)
        {
            return Problems.Validation("body", "required", "The import file is empty.");
        }

        file.Position = 0;
        using (StreamReader reader = new(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            IReadOnlyList<ValidationError> headerErrors = ArchiveCsv.ValidateHeader(await reader.ReadLineAsync(ct) ?? string.Empty);
            if (headerErrors.Count > 0)
            {
                return RequestJson.Invalid(headerErrors);
            }
        }

        // The file's hash is the import's identity: the same file posted again is the same import and changes nothing.
        file.Position = 0;
        string importId = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct))[..32];
        string instanceId = ImportBlobs.InstanceId(importId);

        // Of callers posting the same file at once, exactly one starts the import (202); the others join it (200).
        bool started = await SingleStart.StartAsync(client, Container, instanceId, async _ =>
        {
            file.Position = 0;
            await Container.GetBlobClient(ImportBlobs.Source(importId)).UploadAsync(file, overwrite: true, ct);
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ArchiveImportOrchestrator), new ArchiveImportInput(importId), new StartOrchestrationOptions(instanceId), ct);
        }, ct);
        if (!started)
        {
            return new OkObjectResult(await StatusAsync(client, importId, ct));
        }

        logger.ImportStarted(importId, file.Length);
        request.HttpContext.Response.Headers.Location = $"/api/archive/imports/{importId}";
        return new ObjectResult(await StatusAsync(client, importId, ct)) { StatusCode = StatusCodes.Status202Accepted };
    }

    [Function(nameof(GetArchiveImport))]
    public async Task<IActionResult> GetArchiveImport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "archive/imports/{importId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string importId)
    {
        if (!IsImportId(importId))
        {
            return InvalidImportId();
        }

        ImportStatusDto? status = await StatusAsync(client, importId, request.HttpContext.RequestAborted);
        return status is null ? Problems.NotFound($"No import '{importId}'.") : new OkObjectResult(status);
    }

    [Function(nameof(GetArchiveImportErrors))]
    public async Task<IActionResult> GetArchiveImportErrors(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "archive/imports/{importId}/errors")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string importId)
    {
        if (!IsImportId(importId))
        {
            return InvalidImportId();
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        OrchestrationMetadata? instance = await client.GetInstanceAsync(ImportBlobs.InstanceId(importId), getInputsAndOutputs: true, ct);
        if (instance is null)
        {
            return Problems.NotFound($"No import '{importId}'.");
        }

        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            return Problems.Conflict(DurableStatus.Error(instance) is { } reason
                ? $"Import '{importId}' is {instance.RuntimeStatus} and has no error report: {reason}"
                : $"Import '{importId}' is {instance.RuntimeStatus}; its error report is written when it completes.");
        }

        BlobDownloadStreamingResult report = await Container.GetBlobClient(ImportBlobs.Report(importId)).DownloadStreamingAsync(cancellationToken: ct);
        return new FileStreamResult(report.Content, "text/csv; charset=utf-8") { FileDownloadName = $"archive-import-{importId}-errors.csv" };
    }

    [Function(nameof(ArchiveImportOrchestrator))]
    public static async Task<ImportSummary> ArchiveImportOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ILogger log = context.CreateReplaySafeLogger(nameof(ArchiveImportOrchestrator));
        ArchiveImportInput input = context.GetInput<ArchiveImportInput>() ?? throw new InvalidOperationException("The import orchestration needs its input.");

        context.SetCustomStatus(new ImportProgress("Validating", 0, 0, 0, 0, 0, 0));
        PreparedImport prepared = await context.CallActivityAsync<PreparedImport>(nameof(PrepareArchiveImport), input.ImportId, Retry);

        List<ImportChunk> chunks = [];
        for (int first = 0; first < prepared.BatchCount; first += prepared.BatchesPerChunk)
        {
            chunks.Add(new ImportChunk(input.ImportId, first, Math.Min(prepared.BatchesPerChunk, prepared.BatchCount - first)));
        }

        BatchResult done = new(0, prepared.RejectedRows);
        int batchesDone = 0;
        context.SetCustomStatus(new ImportProgress("Importing", prepared.TotalRows, done.RowsFailed, 0, done.RowsFailed, 0, prepared.BatchCount));
        await DurableFanOut.SubOrchestrationsAsync<ImportChunk, BatchResult>(context, nameof(ArchiveImportChunkOrchestrator), chunks, "chunk", (window, results) =>
        {
            foreach (BatchResult result in results)
            {
                done += result;
            }

            batchesDone += window.Sum(c => c.BatchCount);
            context.SetCustomStatus(new ImportProgress("Importing", prepared.TotalRows, done.RowsImported + done.RowsFailed, done.RowsImported, done.RowsFailed, batchesDone, prepared.BatchCount));
        });

        context.SetCustomStatus(new ImportProgress("Reporting", prepared.TotalRows, done.RowsImported + done.RowsFailed, done.RowsImported, done.RowsFailed, batchesDone, prepared.BatchCount));
        string report = await context.CallActivityAsync<string>(nameof(FinishArchiveImport), input.ImportId, Retry);
        context.SetCustomStatus(new ImportProgress("Completed", prepared.TotalRows, done.RowsImported + done.RowsFailed, done.RowsImported, done.RowsFailed, batchesDone, prepared.BatchCount));
        log.ImportCompleted(input.ImportId, done.RowsImported, done.RowsFailed);
        return new ImportSummary(input.ImportId, prepared.TotalRows, done.RowsImported, done.RowsFailed, report);
    }

    [Function(nameof(ArchiveImportChunkOrchestrator))]
    public static async Task<BatchResult> ArchiveImportChunkOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ImportChunk chunk = context.GetInput<ImportChunk>() ?? throw new InvalidOperationException("The chunk orchestration needs its input.");
        BatchResult[] results = await Task.WhenAll(Enumerable.Range(chunk.FirstBatch, chunk.BatchCount)
            .Select(b => context.CallActivityAsync<BatchResult>(nameof(ImportArchiveBatch), new ImportBatch(chunk.ImportId, b), Retry)));
        return results.Aggregate(new BatchResult(0, 0), BatchResult.Add);
    }

    [Function(nameof(PrepareArchiveImport))]
    public async Task<PreparedImport> PrepareArchiveImport([ActivityTrigger] string importId)
    {
        ArchiveCsvResult parsed;
        BlobDownloadStreamingResult source = await Container.GetBlobClient(ImportBlobs.Source(importId)).DownloadStreamingAsync();
        using (StreamReader reader = new(source.Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            parsed = ArchiveCsv.Parse(reader);
        }

        HashSet<string> areas = (await store.NetworkAsync(CancellationToken.None))
            .Where(n => n.Level == NetworkLevel.TransformerArea).Select(n => n.Code).ToHashSet(StringComparer.Ordinal);

        // Tariff codes are looked up once for the whole file, like the areas above, not per row.
        IReadOnlySet<string> unknownTariffs = await tariffs.UnknownCodesAsync(
            parsed.Customers.SelectMany(c => c.Customer.ServicePoints).SelectMany(p => p.Tariffs).Select(t => t.TariffCode), CancellationToken.None);
        List<ArchiveRowError> errors = [.. parsed.Errors];
        List<ImportedCustomer> good = [];
        foreach (ImportedCustomer imported in parsed.Customers)
        {
            string? unknown = new[] { imported.Customer.AreaCode }.Concat(imported.Customer.ServicePoints.Select(p => p.AreaCode)).FirstOrDefault(a => !areas.Contains(a));
            string? unknownTariff = imported.Customer.ServicePoints.SelectMany(p => p.Tariffs).Select(t => t.TariffCode).FirstOrDefault(unknownTariffs.Contains);
            if (unknown is not null)
            {
                errors.AddRange(imported.Rows.Select(r => new ArchiveRowError(r, "area_code", "unknown-area", $"Transformer area '{unknown}' is not in the network archive.")));
            }
            else if (unknownTariff is not null)
            {
                // A customer is imported whole or not at all, so every row of its account carries the refusal.
                errors.AddRange(imported.Rows.Select(r => new ArchiveRowError(r, "tariff_code", "unknown-tariff-code", $"Tariff '{unknownTariff}' is not in the tariff catalogue.")));
            }
            else
            {
                good.Add(imported);
            }
        }

        // Ordering by area packs each batch into as few partitions, hence transactions, as possible.
        ImportBatchCustomer[][] batches = good.OrderBy(c => c.Customer.AreaCode, StringComparer.Ordinal).ThenBy(c => c.Customer.AccountNo, StringComparer.Ordinal)
            .Select(c => new ImportBatchCustomer(c.Rows, CustomerDto.FromDomain(c.Customer)))
            .Chunk(options.Value.ImportBatchSize).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, ct) =>
            await Container.GetBlobClient(ImportBlobs.Batch(importId, b)).UploadAsync(BinaryData.FromObjectAsJson(new ImportBatchFile(batches[b]), ArchiveJson.Options), overwrite: true, ct));
        await WriteErrorsAsync(ImportBlobs.PrepareErrors(importId), errors);

        int rejectedRows = errors.Select(e => e.Row).Distinct().Count();
        return new PreparedImport(importId, parsed.TotalRows, rejectedRows, batches.Length, options.Value.BatchesPerSubOrchestration);
    }

    [Function(nameof(ImportArchiveBatch))]
    public async Task<BatchResult> ImportArchiveBatch([ActivityTrigger] ImportBatch batch)
    {
        BlobDownloadResult content = await Container.GetBlobClient(ImportBlobs.Batch(batch.ImportId, batch.Batch)).DownloadContentAsync();
        ImportBatchFile file = content.Content.ToObjectFromJson<ImportBatchFile>(ArchiveJson.Options)!;

        List<(ImportBatchCustomer Source, Customer Customer)> customers = file.Customers.Select(c =>
        {
            List<ValidationError> invalid = [];
            return (c, c.Customer.ToDomain(invalid) ?? throw new InvalidOperationException($"Batch {batch.Batch} of import {batch.ImportId} holds a customer that fails validation."));
        }).ToList();

        IReadOnlyDictionary<string, ValidationError> refused = await store.ImportManyAsync(customers.Select(c => c.Customer).ToList(), CancellationToken.None);
        List<ArchiveRowError> errors = [];
        int importedRows = 0;
        foreach ((ImportBatchCustomer source, Customer customer) in customers)
        {
            if (refused.TryGetValue(customer.AccountNo, out ValidationError why))
            {
                errors.AddRange(source.Rows.Select(r => new ArchiveRowError(r, why.Field, why.Rule, why.Message)));
            }
            else
            {
                importedRows += source.Rows.Count;
            }
        }

        await WriteErrorsAsync(ImportBlobs.BatchErrors(batch.ImportId, batch.Batch), errors);
        return new BatchResult(importedRows, errors.Select(e => e.Row).Distinct().Count());
    }

    [Function(nameof(FinishArchiveImport))]
    public async Task<string> FinishArchiveImport([ActivityTrigger] string importId)
    {
        List<(int Row, string Line)> lines = [];
        await foreach (BlobItem item in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ImportBlobs.ErrorsPrefix(importId), CancellationToken.None))
        {
            BlobDownloadResult part = await Container.GetBlobClient(item.Name).DownloadContentAsync();
            foreach (string line in part.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                lines.Add((int.Parse(line.AsSpan(0, line.IndexOf(',', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture), line));
            }
        }

        StringBuilder report = new(ErrorHeader);
        foreach ((int _, string line) in lines.OrderBy(l => l.Row))
        {
            report.Append(line).Append('\n');
        }

        string name = ImportBlobs.Report(importId);
        await Container.GetBlobClient(name).UploadAsync(BinaryData.FromString(report.ToString()), overwrite: true);
        return name;
    }

    const string ErrorHeader = "row,field,rule,message\n";

    async Task WriteErrorsAsync(string blobName, IEnumerable<ArchiveRowError> errors)
    {
        StringBuilder csv = new(ErrorHeader);
        foreach (ArchiveRowError e in errors.OrderBy(e => e.Row))
        {
            csv.Append(e.Row).Append(',').Append(Quote(e.Field)).Append(',').Append(Quote(e.Rule)).Append(',').Append(Quote(e.Message)).Append('\n');
        }

        await Container.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(csv.ToString()), overwrite: true);
    }

    // Messages can echo file content; quoting (and neutralising a leading formula character) keeps the report safe to open in a spreadsheet.
    static string Quote(string value)
    {
        string safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ') + "\"";
    }

    static bool IsImportId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    static ObjectResult InvalidImportId() =>
        Problems.Validation("importId", "import-id-format", "An import id is the 32 hex characters returned by POST /api/archive/imports.");

    static async Task<ImportStatusDto?> StatusAsync(DurableTaskClient client, string importId, CancellationToken ct)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(ImportBlobs.InstanceId(importId), getInputsAndOutputs: true, ct);
        if (instance is null)
        {
            return null;
        }

        ImportProgress progress = instance.SerializedCustomStatus is { Length: > 0 } status
            ? JsonSerializer.Deserialize<ImportProgress>(status) ?? new ImportProgress("Queued", 0, 0, 0, 0, 0, 0)
            : new ImportProgress("Queued", 0, 0, 0, 0, 0, 0);
        bool completed = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed;
        return new ImportStatusDto(importId, instance.RuntimeStatus.ToString(), progress.Phase, progress.TotalRows, progress.RowsDone, progress.RowsImported, progress.RowsFailed,
            progress.BatchesDone, progress.BatchCount, instance.CreatedAt, instance.LastUpdatedAt,
            completed ? $"/api/archive/imports/{importId}/errors" : null,
            DurableStatus.Error(instance));
    }
}
