using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Vee;

/// <summary>Settings <c>Vee__*</c> of the daily VEE run. Every one has a default.</summary>
public sealed class DailyVeeOptions
{
    public const string Section = "Vee";

    /// <summary>NCRONTAB (seconds first) of the nightly run for the previous China-local day, read as <c>%Vee__DailySchedule%</c>.</summary>
    [Required]
    public string DailySchedule { get; set; } = "0 30 1 * * *";

    /// <summary>Transformer areas per sub-orchestration of a run.</summary>
    [Range(1, 1000)]
    public int AreasPerBatch { get; set; } = 20;

    /// <summary>A trailing run of at least this many actual zero intervals ends a day in a "sudden drop to zero" (default 16 = 4 hours of 15 minutes).</summary>
    [Range(2, 96)]
    public int SuddenDropIntervals { get; set; } = 16;

    /// <summary>Days before the run's day whose actual values form the sudden-drop baseline.</summary>
    [Range(1, 28)]
    public int SuddenDropBaselineDays { get; set; } = 7;

    /// <summary>Least average consumption per interval over the baseline (kWh, primary side) for a drop to zero to be suspicious.</summary>
    [Range(0.0, 1_000_000.0)]
    public decimal SuddenDropMinimumAverageKwh { get; set; } = 0.05m;
}
