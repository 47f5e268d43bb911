namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// Told about tariff versions as they are published, for features that must react (re-rating, cache warm-up).
/// Register implementations as <c>services.AddSingleton&lt;ITariffChangeListener, …&gt;()</c>; none is registered yet.
/// </summary>
/// <remarks>
/// Delivery is at least once: <c>PUT /api/tariffs/{code}/versions/{version}</c> calls every listener after a new
/// version is stored, and again on every republish of the same content, so a publisher whose first PUT failed
/// in a listener completes the notification by retrying. Implementations must therefore be idempotent.
/// </remarks>
public interface ITariffChangeListener
{
    Task TariffPublishedAsync(string code, string version, DateOnly effectiveFrom, CancellationToken ct);
}
