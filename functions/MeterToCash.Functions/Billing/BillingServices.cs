using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Billing;

public static class BillingServices
{
    /// <summary>Billing cycles, bills and their lifecycle (charges through the ledger).</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BillStore>();
        services.AddStartupStorage(new StorageResources(
            Tables: [BillStore.BillsTable, BillStore.CycleBillsTable, BillStore.DueTable, BillStore.OutboxTable],
            Queues: [BillStore.NotificationQueue]));
        services.AddSingleton<AccountBiller>();
        services.AddSingleton<BillLifecycle>();
        return services;
    }
}
