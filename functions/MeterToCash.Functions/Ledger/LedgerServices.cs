using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Ledger;

public static class LedgerServices
{
    /// <summary>
    /// The account ledger (账务): its table (<see cref="LedgerStore"/>), the <see cref="AccountLedger"/> other features post
    /// through, and the HTTP API.
    /// </summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddSingleton<LedgerStore>();
        services.AddStartupStorage(new StorageResources(Tables: [LedgerStore.TableName]));
        services.AddSingleton<AccountLedger>();
        return services;
    }
}
