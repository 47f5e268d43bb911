using MeterToCash.Functions.Infrastructure;
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
        services.AddStartupStorage(new StorageResources(
            Tables: [ArchiveTables.CustomersTable, ArchiveTables.IndexTable, ArchiveTables.NetworkTable, ArchiveTables.BillingGroupsTable],
            Containers: [ImportBlobs.Container]));
        return services;
    }
}
