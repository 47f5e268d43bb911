namespace MeterToCash.Domain.Reconciliation;

/// <summary>What reading a file gave: either the file (possibly with line errors) or a refusal of the whole file.</summary>
public sealed record ReconParseResult
{
    ReconParseResult(ReconFile? file, ReconRefusal? refusal)
    {
        File = file;
        Refusal = refusal;
    }

    /// <summary>The file; null when refused.</summary>
    public ReconFile? File { get; }

    /// <summary>Why the whole file is refused; null when it was read.</summary>
    public ReconRefusal? Refusal { get; }

    /// <summary>True when the whole file is refused.</summary>
    public bool IsRefused => Refusal is not null;

    /// <summary>A file read.</summary>
    public static ReconParseResult Read(ReconFile file) => new(file ?? throw new ArgumentNullException(nameof(file)), null);

    /// <summary>A file refused whole.</summary>
    public static ReconParseResult Refused(string rule, int status, string message) => new(null, new ReconRefusal(rule, status, message));
}
