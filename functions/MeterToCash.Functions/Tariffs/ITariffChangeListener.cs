using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// Told about tariff versions as they are published, for features that must react (re-rating, cache warm-up).
/// Register implementations as <c>services.AddSingleton&lt;ITariffChangeListener, …&gt;()</c> (MeterData recomputes
/// month-to-date bands of the days a new version covers).
/// </summary>
/// <remarks>
/// Delivery is at least once: <c>PUT /api/tariffs/{code}/versions/{version}</c> calls every listener after a new
/// version is stored, and again on every republish of the same content, so a publisher whose first PUT failed
/// in a listener completes the notification by retrying (the PUT answers 503 while a listener fails).
/// Implementations must therefore be idempotent.
/// </remarks>
public interface ITariffChangeListener
{
    /// <summary>Version <paramref name="version"/> of tariff <paramref name="code"/>, in force from <paramref name="effectiveFrom"/> (inclusive, China local), is published.</summary>
    /// <param name="code">Tariff code.</param>
    /// <param name="version">Version label.</param>
    /// <param name="effectiveFrom">First day the version applies.</param>
    /// <param name="durable">The durable client of the publishing request, for a listener whose work is an orchestration.</param>
    /// <param name="ct">Cancels the call.</param>
    Task TariffPublishedAsync(string code, string version, DateOnly effectiveFrom, DurableTaskClient durable, CancellationToken ct);
}
