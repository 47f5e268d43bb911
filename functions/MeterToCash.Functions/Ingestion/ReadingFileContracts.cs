using System.ComponentModel.DataAnnotations;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Bulk meter-reading file settings (section <c>ReadingFiles</c>).</summary>
public sealed class ReadingFileOptions
{
    public const string Section = "ReadingFiles";

    /// <summary>Largest file accepted, in bytes (upload: 413 above; drop: moved aside).</summary>
    [Range(1_024, 512 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Interval values per batch activity. A batch is whole meter-days of one area where possible, so its curve and
    /// month-to-date writes share few partitions; small enough that a retried batch repeats little work.
    /// </summary>
    [Range(100, 50_000)]
    public int BatchValues { get; set; } = 5_000;

    /// <summary>Batches per sub-orchestration, which keeps each orchestration's history short.</summary>
    [Range(1, 100)]
    public int BatchesPerSubOrchestration { get; set; } = 8;

    /// <summary>NCRONTAB (seconds first) of the drop-container scan, read by the timer as <c>%ReadingFiles__DropScanSchedule%</c>.</summary>
    [Required]
    public string DropScanSchedule { get; set; } = "0 * * * * *";
}

/// <summary>Names of a reading file's blobs and orchestration. The file id is the file's SHA-256 (64 lower-case hex).</summary>
public static class ReadingFileBlobs
{
    /// <summary>Uploaded and dropped files by id, with their batch blobs and batch results.</summary>
    public const string Container = "meter-files";

    /// <summary>Where head-ends drop files; scanned by <c>ScanReadingFileDrop</c>.</summary>
    public const string DropContainer = "meter-drop";

    /// <summary>Prefixes of the drop container the scan leaves alone: its own markers and the files it moved aside.</summary>
    public const string ProcessedPrefix = "processed/", RejectedPrefix = "rejected/";

    /// <summary>Source label of a file in <c>meter-raw</c>.</summary>
    public const string Source = "file";

    public static string File(string fileId, string format) => $"{fileId}/source.{format}";

    public static string Batch(string fileId, int batch) => $"{fileId}/batches/{batch:D5}.json";

    public static string BatchResult(string fileId, int batch) => $"{fileId}/results/{batch:D5}.json";

    public static string InstanceId(string fileId) => $"reading-file-{fileId}";

    /// <summary>A file's quarantine blobs sit next to its raw blob's name: <c>{raw without extension}/…</c>.</summary>
    public static string QuarantinePrefix(string rawBlob) => rawBlob[..rawBlob.LastIndexOf('.')] + "/";

    public static string ParseQuarantine(string rawBlob) => QuarantinePrefix(rawBlob) + "parse.json";

    public static string BatchQuarantine(string rawBlob, int batch) => QuarantinePrefix(rawBlob) + $"batch-{batch:D5}.json";

    public static bool IsFileId(string id) => id.Length == 64 && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>The formats a reading file can have; the value is also the file extension.</summary>
public static class ReadingFileFormats
{
    public const string Csv = "csv", Xml = "xml", Json = "json";

    /// <summary>From a Content-Type header; null when unsupported.</summary>
    public static string? FromContentType(string? contentType)
    {
        string media = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" => Csv,
            "application/xml" or "text/xml" => Xml,
            "application/json" => Json,
            _ => null,
        };
    }

    /// <summary>From a blob name's extension; null when unsupported.</summary>
    public static string? FromName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".xml" => Xml,
        ".json" => Json,
        _ => null,
    };

    public static string ContentType(string format) => format switch
    {
        Csv => "text/csv",
        Xml => "application/xml",
        _ => "application/json",
    };
}

/// <summary>Orchestration input: the file, its format, where its raw copy is archived and how it arrived.</summary>
public sealed record ReadingFileInput(string FileId, string Format, string RawBlob, string Origin);

/// <summary>What the split found and wrote: batch blobs, and the items of the file by kind.</summary>
public sealed record SplitReadingFileResult(int BatchCount, int BatchesPerChunk, int Intervals, int Registers, int Events, int Rejected);

/// <summary>A run of consecutive batches handled by one sub-orchestration.</summary>
public sealed record ReadingFileChunk(string FileId, string RawBlob, int FirstBatch, int BatchCount);

/// <summary>One batch activity's input.</summary>
public sealed record ReadingFileBatch(string FileId, string RawBlob, int Batch);

/// <summary>Counts of a file or a part of it; <see cref="Received"/> = interval values plus items the parser rejected.</summary>
public sealed record ReadingFileCounts(int Received, int Accepted, int Suspect, int Estimated, int Duplicate, int Ignored, int Quarantined, int Registers, int Events)
{
    public static readonly ReadingFileCounts None = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static ReadingFileCounts operator +(ReadingFileCounts a, ReadingFileCounts b) => new(
        a.Received + b.Received, a.Accepted + b.Accepted, a.Suspect + b.Suspect, a.Estimated + b.Estimated, a.Duplicate + b.Duplicate,
        a.Ignored + b.Ignored, a.Quarantined + b.Quarantined, a.Registers + b.Registers, a.Events + b.Events);

