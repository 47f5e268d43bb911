using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Monitoring;

public static class MonitoringServices
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlarmStore>();
        services.AddSingleton<AlarmMonitor>();
        return services;
    }
}
