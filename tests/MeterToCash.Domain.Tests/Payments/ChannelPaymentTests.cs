using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Payments;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Payments;

public class ChannelPaymentTests
{
    static readonly DateTimeOffset PaidAt = new(2026, 12, 4, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Fingerprint_ChangesWithEveryChosenField_NotWithTheChannelKey()
    {
        ChannelPayment a = new("BANK-ICBC", "T1", "3100000000", new Money(100), PaidAt, new DateOnly(2026, 12, 4));
        Assert.Equal(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(100), PaidAt.ToUniversalTime(), new DateOnly(2026, 12, 4)).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000001", new Money(100), PaidAt, new DateOnly(2026, 12, 4)).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(101), PaidAt, new DateOnly(2026, 12, 4)).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(100), PaidAt.AddTicks(1), new DateOnly(2026, 12, 4)).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(100), PaidAt, new DateOnly(2026, 12, 5)).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(100), PaidAt, new DateOnly(2026, 12, 4), "C1", Tender.Cash).Fingerprint);
        Assert.Equal("pay:BANK-ICBC:T1", a.EntryId);
        Assert.Equal("BANK-ICBC-T1", a.ReceiptNo);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000_001)]
    public void Constructor_AmountOutOfRange_Throws(long fen) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelPayment("BANK-ICBC", "T1", "3100000000", new Money(fen), PaidAt, new DateOnly(2026, 12, 4)));

    [Fact]
    public void Constructor_LimitsInclusive()
    {
        Assert.Equal(1_000_000_000, new ChannelPayment("BANK-ICBC", new string('x', 64), "A", new Money(1_000_000_000), PaidAt, new DateOnly(2026, 12, 4)).Amount.Fen);
        Assert.Throws<ArgumentException>(() => new ChannelPayment("BANK-ICBC", new string('x', 65), "A", new Money(1), PaidAt, new DateOnly(2026, 12, 4)));
    }

    [Fact]
    public void SequenceGaps_MissingRangesBetweenOneAndMax()
    {
        Assert.Equal([(1L, 1L), (4L, 6L), (9L, 9L)], SequenceGaps.Find([2, 3, 3, 8, 7, 10]));
        Assert.Empty(SequenceGaps.Find([]));
        Assert.Empty(SequenceGaps.Find([1, 2, 3]));
    }

    [FsCheck.Xunit.Property]
    public Property SequenceGaps_WithReceivedCoverOneToMaxExactlyOnce() =>
        Prop.ForAll(Gen.Choose(1, 200).Select(i => (long)i).ArrayOf().ToArbitrary(), received =>
        {
            IReadOnlyList<(long From, long To)> gaps = SequenceGaps.Find(received);
            long max = received.Length == 0 ? 0 : received.Max();
            List<long> missing = [.. gaps.SelectMany(g => Enumerable.Range((int)g.From, (int)(g.To - g.From + 1)).Select(i => (long)i))];
            return missing.Concat(received.Distinct()).Order().SequenceEqual(Enumerable.Range(1, (int)max).Select(i => (long)i))
                && gaps.All(g => g.From <= g.To);
        });

    /// <summary>
    /// A payment to an account with up to three overdue bills carrying late fees: what it allocates plus its credit is the
    /// amount; bills are paid oldest first, each bill's late fee before its principal.
    /// </summary>
    [FsCheck.Xunit.Property]
    public Property Pay_OverdueBillsWithLateFees_ConservesMoneyOldestFirstLateFeeFirst() =>
        Prop.ForAll(
            Gen.Choose(1, 50_000).ArrayOf().Where(a => a.Length is >= 1 and <= 3).ToArbitrary(),
            Gen.Choose(1, 200_000).ToArbitrary(),
            (principals, paid) =>
            {
                LateFeeRule rule = new() { DailyRate = 0.001m, GraceDays = 0, Minimum = Money.Zero };
                LedgerState state = LedgerState.Empty;
                DateTimeOffset at = new(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(8));
                for (int i = 0; i < principals.Length; i++)
                {
                    DateOnly issued = new(2026, 1 + i, 1);
                    state = LedgerPostings.Charge(state, $"B{i}", new Money(principals[i]), issued, issued.AddDays(10), $"charge:B{i}", at).State;
                }

                for (int i = 0; i < principals.Length; i++)
                {
                    state = LedgerPostings.AssessLateFee(state, $"B{i}", new DateOnly(2026, 12, 1), rule, at).State;
                }

                PostingResult result = LedgerPostings.Pay(state, "pay:BANK-ICBC:T1", new Money(paid), at);
                LedgerEntry entry = result.Entry!;
                bool conserves = entry.Allocations.Sum(a => a.Total.Fen) + entry.CreditChange.Fen == paid;
                // Oldest first: a bill receives money only when every older bill is fully settled; within a bill, principal only after its late fee.
                IReadOnlyList<OpenBill> before = state.Bills, after = result.State.Bills;
                bool ordered = true;
                for (int i = 0; i < before.Count; i++)
                {
                    LedgerAllocation? allocation = entry.Allocations.SingleOrDefault(a => a.BillId == before[i].BillId);
                    if (allocation is null)
                    {
                        continue;
                    }

                    ordered &= after.Take(i).All(b => b.OpenTotal == Money.Zero);
                    ordered &= allocation.Principal == Money.Zero || after[i].LateFeeOpen == Money.Zero;
                }

                return conserves && ordered && (entry.CreditChange.Fen == 0 || result.State.OpenTotal == Money.Zero);
            });
}
