using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Ledger;

public class LedgerPostingsTests
{
    private static readonly LateFeeRule OnePerMille = new() { DailyRate = 0.001m };
    private static readonly DateTimeOffset At = new(2025, 4, 10, 9, 0, 0, TimeSpan.FromHours(8));

    // Bill 1: 100.00 issued 1 March, due 31 March. Bill 2: 200.00 issued 1 April, due 30 April.
    private static LedgerState TwoBills()
    {
        LedgerState state = LedgerPostings.Charge(LedgerState.Empty, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", At.AddDays(-40)).State;
        return LedgerPostings.Charge(state, "B2", new Money(20000), new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), "charge:B2", At.AddDays(-9)).State;
    }

    // Two bills, and bill 1's late fee through 10 April: 100.00 × 1‰ × 10 days = 1.00.
    private static LedgerState TwoBillsWithLateFee() =>
        LedgerPostings.AssessLateFee(TwoBills(), "B1", new DateOnly(2025, 4, 10), OnePerMille, At).State;

    private static LedgerState Posted(PostingResult result)
    {
        Assert.Equal(PostingOutcome.Posted, result.Outcome);
        return result.State;
    }

    [Fact]
    public void Pay_CoversBill1AndPartOfBill2_SettlesBill1LateFeeThenPrincipalThenBill2()
    {
        LedgerState before = TwoBillsWithLateFee();

        PostingResult paid = LedgerPostings.Pay(before, "pay:bank:T1", new Money(15000), At);

        Assert.Equal(PostingOutcome.Posted, paid.Outcome);
        LedgerEntry entry = paid.Entry!;
        Assert.Equal((LedgerEntryKind.Payment, -15000L, 4L), (entry.Kind, entry.Amount.Fen, entry.Sequence));
        Assert.Equal(
            [("B1", 100L, 10000L), ("B2", 0L, 4900L)],
            entry.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        Assert.Equal(Money.Zero, entry.CreditChange);
        // 100.00 + 200.00 + 1.00 − 150.00 = 151.00 owed, all of it bill 2's principal.
        Assert.Equal((15100L, 0L), (paid.State.Balance.Fen, paid.State.Credit.Fen));
        Assert.Equal(
            [("B1", 0L, 0L), ("B2", 0L, 15100L)],
            paid.State.Bills.Select(b => (b.BillId, b.LateFeeOpen.Fen, b.PrincipalOpen.Fen)));
    }

    [Fact]
    public void Pay_MoreThanIsOpen_RemainderBecomesCreditAndPaysTheNextCharge()
    {
        LedgerState one = Posted(LedgerPostings.Charge(LedgerState.Empty, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", At));

        LedgerState overpaid = Posted(LedgerPostings.Pay(one, "pay:kiosk:1", new Money(20000), At));
        PostingResult charged = LedgerPostings.Charge(overpaid, "B2", new Money(5000), new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), "charge:B2", At.AddDays(1));

        Assert.Equal((-10000L, 10000L, 0L), (overpaid.Balance.Fen, overpaid.Credit.Fen, overpaid.OpenTotal.Fen));
        Assert.Equal([("B2", 0L, 5000L)], charged.Entry!.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        Assert.Equal((-5000L, 5000L, 0L), (charged.State.Balance.Fen, charged.State.Credit.Fen, charged.State.OpenTotal.Fen));
    }

    [Fact]
    public void Reverse_Payment_RestoresEveryOpenAmountExactlyAndKeepsBothEntries()
    {
        LedgerState before = TwoBillsWithLateFee();
        LedgerState paid = Posted(LedgerPostings.Pay(before, "pay:bank:T1", new Money(15000), At));

        PostingResult reversed = LedgerPostings.Reverse(paid, "pay:bank:T1", "reverse:pay:bank:T1", At.AddHours(1));

        Assert.Equal(PostingOutcome.Posted, reversed.Outcome);
        Assert.Equal((LedgerEntryKind.Reversal, 15000L, "pay:bank:T1"), (reversed.Entry!.Kind, reversed.Entry.Amount.Fen, reversed.Entry.ReversesEntryId));
        Assert.Equal(
            [("B1", -100L, -10000L), ("B2", 0L, -4900L)],
            reversed.Entry.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        Assert.Equal(before.Bills, reversed.State.Bills);
        Assert.Equal((before.Balance, before.Credit), (reversed.State.Balance, reversed.State.Credit));
        Assert.Equal(5, reversed.State.LastSequence);
        Assert.Equal("reverse:pay:bank:T1", reversed.State.ReversalOf("pay:bank:T1"));
    }

    [Fact]
    public void Reverse_PaymentWhoseCreditPaidALaterBill_ReopensThatBill()
    {
        LedgerState one = Posted(LedgerPostings.Charge(LedgerState.Empty, "B1", new Money(10000), new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "charge:B1", At));
        LedgerState overpaid = Posted(LedgerPostings.Pay(one, "pay:1", new Money(15000), At));
        LedgerState charged = Posted(LedgerPostings.Charge(overpaid, "B2", new Money(3000), new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), "charge:B2", At));

        PostingResult reversed = LedgerPostings.Reverse(charged, "pay:1", "reverse:pay:1", At);

        // 100.00 back on bill 1; of the 50.00 credit, 20.00 is left and 30.00 paid bill 2, which is reopened.
        Assert.Equal(
            [("B1", 0L, -10000L), ("B2", 0L, -3000L)],
            reversed.Entry!.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        Assert.Equal((13000L, 0L, 13000L), (reversed.State.Balance.Fen, reversed.State.Credit.Fen, reversed.State.OpenTotal.Fen));
    }

    [Fact]
    public void Reverse_SameReversalIdAgain_ReplaysTheReversal()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:1", new Money(5000), At));
        PostingResult first = LedgerPostings.Reverse(paid, "pay:1", "reverse:pay:1", At);

        PostingResult again = LedgerPostings.Reverse(first.State, "pay:1", "reverse:pay:1", At.AddMinutes(5));

        Assert.Equal(PostingOutcome.Replayed, again.Outcome);
        Assert.Same(first.Entry, again.Entry);
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void Reverse_AlreadyReversedUnderAnotherId_IsRefused()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:1", new Money(5000), At));
        LedgerState reversed = Posted(LedgerPostings.Reverse(paid, "pay:1", "reverse:pay:1", At));

        PostingResult again = LedgerPostings.Reverse(reversed, "pay:1", "reverse:pay:1:b", At);

        Assert.Equal((PostingOutcome.Refused, LedgerRefusal.AlreadyReversed), (again.Outcome, again.Refusal!.Code));
        Assert.Same(reversed, again.State);
    }

    [Fact]
    public void Reverse_AReversal_IsRefusedNotReversible()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:1", new Money(5000), At));
        LedgerState reversed = Posted(LedgerPostings.Reverse(paid, "pay:1", "reverse:pay:1", At));

        PostingResult result = LedgerPostings.Reverse(reversed, "reverse:pay:1", "reverse:reverse:pay:1", At);

        Assert.Equal(LedgerRefusal.NotReversible, result.Refusal?.Code);
    }

    [Fact]
    public void Reverse_UnknownEntry_IsRefused() =>
        Assert.Equal(LedgerRefusal.UnknownEntry, LedgerPostings.Reverse(TwoBills(), "pay:none", "reverse:pay:none", At).Refusal?.Code);

    [Fact]
    public void Reverse_ChargeOfAPartlyPaidBill_PaidPartBecomesCreditAndPaysTheOtherBill()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:1", new Money(4000), At));

        PostingResult reversed = LedgerPostings.Reverse(paid, "charge:B1", "reverse:charge:B1", At);

        // Bill 1's 40.00 paid is freed and settles 40.00 of bill 2; 200.00 − 40.00 = 160.00 owed.
        Assert.Equal([("B2", 0L, 4000L)], reversed.Entry!.Allocations.Select(a => (a.BillId, a.LateFee.Fen, a.Principal.Fen)));
        OpenBill b1 = reversed.State.FindBill("B1")!;
        Assert.Equal((true, 0L, 0L), (b1.Reversed, b1.Principal.Fen, b1.PrincipalOpen.Fen));
        Assert.Equal((16000L, 0L), (reversed.State.Balance.Fen, reversed.State.Credit.Fen));
    }

    [Fact]
    public void Reverse_ChargeWithLateFees_IsRefusedUntilTheFeesAreReversed()
    {
        LedgerState state = TwoBillsWithLateFee();

        PostingResult refused = LedgerPostings.Reverse(state, "charge:B1", "reverse:charge:B1", At);
        LedgerState feeReversed = Posted(LedgerPostings.Reverse(state, LedgerPostings.LateFeeEntryId("B1", new DateOnly(2025, 4, 10)), "reverse:fee", At));
        PostingResult allowed = LedgerPostings.Reverse(feeReversed, "charge:B1", "reverse:charge:B1", At);

        Assert.Equal(LedgerRefusal.BillHasLateFees, refused.Refusal?.Code);
        Assert.Equal(PostingOutcome.Posted, allowed.Outcome);
        Assert.Equal(20000L, allowed.State.Balance.Fen);
    }

    [Fact]
    public void AssessLateFee_SameBillAndDayTwice_PostsOnceThenReplays()
    {
        LedgerState bills = TwoBills();
        PostingResult first = LedgerPostings.AssessLateFee(bills, "B1", new DateOnly(2025, 4, 10), OnePerMille, At);

        PostingResult second = LedgerPostings.AssessLateFee(first.State, "B1", new DateOnly(2025, 4, 10), OnePerMille, At.AddHours(2));

        Assert.Equal((PostingOutcome.Posted, "latefee:B1:2025-04-10", 100L), (first.Outcome, first.Entry!.EntryId, first.Entry.Amount.Fen));
        Assert.Equal(PostingOutcome.Replayed, second.Outcome);
        Assert.Same(first.State, second.State);
        Assert.Equal(100L, second.State.FindBill("B1")!.LateFeeOpen.Fen);
    }

    [Fact]
    public void AssessLateFee_NextDay_ChargesOnlyTheNewDay()
    {
        LedgerState assessed = TwoBillsWithLateFee();

        PostingResult nextDay = LedgerPostings.AssessLateFee(assessed, "B1", new DateOnly(2025, 4, 11), OnePerMille, At.AddDays(1));

        // 100.00 × 1‰ × 11 days = 1.10, less the 1.00 already charged.
        Assert.Equal(10L, nextDay.Entry!.Amount.Fen);
        Assert.Equal((110L, new DateOnly(2025, 4, 11)), (nextDay.State.FindBill("B1")!.LateFeeOpen.Fen, nextDay.State.FindBill("B1")!.LateFeeAssessedThrough));
    }

    [Fact]
    public void AssessLateFee_EarlierDayThanAlreadyAssessed_PostsNothing() =>
        Assert.Equal(PostingOutcome.NothingToPost, LedgerPostings.AssessLateFee(TwoBillsWithLateFee(), "B1", new DateOnly(2025, 4, 5), OnePerMille, At).Outcome);

    [Fact]
    public void AssessLateFee_BillNotYetDue_PostsNothing() =>
        Assert.Equal(PostingOutcome.NothingToPost, LedgerPostings.AssessLateFee(TwoBills(), "B2", new DateOnly(2025, 4, 30), OnePerMille, At).Outcome);

    [Fact]
    public void AssessLateFee_PrincipalFullyPaid_PostsNothing()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:1", new Money(10000), At));

        Assert.Equal(PostingOutcome.NothingToPost, LedgerPostings.AssessLateFee(paid, "B1", new DateOnly(2025, 4, 20), OnePerMille, At).Outcome);
    }

