using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Settings <c>Ingestion__*</c>.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Largest push body; larger is 413 (head-ends split bigger deliveries).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPushBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a meter's archive resolution is reused; an archive change reaches ingestion within this time.</summary>
    [Range(1, 3600)]
    public int MeterCacheSeconds { get; set; } = 60;

    /// <summary>Most meters kept in the resolution cache per instance.</summary>
    [Range(16, 10_000_000)]
    public int MeterCacheSize { get; set; } = 200_000;
}
