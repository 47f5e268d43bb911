using System.ComponentModel.DataAnnotations;
using MeterToCash.Domain.Load;

namespace MeterToCash.Functions.Load;

/// <summary>Settings <c>Load__*</c> of load monitoring and line loss. Every one has a default, so a host without them still starts.</summary>
public sealed class LoadOptions
{
    public const string Section = "Load";

    /// <summary>Power factor turning rated kVA into kW of capacity (default 0.9).</summary>
    [Range(0.01, 1.0)]
    public decimal PowerFactor { get; set; } = 0.9m;

    /// <summary>Heavy-load threshold, a share (default 0.80), inclusive.</summary>
    [Range(0.01, 9.99)]
    public decimal HeavyShare { get; set; } = 0.80m;

    /// <summary>Overload threshold, a share (default 1.00), inclusive.</summary>
    [Range(0.02, 10.0)]
    public decimal OverloadShare { get; set; } = 1.00m;

    /// <summary>Consecutive heavy 15-minute intervals that raise the heavy-load alarm (default 4 = one hour).</summary>
    [Range(1, 96)]
    public int HeavyIntervals { get; set; } = 4;

    /// <summary>Highest normal daily line-loss rate, a share (default 0.10), inclusive.</summary>
    [Range(0.001, 0.999)]
    public decimal LineLossNormalMax { get; set; } = 0.10m;

    /// <summary>Least share of expected values (master and customers, each) a day needs for a line-loss figure (default 0.95), inclusive.</summary>
    [Range(0.01, 1.0)]
    public decimal LineLossCompleteness { get; set; } = 0.95m;

    /// <summary>Consecutive computable high-loss days that raise the theft-suspicion alarm (default 3).</summary>
    [Range(1, 31)]
    public int LineLossPersistDays { get; set; } = 3;

    /// <summary>Computable normal days before the high run that are each meter's baseline (default 7).</summary>
    [Range(1, 31)]
    public int LineLossBaselineDays { get; set; } = 7;

    /// <summary>Least relative drop of a meter's daily energy against its baseline that names it (default 0.30), inclusive.</summary>
    [Range(0.01, 1.0)]
    public decimal LineLossDropShare { get; set; } = 0.30m;

    /// <summary>Meters with a baseline below this many kWh/day are not named (default 1.0).</summary>
    [Range(0.0, 1_000_000.0)]
    public decimal LineLossMinimumBaselineKwh { get; set; } = 1.0m;

    /// <summary>Days (ending with the evaluated day, inclusive) an evaluation computes and judges (default 14).</summary>
    [Range(1, 31)]
    public int LineLossLookbackDays { get; set; } = 14;

    /// <summary>NCRONTAB of the nightly line-loss evaluation of yesterday, read as <c>%Load__LineLossSchedule%</c> (02:30, after the nightly VEE).</summary>
    [Required]
    public string LineLossSchedule { get; set; } = "0 30 2 * * *";

    /// <summary>Transformer areas per sub-orchestration of a line-loss evaluation.</summary>
    [Range(1, 1000)]
    public int AreasPerBatch { get; set; } = 50;

    /// <summary>Transformer areas per activity inside a line-loss batch.</summary>
    [Range(1, 100)]
    public int AreasPerActivity { get; set; } = 10;

    /// <summary>The domain's load-rate settings.</summary>
    public LoadRateSettings LoadRate => new(PowerFactor, HeavyShare, OverloadShare, HeavyIntervals);

    /// <summary>The domain's line-loss settings.</summary>
    public LineLossSettings LineLoss => new(LineLossNormalMax, LineLossCompleteness, LineLossPersistDays, LineLossBaselineDays, LineLossDropShare, LineLossMinimumBaselineKwh);
}
