using System.Text.Json.Serialization;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.Forecasting;
using MeterToCash.Functions.Health;
using MeterToCash.Functions.Ingestion;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.Load;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Monitoring;
using MeterToCash.Functions.Payments;
using MeterToCash.Functions.Reconciliation;
using MeterToCash.Functions.Segments;
using MeterToCash.Functions.Tariffs;
using MeterToCash.Functions.Vee;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions;

/// <summary>The one service registration shared by the Functions app's Program.cs and the LocalHost.</summary>
public static class MeterToCashServices
{
    /// <summary>Registers every feature of the app.</summary>
    public static IServiceCollection AddMeterToCash(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddTelemetry(configuration); // first: it enables the Azure SDK's spans before any client exists
        services.AddStorage(configuration);
        services.AddHealth();
        services.AddTariffs();
        services.AddArchive();
        services.AddMeterData();
        services.AddIngestion();
        services.AddMonitoring();
        services.AddLoad();
        services.AddVee();
        services.AddCalendar();
        services.AddLedger();
        services.AddBilling();
        services.AddPayments();
        services.AddReconciliation();
        services.AddForecasting();
        services.AddSegments();

        // One JSON dialect for every response: enums by name, nulls left out, a NaN or infinite figure as null.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o =>
        {
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.JsonSerializerOptions.Converters.Add(new NonFiniteAsNullConverter());
            o.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        return services;
    }
}
