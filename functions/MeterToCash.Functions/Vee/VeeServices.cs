using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Vee;

public static class VeeServices
{
    public static IServiceCollection AddVee(this IServiceCollection services)
    {
        services.AddOptions<DailyVeeOptions>().BindConfiguration(DailyVeeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AreaDayVee>();
        return services;
    }
}
