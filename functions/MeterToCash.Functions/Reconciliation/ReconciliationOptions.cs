using System.Globalization;
using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>Bank reconciliation settings (section <c>Reconciliation</c>).</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>
    /// Largest file accepted, in bytes, inclusive: an upload of exactly this many bytes is read, one byte more is 413
    /// <c>file-too-large</c> (a dropped file is moved aside). 64 MiB holds a CSV of about 600,000 lines.
    /// </summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long differences may stay open after a day's first match before the overdue alarm is raised, in hours.</summary>
    [Range(0.001, 24 * 31)]
    public double DecisionHours { get; set; } = 48;

    /// <summary>
    /// Largest gap, inclusive, between the bank's and our paid-at for a bank payment without our id to pair with our payment
    /// of the same account and amount (<see cref="Domain.Reconciliation.ReconMatchOptions"/>), in minutes.
    /// </summary>
    [Range(0, 1440)]
    public int TimeToleranceMinutes { get; set; } = 10;

    /// <summary>
    /// NCRONTAB (seconds first) of the scan that takes dropped files in and starts the reconciliations whose file came
    /// before their day closed, read by the timer as <c>%Reconciliation__ScanSchedule%</c>.
    /// </summary>
    [Required]
    public string ScanSchedule { get; set; } = "0 * * * * *";

    /// <summary>Crash tests only: <c>items</c> holds a match for 60 s after it first wrote a file's items, so the host can be killed there. Unset everywhere else.</summary>
    public string? TestPauseAfter { get; set; }
}

/// <summary>Names of the reconciliation feature's storage (it owns them; other features call its API).</summary>
public static class ReconNames
{
    /// <summary>Accepted files by id (<c>files/{id}</c>), refused originals with their reasons (<c>rejected/{id}</c>), and the start claims.</summary>
    public const string Container = "recon-files";

    /// <summary>Where banks drop files: <c>{channelId}/{yyyy-MM-dd}/{name}.csv|.xml</c> (a CSV names its channel and day itself and may lie anywhere).</summary>
    public const string DropContainer = "recon-drop";

    /// <summary>Prefixes of the drop container the scan leaves alone: its markers and the files it refused.</summary>
    public const string ProcessedPrefix = "processed/", RejectedPrefix = "rejected/";

    /// <summary>Tables: the channel days (one partition, row per day and channel), the files per channel day, the classified items per run, the decisions per channel day.</summary>
    public const string DaysTable = "ReconDays", FilesTable = "ReconFiles", ItemsTable = "ReconItems", DecisionsTable = "ReconDecisions";

    public static string FileBlob(string fileId) => $"files/{fileId}";

    public static string RejectedBlob(string fileId) => $"rejected/{fileId}";

    public static string RejectedReasonBlob(string fileId) => $"rejected/{fileId}.reason.json";

    public static string LineErrorsBlob(string fileId) => $"errors/{fileId}.json";

    /// <summary>The deterministic orchestration id of a channel day: <c>recon-{channelId}-{yyyyMMdd}</c>.</summary>
    public static string InstanceId(string channelId, DateOnly channelDate) => string.Create(CultureInfo.InvariantCulture, $"recon-{channelId}-{channelDate:yyyyMMdd}");

    public static bool IsFileId(string? id) => id is { Length: 64 } && id.All(char.IsAsciiHexDigitLower);
}
