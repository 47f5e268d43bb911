using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;

namespace MeterToCash.Domain.Tests.Ledger;

public class LedgerStatementTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void For_April_OpensWithMarchClosesWithAprilAndListsOnlyAprilEntriesInclusive()
    {
        LedgerState state = LedgerState.Empty;
        List<LedgerEntry> entries = [];
        void Post(PostingResult r)
        {
            entries.Add(r.Entry!);
            state = r.State;
        }

        Post(LedgerPostings.Charge(state, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", new DateTimeOffset(2025, 3, 1, 8, 0, 0, China)));
        // 1 April 00:00 China time is 31 March 16:00 UTC: an April entry.
        Post(LedgerPostings.Pay(state, "pay:1", new Money(3000), new DateTimeOffset(2025, 3, 31, 16, 0, 0, TimeSpan.Zero)));
        // 30 April 23:59 China time: still April.
        Post(LedgerPostings.Pay(state, "pay:2", new Money(2000), new DateTimeOffset(2025, 4, 30, 23, 59, 0, China)));
        Post(LedgerPostings.Pay(state, "pay:3", new Money(1000), new DateTimeOffset(2025, 5, 1, 0, 0, 0, China)));

        LedgerStatement april = LedgerStatement.For(entries, new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30));

        Assert.Equal(10000L, april.OpeningBalance.Fen);
        Assert.Equal(["pay:1", "pay:2"], april.Entries.Select(e => e.EntryId));
        Assert.Equal(5000L, april.ClosingBalance.Fen);
    }

    [Fact]
    public void For_EndBeforeStart_Throws() =>
        Assert.Throws<ArgumentException>(() => LedgerStatement.For([], new DateOnly(2025, 4, 2), new DateOnly(2025, 4, 1)));
}
