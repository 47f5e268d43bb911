using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeterToCash.Functions.Health;

/// <summary>One dependency's state as the health endpoint reports it.</summary>
public sealed record DependencyHealth(string Name, string Status, long DurationMs, string? Error);

/// <summary>The health endpoint's answer.</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DependencyHealth> Dependencies)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Status == HealthRegistration.Healthy;
}

/// <summary>
/// The dependencies <c>/api/health</c> probes, registered as Microsoft.Extensions.Diagnostics.HealthChecks checks: one
/// cheap call each (tables, blobs, queues, the durable task hub), run in parallel by <see cref="HealthCheckService"/>,
/// each bounded by <see cref="Timeout"/> (long enough for a cold Azurite, short enough that a load balancer's probe
/// does not hang when storage is gone).
/// </summary>
public static class HealthRegistration
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<DurableProbeClient>();
        services.AddHealthChecks()
            .Add(Probe("tables", sp => ct => sp.GetRequiredService<TableServiceClient>().QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().GetAsyncEnumerator(ct).MoveNextAsync().AsTask()))
            .Add(Probe("blobs", sp => ct => sp.GetRequiredService<BlobServiceClient>().GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask()))
            .Add(Probe("queues", sp => ct => sp.GetRequiredService<QueueServiceClient>().GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask()))
            .Add(Probe("durable", sp => ct => sp.GetRequiredService<DurableProbeClient>().Current is { } client
                ? client.GetInstanceAsync("health-probe", ct)
                : throw new InvalidOperationException("No durable client bound to this check.")));
        return services;
    }

    static HealthCheckRegistration Probe(string name, Func<IServiceProvider, Func<CancellationToken, Task>> probe) =>
        new(name, sp => new ProbeCheck(probe(sp)), HealthStatus.Unhealthy, tags: null, timeout: Timeout);

    sealed class ProbeCheck(Func<CancellationToken, Task> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            await probe(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}

/// <summary>
/// The durable client of the current health request. Functions bind a <see cref="DurableTaskClient"/> as a parameter,
/// not through DI, so <see cref="HealthFunction"/> hands its client to the durable check through this async-local slot.
/// </summary>
public sealed class DurableProbeClient
{
    readonly AsyncLocal<DurableTaskClient?> current = new();

    public DurableTaskClient? Current => current.Value;

    public IDisposable Use(DurableTaskClient client)
    {
        current.Value = client;
        return new Reset(this);
    }

    sealed class Reset(DurableProbeClient owner) : IDisposable
    {
        public void Dispose() => owner.current.Value = null;
    }
}
