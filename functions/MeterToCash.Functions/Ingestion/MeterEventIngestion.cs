using MeterToCash.Domain.MeterData;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ingestion;

/// <summary>What one batch of stream events did.</summary>
public sealed record EventBatchResult(int Events, int Accepted, int Duplicate, int Quarantined, int DocumentsRefused);

/// <summary>
/// The streaming entry point's handler: each event body is one MeterReadings JSON document (partition key = meter
/// number, so a meter's readings stay ordered within a partition). It feeds the same <see cref="ReadingPipeline"/> as
/// HTTP push, so a reading has the same effect whichever way it came. Compiled and tested always; the Event Hub
/// trigger that calls it is compiled only in the deploy build (<c>EnableEventHubsTrigger=true</c>).
/// </summary>
/// <remarks>
/// A stream has no sender to answer, so a document that cannot be read at all is not refused as HTTP does: it is
/// archived and quarantined with its reason, and the batch goes on. Storage failures propagate, so the trigger's retry
/// policy redelivers the batch; the pipeline is idempotent, so a redelivery changes nothing that was already stored.
/// </remarks>
public sealed class MeterEventIngestion(ReadingPipeline pipeline, ILogger<MeterEventIngestion> logger)
{
    public const string Source = "eventhub";

    public async Task<EventBatchResult> ProcessAsync(IReadOnlyList<ReadOnlyMemory<byte>> bodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        int accepted = 0, duplicate = 0, quarantined = 0, refused = 0;
        foreach (ReadOnlyMemory<byte> body in bodies)
        {
            MeterReadingBatch batch = MeterReadingsJsonParser.Parse(body, ParserLimits.Default);
            if (batch.Intervals.Count == 0 && batch.Registers.Count == 0 && batch.Events.Count == 0 && batch.Rejected.Count > 0)
            {
                refused++;
            }

            IngestionResult result = await pipeline.ProcessAsync(batch, new Payload(body, Source, "json", "application/json"), cancellationToken);
            accepted += result.Counts.Accepted;
            duplicate += result.Counts.Duplicate;
            quarantined += result.Counts.Quarantined;
        }

        logger.EventBatchProcessed(bodies.Count, accepted, duplicate, quarantined, refused);
        return new EventBatchResult(bodies.Count, accepted, duplicate, quarantined, refused);
    }
}