    public static ReadingFileCounts Add(ReadingFileCounts a, ReadingFileCounts b) => a + b;

    public static ReadingFileCounts From(IngestionCounts c) =>
        new(c.Received, c.Accepted, c.Suspect, c.Estimated, c.Duplicate, c.Ignored, c.Quarantined, c.Registers, c.EventsMonitored);
}

/// <summary>Progress as the orchestration publishes it in its custom status.</summary>
public sealed record ReadingFileProgress(string Phase, int BatchesTotal, int BatchesDone, ReadingFileCounts Counts);

/// <summary>The finished file.</summary>
public sealed record ReadingFileSummary(string FileId, int Batches, ReadingFileCounts Counts);

/// <summary>What <c>GET /api/meter-readings/files/{id}</c> answers.</summary>
public sealed record ReadingFileStatusDto(
    string FileId,
    string Status,
    string Phase,
    string Format,
    string Origin,
    string RawBlob,
    int BatchesTotal,
    int BatchesDone,
    ReadingFileCounts Counts,
    IReadOnlyList<string> QuarantineBlobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? Failure);

/// <summary>A batch blob's content: whole meter-days with the meters' registers and events.</summary>
public sealed record ReadingFileBatchContent(IReadOnlyList<FileInterval> Intervals, IReadOnlyList<FileRegister> Registers, IReadOnlyList<FileEvent> Events)
{
    public MeterReadingBatch ToBatch() => new(
        [.. Intervals.Select(i => i.ToDomain())],
        [.. Registers.Select(r => r.ToDomain())],
        [.. Events.Select(e => e.ToDomain())],
        []);
}

/// <summary>An interval value of a batch and its position (index among the file's interval values).</summary>
public sealed record FileInterval(int Position, string Meter, MeterChannel Channel, DateTimeOffset Start, int Minutes, decimal Value, EnergyUnit Unit, ReadingQuality Quality)
{
    public static FileInterval From(int position, IntervalReading r) => new(position, r.Meter.Value, r.Channel, r.Start, r.IntervalMinutes, r.Value, r.Unit, r.Quality);

    public IntervalReading ToDomain() => new(new MeterId(Meter), Channel, Start, Minutes, Value, Unit, Quality);
}

public sealed record FileRegister(string Meter, MeterChannel Channel, RegisterBand Band, DateTimeOffset ReadAt, decimal Value, EnergyUnit Unit, ReadingQuality Quality, int? MeterDigits)
{
    public static FileRegister From(RegisterReading r) => new(r.Meter.Value, r.Channel, r.Band, r.ReadAt, r.Value, r.Unit, r.Quality, r.MeterDigits);

    public RegisterReading ToDomain() => new(new MeterId(Meter), Channel, Band, ReadAt, Value, Unit, Quality, MeterDigits);
}

public sealed record FileEvent(string Meter, MeterEventKind Kind, DateTimeOffset OccurredAt, string Code)
{
    public static FileEvent From(MeterEvent e) => new(e.Meter.Value, e.Kind, e.OccurredAt, e.Code);

    public MeterEvent ToDomain() => new(new MeterId(Meter), Kind, OccurredAt, Code);
}
