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
}
