using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Archive;

public static class ArchiveServices
{
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddOptions<ArchiveImportOptions>().BindConfiguration(ArchiveImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArchiveTables>();
        services.AddSingleton<ArchiveStore>();
        services.AddSingleton<BillingGroups>();
        return services;
    }
}
