namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// One classified transaction: the bank's line, our journal entry, or both when they were paired.
/// </summary>
/// <remarks>
/// Which sides an item has by class: <see cref="ReconClass.Matched"/>, <see cref="ReconClass.AmountMismatch"/> and
/// <see cref="ReconClass.AccountMismatch"/> both; <see cref="ReconClass.BankLong"/> and
/// <see cref="ReconClass.DuplicateInFile"/> the bank's only; <see cref="ReconClass.BankShort"/> ours only;
/// <see cref="ReconClass.ReversalMismatch"/> the side that has the reversal; <see cref="ReconClass.LedgerMissing"/> ours
/// and, when the bank had it, the bank's.
/// </remarks>
public sealed record ReconItem
{
    /// <summary>Creates an item.</summary>
    /// <param name="class">Its class.</param>
    /// <param name="bank">The bank's line, or null.</param>
    /// <param name="journal">Our journal entry, or null.</param>
    /// <exception cref="ArgumentException">Both sides are null.</exception>
    public ReconItem(ReconClass @class, BankLine? bank, ChannelJournalEntry? journal)
    {
        if (!Enum.IsDefined(@class)) throw new ArgumentOutOfRangeException(nameof(@class));
        if (bank is null && journal is null) throw new ArgumentException("An item has the bank's line, our entry or both.");
        Class = @class;
        Bank = bank;
        Journal = journal;
    }

    /// <summary>Its class.</summary>
    public ReconClass Class { get; }

    /// <summary>The bank's line, or null.</summary>
    public BankLine? Bank { get; }

    /// <summary>Our journal entry, or null.</summary>
    public ChannelJournalEntry? Journal { get; }

    /// <summary>The bank's cash in fen (payment +, reversal −); 0 without a bank line.</summary>
    public long BankFen => Bank?.SignedFen ?? 0;

    /// <summary>Our cash in fen (payment +, reversal −); 0 without a journal entry.</summary>
    public long JournalFen => Journal?.SignedFen ?? 0;
}
