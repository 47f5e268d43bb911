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

    /// <summary>
    /// Days of interval curves kept: a day's curve table is dropped once the day is more than this many days before
    /// today (China local). The default, 1,100 days, covers the three years of metering data that billing disputes and
    /// audits may reach back to.
    /// </summary>
    [Range(35, 36_500)]
    public int CurveRetentionDays { get; set; } = 1_100;

    /// <summary>NCRONTAB of the retention sweep (seconds first), read by the timer trigger as <c>%Ingestion__CurveRetentionSchedule%</c>.</summary>
    [Required]
    public string CurveRetentionSchedule { get; set; } = "0 45 3 * * *";
}
