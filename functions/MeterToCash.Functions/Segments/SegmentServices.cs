using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Segments;

public static class SegmentServices
{
    /// <summary>
    /// Customer classification: its tables (segments, the per-segment index, run facts and shape models) and the
    /// facts reader. It reads the archive, meter data, bills and ledger through their services; none of them reads it.
    /// </summary>
    public static IServiceCollection AddSegments(this IServiceCollection services)
    {
        services.AddOptions<SegmentOptions>().BindConfiguration(SegmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SegmentStore>();
        services.AddStartupStorage(new StorageResources(Tables: [SegmentStore.SegmentsTable, SegmentStore.IndexTable, SegmentStore.FactsTable, SegmentStore.ModelsTable]));
        services.AddSingleton<AccountFactsReader>();
        return services;
    }
}
