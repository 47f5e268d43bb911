namespace MeterToCash.Domain.Reconciliation;

/// <summary>A day's reconciliation: every transaction classified, and the totals per class.</summary>
public sealed class ReconResult
{
    /// <summary>Wraps classified items and totals them.</summary>
    /// <param name="items">The items, in the matcher's canonical order.</param>
    public ReconResult(IReadOnlyList<ReconItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        int classes = Enum.GetValues<ReconClass>().Length;
        int[] counts = new int[classes];
        long[] bankFen = new long[classes], journalFen = new long[classes];
        foreach (ReconItem item in items)
        {
            int c = (int)item.Class;
            counts[c]++;
            bankFen[c] = checked(bankFen[c] + item.BankFen);
            journalFen[c] = checked(journalFen[c] + item.JournalFen);
        }

        Totals = [.. Enum.GetValues<ReconClass>().Select(c => new ReconClassTotal(c, counts[(int)c], bankFen[(int)c], journalFen[(int)c]))];
    }

    /// <summary>Every transaction once, ordered by class, then the bank line, then our entry.</summary>
    public IReadOnlyList<ReconItem> Items { get; }

    /// <summary>One total per class, in the order of <see cref="ReconClass"/>, zero rows included.</summary>
    public IReadOnlyList<ReconClassTotal> Totals { get; }

    /// <summary>The total of one class.</summary>
    public ReconClassTotal this[ReconClass @class] => Totals[(int)@class];
}
