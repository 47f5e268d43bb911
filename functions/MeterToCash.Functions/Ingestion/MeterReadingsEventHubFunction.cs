#if EVENTHUBS_TRIGGER
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Ingestion;

/// <summary>
/// Production streaming path: batches of meter-reading events from Event Hubs (hub and consumer group from settings,
/// identity-based connection <c>EventHubConnection__fullyQualifiedNamespace</c>). Compiled only when
/// <c>EnableEventHubsTrigger=true</c>, because its extension package is not on the local build feed; everything it calls
/// is <see cref="MeterEventIngestion"/>, which is compiled and tested always.
/// </summary>
public sealed class MeterReadingsEventHubFunction(MeterEventIngestion ingestion)
{
    [Function(nameof(IngestMeterReadingEvents))]
    [ExponentialBackoffRetry(5, "00:00:04", "00:05:00")]
    public async Task IngestMeterReadingEvents(
        [EventHubTrigger("%Ingestion__EventHubName%", Connection = "EventHubConnection", ConsumerGroup = "%Ingestion__EventHubConsumerGroup%", IsBatched = true)] EventData[] events,
        CancellationToken cancellationToken) =>
        await ingestion.ProcessAsync(events.Select(e => e.EventBody.ToMemory()).ToList(), cancellationToken);
}
#endif
