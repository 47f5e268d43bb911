using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tariffs;

public static class TariffServices
{
    /// <summary>The tariff catalogue: its table, store, publisher and the <see cref="TariffCatalog"/> other features use.</summary>
    public static IServiceCollection AddTariffs(this IServiceCollection services)
    {
        services.AddOptions<TariffOptions>().BindConfiguration(TariffOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TariffTables>();
        services.AddStartupStorage(new StorageResources(Tables: [TariffTables.VersionsTable]));
        services.AddSingleton<TariffStore>();
        services.AddSingleton<TariffCatalog>();
        services.AddSingleton<TariffPublisher>();
        return services;
    }
}
