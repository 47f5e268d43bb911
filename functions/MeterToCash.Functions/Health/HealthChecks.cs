using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Health;

/// <summary>One dependency's state as the health endpoint reports it.</summary>
public sealed record DependencyHealth(string Name, string Status, long DurationMs, string? Error);

/// <summary>The health endpoint's answer.</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DependencyHealth> Dependencies)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Status == HealthChecks.Healthy;
}

/// <summary>Probes every dependency with one cheap call each, in parallel, each bounded by a timeout.</summary>
public sealed class HealthChecks(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, TimeProvider time)
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";

    // Long enough for a cold Azurite, short enough that a load balancer's probe does not hang when storage is gone.
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        DependencyHealth[] results = await Task.WhenAll(
            ProbeAsync("tables", ct => tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), cancellationToken),
            ProbeAsync("blobs", ct => blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), cancellationToken),
            ProbeAsync("queues", ct => queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), cancellationToken),
            ProbeAsync("durable", ct => durable.GetInstanceAsync("health-probe", ct), cancellationToken));
        return new HealthReport(results.All(r => r.Status == Healthy) ? Healthy : Unhealthy, time.GetUtcNow(), results);
    }

    async Task<DependencyHealth> ProbeAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await probe(timeout.Token);
            return new DependencyHealth(name, Healthy, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            string error = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.GetType().Name + ": " + FirstLine(e.Message);
            return new DependencyHealth(name, Unhealthy, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
