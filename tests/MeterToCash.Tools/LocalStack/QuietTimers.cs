namespace MeterToCash.Tools.LocalStack;

/// <summary>LocalHost settings that keep the app's timers out of a measured run or a counted test: each schedule set to 1 January.</summary>
public static class QuietTimers
{
    /// <summary>A schedule that does not fire during a run.</summary>
    public const string NotDuringTheRun = "0 0 0 1 1 *";

    /// <summary>Every timer schedule the app reads (README, Settings).</summary>
    public static readonly string[] All =
    [
        "Archive__PurgeSchedule", "Billing__CycleSchedule", "Billing__LateFeeSchedule", "Billing__OutboxSchedule",
        "Forecast__Schedule", "Ingestion__CurveRetentionSchedule", "Load__LineLossSchedule", "Monitoring__OutboxSchedule",
        "Monitoring__SweepSchedule", "Payments__SweepSchedule", "ReadingFiles__DropScanSchedule", "Reconciliation__ScanSchedule",
        "Segments__Schedule", "Vee__DailySchedule",
    ];

    /// <summary>Settings with every timer off and warnings-only logging.</summary>
    public static Dictionary<string, string> AllOff()
    {
        Dictionary<string, string> settings = All.ToDictionary(schedule => schedule, _ => NotDuringTheRun, StringComparer.Ordinal);
        settings["Logging__LogLevel__Default"] = "Warning";
        return settings;
    }
}
