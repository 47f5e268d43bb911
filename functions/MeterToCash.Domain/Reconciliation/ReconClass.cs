namespace MeterToCash.Domain.Reconciliation;

/// <summary>The classes of reconciliation-files.md §3; every transaction of a day ends in exactly one.</summary>
public enum ReconClass
{
    /// <summary>In the bank file, our journal and our ledger, with the same account and amount.</summary>
    Matched,

    /// <summary>长款: the bank has it, we do not.</summary>
    BankLong,

    /// <summary>短款: we have it, the bank does not.</summary>
    BankShort,

    /// <summary>Both have it; the amounts differ.</summary>
    AmountMismatch,

    /// <summary>Both have it; the accounts differ.</summary>
    AccountMismatch,

    /// <summary>Reversed on one side only.</summary>
    ReversalMismatch,

    /// <summary>The same <c>bankRef</c>, or the same type and <c>channelTxnId</c>, twice in the file: the second and later ones.</summary>
    DuplicateInFile,

    /// <summary>In our journal, not in the ledger: an internal failure (a critical alarm).</summary>
    LedgerMissing,
}
