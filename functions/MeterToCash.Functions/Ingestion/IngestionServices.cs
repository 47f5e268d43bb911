using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Ingestion;

public static class IngestionServices
{
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IngestionStorage>();
        services.AddSingleton<RegisterIngestion>();
        services.AddSingleton<ReadingPipeline>();
        services.AddSingleton<MeterEventIngestion>();
        services.AddOptions<ReadingFileOptions>().BindConfiguration(ReadingFileOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReadingFileIntake>();
        services.AddStartupStorage(new StorageResources(Containers: [IngestionKeys.RawContainer, IngestionKeys.QuarantineContainer, ReadingFileBlobs.Container]));
        return services;
    }
}
