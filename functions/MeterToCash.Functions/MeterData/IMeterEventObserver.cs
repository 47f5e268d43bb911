using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// Hears the meter events of every delivery once its readings are stored. Ingestion calls every registered observer;
/// Monitoring is one (it raises and closes alarms). Ingestion knows only this interface, so it does not depend on the
/// features that react to events.
/// </summary>
public interface IMeterEventObserver
{
    /// <summary>Handles a delivery's events (any meters, in delivery order). A redelivery hands the same events again: handling must be idempotent.</summary>
    Task ObserveAsync(IReadOnlyList<MeterEvent> events, CancellationToken cancellationToken);
}