    [Fact]
    public void AssessLateFee_UnknownBill_IsRefused() =>
        Assert.Equal(LedgerRefusal.UnknownBill, LedgerPostings.AssessLateFee(TwoBills(), "B9", new DateOnly(2025, 4, 20), OnePerMille, At).Refusal?.Code);

    [Fact]
    public void Pay_SameEntryIdAndPayload_ReplaysTheOriginalEntry()
    {
        PostingResult first = LedgerPostings.Pay(TwoBills(), "pay:bank:T1", new Money(15000), At);

        PostingResult again = LedgerPostings.Pay(first.State, "pay:bank:T1", new Money(15000), At);

        Assert.Equal(PostingOutcome.Replayed, again.Outcome);
        Assert.Same(first.Entry, again.Entry);
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void Pay_SameEntryIdOtherAmount_IsRefusedDuplicateDiffers()
    {
        LedgerState paid = Posted(LedgerPostings.Pay(TwoBills(), "pay:bank:T1", new Money(15000), At));

        PostingResult other = LedgerPostings.Pay(paid, "pay:bank:T1", new Money(15001), At);

        Assert.Equal(LedgerRefusal.DuplicateDiffers, other.Refusal?.Code);
        Assert.Same(paid, other.State);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_000_000_001L)]
    public void Pay_AmountOutOfRange_IsRefusedAmountInvalid(long fen) =>
        Assert.Equal(LedgerRefusal.AmountInvalid, LedgerPostings.Pay(TwoBills(), "pay:x", new Money(fen), At).Refusal?.Code);

