namespace MeterToCash.Functions.Monitoring;

/// <summary>
/// A check another feature runs on every area of the monitoring sweep (e.g. load monitoring's heavy-load and overload
/// alarms), after the sweep's own judgement of the area. The sweep knows only this interface, so dependencies still
/// point one way (the feature uses Monitoring). A check must be idempotent: the sweep's activity may be retried.
/// </summary>
public interface IAreaSweepCheck
{
    /// <summary>Checks one area at <paramref name="at"/> (the sweep's instant, UTC).</summary>
    Task CheckAsync(string area, DateTimeOffset at, CancellationToken cancellationToken);
}
