using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Reconciliation;

public static class ReconciliationServices
{
    /// <summary>
    /// Daily reconciliation of each payment channel against its bank's file: intake (upload and drop), the three-way match
    /// orchestration, decisions and reports. Reads the channels through <see cref="Payments.ChannelJournals"/> and posts
    /// through <see cref="Ledger.AccountLedger"/>.
    /// </summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddStartupStorage(new StorageResources(
            Tables: [ReconNames.DaysTable, ReconNames.FilesTable, ReconNames.ItemsTable, ReconNames.DecisionsTable],
            Containers: [ReconNames.Container, ReconNames.DropContainer]));
        services.AddSingleton<ReconStore>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<ReconFileIntake>();
        return services;
    }
}
