using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Reconciliation;

namespace MeterToCash.Functions.Tests.Reconciliation;

/// <summary>Item ids: stable across runs and input order, distinct even for lines sharing a bankRef.</summary>
public sealed class ReconItemIdTests
{
    static readonly DateOnly Day = new(2026, 3, 2);
    static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void WithIds_DuplicateBankRefsAndJournalEntries_DistinctIdsWhateverTheInputOrder()
    {
        BankLine a = new("B1", "T1", "3100000001", 1_000, ReconTxnType.Pay, At, Day, "line 3");
        BankLine twin = new("B1", "T1", "3100000001", 1_000, ReconTxnType.Pay, At, Day, "line 4");
        BankLine other = new("B1", "T9", "3100000009", 9_000, ReconTxnType.Pay, At, Day, "line 5");
        ChannelJournalEntry[] journal =
        [
            new("pay:X:T1", "T1", "3100000001", 1_000, ReconTxnType.Pay, At),
            new("pay:X:T2", "T2", "3100000002", 2_000, ReconTxnType.Pay, At),
            new("rev:X:T2", "T2", "3100000002", 2_000, ReconTxnType.Rev, At),
        ];

        IReadOnlyList<ReconItemRecord> first = Reconciler.WithIds(ReconMatcher.Match([a, twin, other], journal, _ => true));
        IReadOnlyList<ReconItemRecord> reordered = Reconciler.WithIds(ReconMatcher.Match([other, twin, a], [.. journal.Reverse()], _ => true));

        Assert.Equal(first.Count, first.Select(i => i.ItemId).Distinct().Count());
        Assert.Equal(first.Select(i => (i.ItemId, i.Class)), reordered.Select(i => (i.ItemId, i.Class)));
        Assert.Contains(first, i => i.ItemId == "j-P-T1" && i.Class == ReconClass.Matched);
        Assert.Contains(first, i => i.ItemId == "j-R-T2" && i.Class == ReconClass.BankShort);
        Assert.Equal(["b-B1-0", "b-B1-1"], first.Where(i => i.JournalEntryId is null).Select(i => i.ItemId));
    }
}