    [Fact]
    public void Pay_TenMillionYuan_IsAccepted() =>
        Assert.Equal(PostingOutcome.Posted, LedgerPostings.Pay(TwoBills(), "pay:x", LedgerPostings.MaxAmount, At).Outcome);

    [Fact]
    public void Pay_BlankEntryId_IsRefused() =>
        Assert.Equal(LedgerRefusal.EntryIdInvalid, LedgerPostings.Pay(TwoBills(), " ", new Money(1), At).Refusal?.Code);

    [Fact]
    public void Charge_ExistingBillId_IsRefused() =>
        Assert.Equal(LedgerRefusal.BillExists, LedgerPostings.Charge(TwoBills(), "B1", new Money(1), new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31), "charge:B1:again", At).Refusal?.Code);

    [Fact]
    public void Charge_DueBeforeIssued_IsRefused() =>
        Assert.Equal(LedgerRefusal.DatesInvalid, LedgerPostings.Charge(LedgerState.Empty, "B1", new Money(1), new DateOnly(2025, 5, 2), new DateOnly(2025, 5, 1), "charge:B1", At).Refusal?.Code);

    [Fact]
    public void Adjust_Debit_OpensAnItemSettledAfterOlderBills()
    {
        LedgerState adjusted = Posted(LedgerPostings.Adjust(TwoBills(), "adj:1", new Money(500), "meter test fee", At));

        PostingResult paid = LedgerPostings.Pay(adjusted, "pay:1", new Money(30500), At.AddDays(1));

        Assert.Equal(["B1", "B2", "adj:1"], paid.Entry!.Allocations.Select(a => a.BillId));
        Assert.Equal((0L, 0L), (paid.State.Balance.Fen, paid.State.OpenTotal.Fen));
    }

    [Fact]
    public void Adjust_Credit_IsAllocatedLikeAPayment()
    {
        PostingResult adjusted = LedgerPostings.Adjust(TwoBills(), "adj:1", new Money(-12000), "goodwill", At);

        Assert.Equal([("B1", 10000L), ("B2", 2000L)], adjusted.Entry!.Allocations.Select(a => (a.BillId, a.Principal.Fen)));
        Assert.Equal(18000L, adjusted.State.Balance.Fen);
    }

    [Fact]
    public void Adjust_WithoutReason_IsRefused() =>
        Assert.Equal(LedgerRefusal.ReasonRequired, LedgerPostings.Adjust(TwoBills(), "adj:1", new Money(-1), " ", At).Refusal?.Code);
}
