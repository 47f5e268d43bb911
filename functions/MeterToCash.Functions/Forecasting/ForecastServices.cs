using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Forecasting;

public static class ForecastServices
{
    /// <summary>
    /// The day-ahead load forecast: its tables (weather, forecasts, closed area-days), the area forecaster the nightly
    /// run uses, and the HTTP API. It reads the meter data (curves), the calendar and the archive through their services.
    /// </summary>
    public static IServiceCollection AddForecasting(this IServiceCollection services)
    {
        services.AddOptions<ForecastOptions>().BindConfiguration(ForecastOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ForecastStorage>();
        services.AddStartupStorage(new StorageResources(Tables: [ForecastStorage.WeatherTable, ForecastStorage.ForecastsTable, ForecastStorage.AreaDaysTable]));
        services.AddSingleton<WeatherStore>();
        services.AddSingleton<ForecastStore>();
        services.AddSingleton<AreaLoadReader>();
        services.AddSingleton<AreaForecaster>();
        return services;
    }
}
