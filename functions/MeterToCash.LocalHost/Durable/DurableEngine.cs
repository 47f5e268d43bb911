using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using MeterToCash.LocalHost.Discovery;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace MeterToCash.LocalHost.Durable;

/// <summary>How the LocalHost runs the Durable Task Framework's Azure Storage provider (section <c>LocalHost:Durable</c>).</summary>
internal sealed class DurableEngineOptions
{
    public const string Section = "LocalHost:Durable";

    /// <summary>App setting holding the task hub's storage connection, as in host.json's <c>connectionName</c>.</summary>
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    /// <summary>
    /// Visibility timeout of dequeued control and work-item messages. Work a crashed host had taken is retried
    /// only after it expires, so it is short locally (Azure's default is 5 minutes); a running activity's message is
    /// renewed every third of it (<see cref="ActivityLockRenewal"/>), so activities may run longer.
    /// </summary>
    public int VisibilityTimeoutSeconds { get; set; } = 15;

    /// <summary>Partition lease length; a restarted host takes over a dead one's partitions after it.</summary>
    public int LeaseIntervalSeconds { get; set; } = 15;

    public int PartitionCount { get; set; } = 4;

    public int MaxConcurrentActivities { get; set; } = 16;

    public int MaxConcurrentOrchestrations { get; set; } = 16;
}

/// <summary>
/// The Azure Storage orchestration service, served over gRPC by <see cref="TaskHubGrpcServer"/> on a private
/// loopback port so the standard <c>Microsoft.DurableTask</c> worker and client talk to it as they would to a sidecar.
/// </summary>
internal sealed class DurableSidecar(CoreEventsOrchestrationService service, DurableSidecarAddress address, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    WebApplication? sidecar;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, address.Port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (sidecar is not null)
        {
            await sidecar.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }
}

/// <summary>The loopback port the sidecar listens on, chosen free at start-up.</summary>
internal sealed record DurableSidecarAddress(int Port)
{
    public string Uri => $"http://127.0.0.1:{Port}";

    public static DurableSidecarAddress PickFree()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return new DurableSidecarAddress(((IPEndPoint)listener.LocalEndpoint).Port);
    }
}

internal static class DurableEngineRegistration
{
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<FunctionInvoker> durableFunctions)
    {
        DurableEngineOptions options = configuration.GetSection(DurableEngineOptions.Section).Get<DurableEngineOptions>() ?? new();
        string connection = configuration[options.ConnectionName]
            ?? throw new InvalidOperationException($"App setting '{options.ConnectionName}' (the durable task hub's storage) is not set.");
        string hubName = configuration["DurableTaskHubName"] is { Length: > 0 } hub ? hub : "MeterToCashLocal";
        DurableSidecarAddress address = DurableSidecarAddress.PickFree();

        services.AddSingleton(address);
        services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            TaskHubName = hubName,
            PartitionCount = options.PartitionCount,
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
            LeaseInterval = TimeSpan.FromSeconds(options.LeaseIntervalSeconds),
            LeaseRenewInterval = TimeSpan.FromSeconds(Math.Max(2, options.LeaseIntervalSeconds / 3)),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            CustomMessageTypeBinder = new ProtobufTagsTypeBinder(),
        }));
        services.AddSingleton(sp => new CoreEventsOrchestrationService(
            sp.GetRequiredService<AzureStorageOrchestrationService>(),
            TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds) / 3,
            sp.GetRequiredService<ILogger<CoreEventsOrchestrationService>>()));

        // Hosted services start in registration order: the sidecar must be listening before the worker connects.
        services.AddHostedService<DurableSidecar>();

        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(address.Uri);
            worker.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = options.MaxConcurrentActivities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.MaxConcurrentOrchestrations;
            });
            string name = worker.Name;
            worker.Services.AddOptions<DurableTaskRegistry>(name).Configure<IServiceProvider>((registry, sp) =>
                FunctionTaskRegistration.Register(registry, durableFunctions, sp, sp.GetRequiredService<IOptionsMonitor<DurableTaskWorkerOptions>>().Get(name).DataConverter));
        });

        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(address.Uri);
            client.RegisterDirectly();
        });

        return services;
    }
}
