using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>Tables, blob containers and queues a feature needs to exist before any of its functions runs.</summary>
public sealed record StorageResources(IReadOnlyList<string>? Tables = null, IReadOnlyList<string>? Containers = null, IReadOnlyList<string>? Queues = null);

/// <summary>
/// Creates every registered <see cref="StorageResources"/> once, when the process starts, instead of at the top of each
/// store method. Hosted services start before the host serves requests, so no function runs before its storage exists;
/// until storage answers, start-up waits (retrying every 2 s), which is also what the health endpoint would report.
/// Per-day tables (curves) are not known in advance and stay lazy in their store.
/// </summary>
public sealed class StorageStartup(IEnumerable<StorageResources> resources, TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<StorageResources> all = resources.ToList();
        List<Func<Task>> creates =
        [
            .. all.SelectMany(r => r.Tables ?? []).Distinct().Select(name => (Func<Task>)(() => tables.CreateTableIfNotExistsAsync(name, cancellationToken))),
            .. all.SelectMany(r => r.Containers ?? []).Distinct().Select(name => (Func<Task>)(() => blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))),
            .. all.SelectMany(r => r.Queues ?? []).Distinct().Select(name => (Func<Task>)(() => queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))),
        ];
        await Task.WhenAll(creates.Select(create => CreateAsync(create, cancellationToken)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task CreateAsync(Func<Task> create, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await create();
                return;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return; // Created concurrently by another instance.
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt % 5 == 1)
                {
                    logger.LogWarning("Storage is not answering at start-up (attempt {Attempt}): {Error}", attempt, e.Message.Split('\n', 2)[0]);
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}

public static class StorageStartupRegistration
{
    /// <summary>Declares storage a feature needs at start-up; <see cref="StorageStartup"/> creates it once.</summary>
    public static IServiceCollection AddStartupStorage(this IServiceCollection services, StorageResources resources)
    {
        services.AddSingleton<StorageResources>(resources);
        services.AddHostedService<StorageStartup>(); // TryAddEnumerable inside: registered once however many features call this.
        return services;
    }

    /// <summary>As <see cref="AddStartupStorage(IServiceCollection, StorageResources)"/>, with names read from settings.</summary>
    public static IServiceCollection AddStartupStorage(this IServiceCollection services, Func<IServiceProvider, StorageResources> resources)
    {
        services.AddSingleton<StorageResources>(resources);
        services.AddHostedService<StorageStartup>();
        return services;
    }
}
