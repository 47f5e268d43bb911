using System.Globalization;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Ingestion;

/// <summary>HTTP push of meter readings (IEC 61968-9 JSON).</summary>
public sealed class MeterReadingFunctions(
    ReadingPipeline pipeline,
    IngestionStorage storage,
    IOptions<IngestionOptions> options,
    ILogger<MeterReadingFunctions> logger)
{
    [Function(nameof(PushMeterReadings))]
    public async Task<IActionResult> PushMeterReadings(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "meter-readings")] HttpRequest request)
    {
        int maxBytes = options.Value.MaxPushBytes;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Validation("Content-Type", "json-required", "Send the MeterReadings document as application/json.", StatusCodes.Status415UnsupportedMediaType);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        // A head-end posts about a megabyte per area-day: the body goes into a pooled buffer, since a fresh array per
        // request lands on the large-object heap and makes every few requests cost a full garbage collection.
        using PooledBody pooled = new();
        ReadOnlyMemory<byte> body;
        try
        {
            body = await pooled.ReadAsync(request.Body, request.ContentLength, maxBytes, ct);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(maxBytes);
        }

        if (body.Length == 0)
        {
            return Problems.Validation("body", "required", "The request body is empty; send a MeterReadings JSON document.");
        }

        MeterReadingBatch batch = MeterReadingsJsonParser.Parse(body, ParserLimits.Default with { MaxBytes = maxBytes });
        if (DocumentFailure(batch) is { } failure)
        {
            // The document as a whole is unusable (not JSON, not UTF-8, too deep, no MeterReading array): the sender
            // must fix it, so it is refused and nothing is stored. Item-level problems are quarantined instead.
            logger.PushRefused(failure.Reason.ToString(), failure.Position);
            string field = failure.Position == "$.MeterReading" ? "MeterReading" : "body";
            return Problems.Validation(field, failure.Reason.ToString(), DocumentMessage(failure));
        }

        if (batch.Rejected.Any(r => r.Reason == RejectReason.TooManyItems))
        {
            // Refused whole, before anything is stored: an answer listing a million items would be 40 times the request.
            logger.PushRefused(nameof(RejectReason.TooManyItems), "MeterReading");
            return Problems.Validation("MeterReading", "max-items",
                $"A document may hold at most {ParserLimits.Default.MaxItems:N0} items (interval values, register reads and events together); split the delivery.",
                StatusCodes.Status413PayloadTooLarge);
        }

        IngestionResult result = await pipeline.ProcessAsync(batch, new Payload(body, "http", "json", "application/json"), ct);
        // Accepted items are only counted, and the rest are listed up to a bound: the answer stays small however the
        // delivery went. Beyond the bound the complete list goes to a blob the answer names.
        bool truncated = result.Items.Count > IngestionResponseDto.MaxListedItems;
        string? itemsBlob = null;
        if (truncated)
        {
            itemsBlob = result.RawBlob + ".items.json";
            await ReadingPipeline.UploadOnceAsync(storage.Quarantine, itemsBlob, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result.Items, ItemsJson), "application/json", ct);
        }

        return new OkObjectResult(new IngestionResponseDto(
            result.RawBlob, result.RawAlreadyArchived, result.QuarantineBlob, result.Counts, ReasonSummary.Of(result.Items),
            truncated ? result.Items.Take(IngestionResponseDto.MaxListedItems).ToList() : result.Items, truncated, itemsBlob));
    }

    static readonly System.Text.Json.JsonSerializerOptions ItemsJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    static ObjectResult TooLarge(int maxBytes) =>
        Problems.Validation("body", "max-size", $"The body may be at most {maxBytes:N0} bytes; split the delivery.", StatusCodes.Status413PayloadTooLarge);

    static RejectedItem? DocumentFailure(MeterReadingBatch batch) =>
        batch is { Intervals.Count: 0, Registers.Count: 0, Events.Count: 0, Rejected: [{ } only] }
        && (only.Position.StartsWith("document", StringComparison.Ordinal) || only.Position == "$.MeterReading")
            ? only
            : null;

    static string DocumentMessage(RejectedItem failure) => failure.Reason switch
    {
        RejectReason.InvalidEncoding => "The body is not valid UTF-8.",
        RejectReason.TooDeeplyNested => "The JSON is nested deeper than 64 levels.",
        RejectReason.TooLarge => "The body is too large.",
        RejectReason.MissingField => "The body must be a JSON object with a 'MeterReading' array.",
        _ => $"The body is not well-formed JSON ({failure.Position}).",
    };
}
