using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Health;

public static class HealthServices
{
    public static IServiceCollection AddHealth(this IServiceCollection services) => services.AddSingleton<HealthChecks>();
}
