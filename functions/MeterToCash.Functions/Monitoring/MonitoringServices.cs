using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Monitoring;

public static class MonitoringServices
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.OutageCloseShare < o.OutageOpenShare, "Monitoring__OutageCloseShare must be below Monitoring__OutageOpenShare, or an outage would close as it opens.")
            .ValidateOnStart();
        services.AddSingleton<AlarmStore>();
        services.AddStartupStorage(sp => new StorageResources(
            Tables: [AlarmStore.TableName, AlarmMonitor.StatesTable],
            Queues: [sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MonitoringOptions>>().Value.NotificationQueue]));
        services.AddSingleton<AlarmMonitor>();
        services.AddSingleton<IMeterEventObserver>(sp => sp.GetRequiredService<AlarmMonitor>());
        return services;
    }
}
