namespace MeterToCash.Domain.Reconciliation;

/// <summary>The format a bank reconciliation file came in (contract: reconciliation-files.md).</summary>
public enum ReconFileFormat
{
    /// <summary>The CSV with the <c>#MTC-RECON,v1,...</c> control-total header.</summary>
    Csv,

    /// <summary>ISO 20022 camt.053 end-of-day statement.</summary>
    Camt053,

    /// <summary>ISO 20022 camt.054 debit/credit notification.</summary>
    Camt054,
}
