namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// Size limits of one reconciliation file, both inclusive: a file of exactly <see cref="MaxBytes"/> bytes, or with
/// exactly <see cref="MaxTransactions"/> transactions, is read; one byte or one transaction more is refused whole (413).
/// </summary>
public sealed record ReconFileLimits
{
    /// <summary>The defaults: 256 MiB and 1,000,000 transactions (a million-line CSV is about 100 MB).</summary>
    public static readonly ReconFileLimits Default = new(256L * 1024 * 1024, 1_000_000);

    /// <summary>Creates limits.</summary>
    /// <param name="maxBytes">Largest file in bytes, inclusive, counting a BOM; at least 1.</param>
    /// <param name="maxTransactions">Most transactions (CSV data lines; camt <c>Ntry</c> without <c>TxDtls</c> plus <c>TxDtls</c>), inclusive; at least 1.</param>
    public ReconFileLimits(long maxBytes, int maxTransactions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTransactions, 1);
        MaxBytes = maxBytes;
        MaxTransactions = maxTransactions;
    }

    /// <summary>Largest file in bytes, inclusive.</summary>
    public long MaxBytes { get; }

    /// <summary>Most transactions in a file, inclusive.</summary>
    public int MaxTransactions { get; }
}
