using System.ComponentModel.DataAnnotations;

namespace MeterToCash.Functions.Archive;

/// <summary>Bulk import settings (section <c>Archive</c>).</summary>
public sealed class ArchiveImportOptions
{
    public const string Section = "Archive";

    /// <summary>
    /// Customers per batch activity. Index entries of a batch spread over 2 × 64 hash buckets, so a batch must be
    /// large (thousands) for its index transactions to carry many entities each; small enough to retry cheaply.
    /// </summary>
    [Range(10, 10_000)]
    public int ImportBatchSize { get; set; } = 2_000;

    /// <summary>Batches per sub-orchestration, which keeps each orchestration's history short.</summary>
    [Range(1, 100)]
    public int BatchesPerSubOrchestration { get; set; } = 8;

    /// <summary>Largest file accepted, in bytes.</summary>
    [Range(1_024, 512L * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Days a finished import's history and files are kept before the nightly purge removes them.</summary>
    [Range(0, 3_650)]
    public int ImportRetentionDays { get; set; } = 30;

    /// <summary>NCRONTAB of the purge (seconds first), read by the timer trigger as <c>%Archive__PurgeSchedule%</c>.</summary>
    [Required]
    public string PurgeSchedule { get; set; } = "0 30 3 * * *";
}

/// <summary>Blob names of an import: everything lives under <c>archive-imports/{importId}/</c>.</summary>
public static class ImportBlobs
{
    public const string Container = "archive-imports";

    public static string Source(string importId) => $"{importId}/source.csv";

    public static string Batch(string importId, int batch) => $"{importId}/batches/{batch:D5}.json";

    public static string ErrorsPrefix(string importId) => $"{importId}/errors/";

    public static string PrepareErrors(string importId) => $"{importId}/errors/prepare.csv";

    public static string BatchErrors(string importId, int batch) => $"{importId}/errors/batch-{batch:D5}.csv";

    public static string Report(string importId) => $"{importId}/report.csv";

    public static string InstanceId(string importId) => $"archive-import-{importId}";
}

/// <summary>Orchestration input: the import's id (the file's SHA-256, so the same file is the same import).</summary>
public sealed record ArchiveImportInput(string ImportId);

/// <summary>What the prepare step found: rows, rows rejected outright, and the batch blobs written.</summary>
public sealed record PreparedImport(string ImportId, int TotalRows, int RejectedRows, int BatchCount, int BatchesPerChunk);

/// <summary>A run of consecutive batches handled by one sub-orchestration.</summary>
public sealed record ImportChunk(string ImportId, int FirstBatch, int BatchCount);

/// <summary>One batch activity's input.</summary>
public sealed record ImportBatch(string ImportId, int Batch);

/// <summary>Rows imported and rows rejected by a batch or chunk.</summary>
public sealed record BatchResult(int RowsImported, int RowsFailed)
{
    public static BatchResult operator +(BatchResult a, BatchResult b) => new(a.RowsImported + b.RowsImported, a.RowsFailed + b.RowsFailed);

    public static BatchResult Add(BatchResult a, BatchResult b) => a + b;
}

/// <summary>Progress as the orchestration publishes it in its custom status.</summary>
public sealed record ImportProgress(string Phase, int TotalRows, int RowsDone, int RowsImported, int RowsFailed, int BatchesDone, int BatchCount);

/// <summary>The finished import.</summary>
public sealed record ImportSummary(string ImportId, int TotalRows, int RowsImported, int RowsFailed, string ErrorReportBlob);

/// <summary>A batch blob's content: customers with the file rows they came from.</summary>
public sealed record ImportBatchFile(IReadOnlyList<ImportBatchCustomer> Customers);

public sealed record ImportBatchCustomer(IReadOnlyList<int> Rows, CustomerDto Customer);

/// <summary>What <c>GET /api/archive/imports/{id}</c> answers.</summary>
public sealed record ImportStatusDto(
    string ImportId,
    string Status,
    string Phase,
    int TotalRows,
    int RowsDone,
    int RowsImported,
    int RowsFailed,
    int BatchesDone,
    int BatchCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? ErrorReportUrl,
    string? Failure);
