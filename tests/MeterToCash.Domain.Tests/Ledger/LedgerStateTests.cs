using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;

namespace MeterToCash.Domain.Tests.Ledger;

public class LedgerStateTests
{
    private static readonly DateTimeOffset At = new(2025, 4, 10, 9, 0, 0, TimeSpan.FromHours(8));

    private static LedgerEntry Charge(long sequence, string billId, long fen) =>
        new(sequence, "charge:" + billId, LedgerEntryKind.Charge, new Money(fen), At, billId: billId, issuedOn: new DateOnly(2025, 4, 1), dueDate: new DateOnly(2025, 4, 30));

    [Fact]
    public void Apply_SequenceGap_Throws() =>
        Assert.Throws<ArgumentException>(() => LedgerState.Empty.Apply(Charge(2, "B1", 100)));

    [Fact]
    public void Apply_EntryIdUsedTwice_Throws()
    {
        LedgerState state = LedgerState.Empty.Apply(Charge(1, "B1", 100));

        Assert.Throws<ArgumentException>(() => state.Apply(Charge(2, "B1", 100)));
    }

    [Fact]
    public void Apply_PaymentAllocatingMoreThanIsOpen_Throws()
    {
        LedgerState state = LedgerState.Empty.Apply(Charge(1, "B1", 100));
        var overAllocated = new LedgerEntry(2, "pay:1", LedgerEntryKind.Payment, new Money(-200), At, allocations: [new LedgerAllocation("B1", Money.Zero, new Money(200))]);

        Assert.Throws<ArgumentException>(() => state.Apply(overAllocated));
    }

    [Fact]
    public void Apply_AmountNotMatchingAllocationsAndCredit_Throws()
    {
        LedgerState state = LedgerState.Empty.Apply(Charge(1, "B1", 100));
        var unbalanced = new LedgerEntry(2, "pay:1", LedgerEntryKind.Payment, new Money(-90), At, allocations: [new LedgerAllocation("B1", Money.Zero, new Money(50))]);

        Assert.Throws<ArgumentException>(() => state.Apply(unbalanced));
    }

    [Fact]
    public void Apply_CreditLeftWhileABillIsOpen_Throws()
    {
        LedgerState state = LedgerState.Empty.Apply(Charge(1, "B1", 100));
        var unapplied = new LedgerEntry(2, "pay:1", LedgerEntryKind.Payment, new Money(-50), At, creditChange: new Money(50));

        Assert.Throws<ArgumentException>(() => state.Apply(unapplied));
    }

    [Fact]
    public void LedgerEntry_PaymentWithPositiveAmount_Throws() =>
        Assert.Throws<ArgumentException>(() => new LedgerEntry(1, "pay:1", LedgerEntryKind.Payment, new Money(100), At));

    [Fact]
    public void LedgerEntry_ChargeWithoutDates_Throws() =>
        Assert.Throws<ArgumentException>(() => new LedgerEntry(1, "charge:B1", LedgerEntryKind.Charge, new Money(100), At, billId: "B1"));

    [Fact]
    public void LedgerAllocation_SettlingAndReopeningAtOnce_Throws() =>
        Assert.Throws<ArgumentException>(() => new LedgerAllocation("B1", new Money(1), new Money(-1)));

    [Fact]
    public void Replay_PostedEntries_GivesTheSameBalanceAndBills()
    {
        LedgerState state = LedgerState.Empty.Apply(Charge(1, "B1", 10000));
        PostingResult paid = LedgerPostings.Pay(state, "pay:1", new Money(4000), At);

        LedgerState replayed = LedgerState.Replay([Charge(1, "B1", 10000), paid.Entry!]);

        Assert.Equal((paid.State.Balance, paid.State.LastSequence), (replayed.Balance, replayed.LastSequence));
        Assert.Equal(paid.State.Bills, replayed.Bills);
    }
}
