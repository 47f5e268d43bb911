using System.ComponentModel.DataAnnotations;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Monitoring;

/// <summary>Settings <c>Monitoring__*</c>. Every one has a default, so a host without them still starts.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Storage queue every real alarm state change is published to.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string NotificationQueue { get; set; } = "alarm-notifications";

    /// <summary>Share of an area's meters down that opens an area outage.</summary>
    [Range(0.01, 1.0)]
    public decimal OutageOpenShare { get; set; } = OutageOptions.Default.OpenShare;

    /// <summary>Share still down below which an open area outage closes (hysteresis).</summary>
    [Range(0.0, 1.0)]
    public decimal OutageCloseShare { get; set; } = OutageOptions.Default.CloseShare;

    /// <summary>Areas with fewer meters are never declared out.</summary>
    [Range(1, 100_000)]
    public int OutageMinimumMeters { get; set; } = OutageOptions.Default.MinimumMeters;

    /// <summary>
    /// A meter from which nothing has arrived for this long counts as down for area-outage detection (default 1 hour:
    /// several push periods, so one late delivery is not an outage).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00")]
    public TimeSpan Silence { get; set; } = OutageOptions.Default.Silence;

    /// <summary>A meter from which nothing has arrived for longer than this gets a prolonged-no-read alarm (default 48 hours).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "90.00:00:00")]
    public TimeSpan NoReadAfter { get; set; } = TimeSpan.FromHours(48);

    /// <summary>NCRONTAB (seconds first) of the monitoring sweep, read by the timer trigger as <c>%Monitoring__SweepSchedule%</c>.</summary>
    [Required]
    public string SweepSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>NCRONTAB of the alarm-outbox drain, read by the timer trigger as <c>%Monitoring__OutboxSchedule%</c>.</summary>
    [Required]
    public string OutboxSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>How old an outbox row must be before the drain sends it (younger ones belong to a writer still sending).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Transformer areas per sub-orchestration of a sweep.</summary>
    [Range(1, 1000)]
    public int SweepAreasPerBatch { get; set; } = 50;

    /// <summary>
    /// How much newer an arrival must be than the recorded one before it is written: the report-state row is not
    /// rewritten on every delivery, and silence is judged on a far longer scale.
    /// </summary>
    public TimeSpan ArrivalGranularity => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, Silence.Ticks / 4));

    /// <summary>The outage detector's settings.</summary>
    public OutageOptions Outage => new() { OpenShare = OutageOpenShare, CloseShare = OutageCloseShare, MinimumMeters = OutageMinimumMeters, Silence = Silence };
}
