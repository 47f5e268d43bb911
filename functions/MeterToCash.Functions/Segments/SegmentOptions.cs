using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Segments;

/// <summary>Settings <c>Segments__*</c> of the nightly customer classification. Every one has a default.</summary>
public sealed class SegmentOptions
{
    public const string Section = "Segments";

    /// <summary>NCRONTAB (seconds first, China local) of the nightly classification, read as <c>%Segments__Schedule%</c>; after the forecast (02:15).</summary>
    [Required]
    public string Schedule { get; set; } = "0 45 2 * * *";

    /// <summary>Transformer areas per sub-orchestration; each area is one activity (its accounts read together).</summary>
    [Range(1, 1000)]
    public int AreasPerBatch { get; set; } = 20;

    /// <summary>Load-shape clusters (k of k-means).</summary>
    [Range(2, 12)]
    public int Clusters { get; set; } = 4;

    /// <summary>Days of curves (ending yesterday) an account's average daily profile is taken over.</summary>
    [Range(7, 92)]
    public int ProfileDays { get; set; } = 28;

    /// <summary>Most profiles the k-means is fitted on (an evenly spaced sample by account number above it).</summary>
    [Range(100, 1_000_000)]
    public int MaxFitProfiles { get; set; } = 50_000;
}
