using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Payments;

public static class PaymentServices
{
    /// <summary>
    /// Payment channels: banks, kiosks and counters (their directory and request verification, the posting through the
    /// ledger, day closes and close-outs, journals, the sweep), and <see cref="ChannelJournals"/>, what reconciliation reads of them.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PaymentStore>();
        services.AddStartupStorage(new StorageResources(Tables: [PaymentStore.TxnTable, PaymentStore.JournalTable, PaymentStore.NonceTable, PaymentStore.KioskTable]));
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<ChannelRequestVerifier>();
        services.AddSingleton<ChannelAccounts>();
        services.AddSingleton<PaymentPoster>();
        services.AddSingleton<ChannelEndpoint>();
        services.AddSingleton<DayCloser>();
        services.AddSingleton<ChannelJournals>();
        return services;
    }
}
