using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Settings <c>Ingestion__*</c>.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Largest push body; larger is 413 (head-ends split bigger deliveries).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPushBytes { get; set; } = 4 * 1024 * 1024;
}
