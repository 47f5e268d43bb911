using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Load;

public static class LoadServices
{
    /// <summary>Load monitoring and line loss: options, reader, result store, and the load checks of the monitoring sweep.</summary>
    public static IServiceCollection AddLoad(this IServiceCollection services)
    {
        services.AddOptions<LoadOptions>().BindConfiguration(LoadOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.HeavyShare < o.OverloadShare, "Load__HeavyShare must be below Load__OverloadShare.")
            .ValidateOnStart();
        services.AddSingleton<LoadReader>();
        services.AddSingleton<LineLossStore>();
        services.AddStartupStorage(new StorageResources(Tables: [LineLossStore.TableName]));
        services.AddSingleton<LoadMonitor>();
        services.AddSingleton<IAreaSweepCheck>(sp => sp.GetRequiredService<LoadMonitor>());
        return services;
    }
}
