using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.Tariffs;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.MeterData;

public static class MeterDataServices
{
    /// <summary>The meter-data stores (curves, month-to-date, registers, rejection counts, spike references), the meter directory and their read API.</summary>
    public static IServiceCollection AddMeterData(this IServiceCollection services)
    {
        services.AddOptions<MeterDataOptions>().BindConfiguration(MeterDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MeterDataStorage>();
        services.AddStartupStorage(new StorageResources(Tables: [MeterDataKeys.MonthToDateTable, MeterDataKeys.RegistersTable, MeterDataKeys.RejectionsTable, MeterDataKeys.SpikeReferencesTable]));
        services.AddSingleton<MeterDirectory>();
        services.AddSingleton<CurveStore>();
        services.AddSingleton<TouBandings>();
        services.AddSingleton<MonthToDateStore>();
        services.AddSingleton<RejectionStore>();
        services.AddSingleton<SpikeReferenceStore>();
        services.AddSingleton<RegisterStore>();
        services.AddSingleton<DayTotalsRecomputeOnChange>();
        services.AddSingleton<ICalendarChangeListener>(sp => sp.GetRequiredService<DayTotalsRecomputeOnChange>());
        services.AddSingleton<ITariffChangeListener>(sp => sp.GetRequiredService<DayTotalsRecomputeOnChange>());
        return services;
    }
}
