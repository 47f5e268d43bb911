using System.Diagnostics;
using System.Diagnostics.Metrics;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Ingestion;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The app's own traces and metrics, in one place: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <see cref="Name"/>, and the instruments operators watch. Every instrument and its tags is listed in
/// <c>docs/operations.md</c>. Static, because the features record from static code too (the durable fan-out helper)
/// and an instrument with no listener costs a null check; <see cref="TelemetryRegistration"/> decides whether anything
/// listens and where it goes.
/// </summary>
/// <remarks>
/// Tags are chosen for low cardinality: statuses, reasons, kinds and orchestrator names, never meter or account numbers.
/// </remarks>
public static class MeterToCashTelemetry
{
    /// <summary>Name of the app's <see cref="ActivitySource"/> and <see cref="Meter"/>.</summary>
    public const string Name = "MeterToCash";

    /// <summary>The app's spans (e.g. one per ingestion pipeline run); storage calls below them come from the Azure SDK's own sources.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    static readonly Meter Meter = new(Name);

    /// <summary>Items (interval values, register reads, parser rejections) through the ingestion pipeline, by <c>status</c> and <c>source</c>.</summary>
    public static Counter<long> IngestedItems { get; } = Meter.CreateCounter<long>(
        "metertocash.ingestion.items", "{item}", "Meter-data items through the ingestion pipeline, by status (Accepted, Suspect, Estimated, Duplicate, Ignored, Quarantined) and source (push, file, eventhub).");

    /// <summary>Quarantined items, by <c>reason</c> (parser rule, VEE rule, UnknownMeter, ConflictRejected, …) and <c>source</c>.</summary>
    public static Counter<long> QuarantinedItems { get; } = Meter.CreateCounter<long>(
        "metertocash.ingestion.quarantined", "{item}", "Meter-data items quarantined by the ingestion pipeline, by reason and source.");

    /// <summary>Alarms opened (a new alarm row, not a repeat observation), by <c>kind</c> and <c>severity</c>.</summary>
    public static Counter<long> AlarmsOpened { get; } = Meter.CreateCounter<long>(
        "metertocash.alarms.opened", "{alarm}", "Alarms opened, by kind and severity.");

    /// <summary>Sub-orchestrations of the durable fan-out, by <c>orchestrator</c> and <c>state</c> (scheduled, completed).</summary>
    public static Counter<long> FanOutBatches { get; } = Meter.CreateCounter<long>(
        "metertocash.durable.fanout.batches", "{batch}", "Batches (sub-orchestrations) of the durable fan-out, by orchestrator and state: scheduled, completed. completed / scheduled is a workflow's progress.");

    /// <summary>The span of one ingestion pipeline run (a push, a file batch, an event batch); null when nothing listens.</summary>
    public static Activity? StartIngestion(string source)
    {
        Activity? activity = ActivitySource.StartActivity("ReadingPipeline.Process");
        activity?.SetTag("metertocash.source", source);
        return activity;
    }

    /// <summary>Counts one pipeline run's items by status, and its quarantined items by reason.</summary>
    /// <param name="source">Entry point: push, file, eventhub.</param>
    /// <param name="counts">The run's counts (statuses sum to <see cref="IngestionCounts.Received"/>).</param>
    /// <param name="items">The run's items that were not plainly accepted (quarantined ones carry their reason).</param>
    public static void RecordIngestion(string source, IngestionCounts counts, IEnumerable<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(items);
        if (IngestedItems.Enabled)
        {
            AddStatus(source, ItemStatus.Accepted, counts.Accepted);
            AddStatus(source, ItemStatus.Suspect, counts.Suspect);
            AddStatus(source, ItemStatus.Estimated, counts.Estimated);
            AddStatus(source, ItemStatus.Duplicate, counts.Duplicate);
            AddStatus(source, ItemStatus.Ignored, counts.Ignored);
            AddStatus(source, ItemStatus.Quarantined, counts.Quarantined);
        }

        if (QuarantinedItems.Enabled && counts.Quarantined > 0)
        {
            foreach (IGrouping<string, ItemResult> reason in items.Where(i => i.Status == ItemStatus.Quarantined).GroupBy(i => i.Reason ?? "Unknown", StringComparer.Ordinal))
            {
                QuarantinedItems.Add(reason.Count(), new KeyValuePair<string, object?>("reason", reason.Key), new KeyValuePair<string, object?>("source", source));
            }
        }
    }

    /// <summary>Counts an alarm that was opened (stored as a new alarm).</summary>
    public static void RecordAlarmOpened(AlarmKind kind, AlarmSeverity severity) =>
        AlarmsOpened.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()), new KeyValuePair<string, object?>("severity", severity.ToString()));

    /// <summary>Counts fan-out batches of <paramref name="orchestrator"/> in <paramref name="state"/> (scheduled, completed).</summary>
    public static void RecordFanOut(string orchestrator, string state, int batches) =>
        FanOutBatches.Add(batches, new KeyValuePair<string, object?>("orchestrator", orchestrator), new KeyValuePair<string, object?>("state", state));

    static void AddStatus(string source, ItemStatus status, int count)
    {
        if (count > 0)
        {
            IngestedItems.Add(count, new KeyValuePair<string, object?>("status", status.ToString()), new KeyValuePair<string, object?>("source", source));
        }
    }
}
