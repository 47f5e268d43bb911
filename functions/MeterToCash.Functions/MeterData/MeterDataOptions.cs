using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// Settings of the meter-data stores. They keep the <c>Ingestion__*</c> names under which they were deployed before the
/// stores became their own feature, so existing app settings, Bicep and local settings stay valid.
/// </summary>
public sealed class MeterDataOptions
{
    public const string Section = "Ingestion";

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
