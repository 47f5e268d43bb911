using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Ledger;

/// <summary>Invariants of the ledger over random sequences of charges, payments, late fees, adjustments and reversals.</summary>
public class LedgerPropertyTests
{
    /// <summary>One request, interpreted against the state it meets (so indexes always pick an existing bill or entry).</summary>
    public sealed record Request(int Kind, int Pick, int Days, int Fen);

    /// <summary>A step of a run: the state before, the posting the request resolved to, and its answer.</summary>
    private sealed record Step(LedgerState Before, Func<LedgerState, PostingResult> Posting, PostingResult Result);

    private static readonly DateOnly Start = new(2025, 1, 1);
    private static readonly DateTimeOffset StartAt = new(2025, 1, 1, 9, 0, 0, TimeSpan.FromHours(8));

    // 1‰ a day after 3 grace days, at least 0.50.
    private static readonly LateFeeRule Rule = new() { DailyRate = 0.001m, GraceDays = 3, Minimum = new Money(50) };

    public static Arbitrary<Request[]> Requests() =>
        (from kind in Gen.Choose(0, 9)
         from pick in Gen.Choose(0, 1000)
         from days in Gen.Choose(0, 60)
         from fen in Gen.Choose(1, 60_000)
         select new Request(kind, pick, days, fen))
        .ArrayOf().ToArbitrary();

    // Resolves a request against the state it meets to a concrete posting (the same posting can then be repeated).
    private static Func<LedgerState, PostingResult> Resolve(LedgerState state, Request r, int step)
    {
        DateTimeOffset at = StartAt.AddHours(step);
        IReadOnlyList<OpenBill> bills = state.Bills;
        string[] entryIds = [.. state.EntryIds.Order(StringComparer.Ordinal)];
        switch (r.Kind)
        {
            case 0 or 1:
                string billId = $"B{step:D3}";
                DateOnly issued = Start.AddDays(r.Pick % 120);
                return s => LedgerPostings.Charge(s, billId, new Money(r.Fen), issued, issued.AddDays(r.Days % 30), "charge:" + billId, at);
            case 2 or 3:
                return s => LedgerPostings.Pay(s, $"pay:{step}", new Money(r.Fen), at);
            case 4 or 8 or 9 when bills.Count > 0:
                OpenBill bill = bills[r.Pick % bills.Count];
                return s => LedgerPostings.AssessLateFee(s, bill.BillId, bill.DueDate.AddDays(r.Days), Rule, at);
            case 5:
                return s => LedgerPostings.Adjust(s, $"adj:{step}", new Money(r.Pick % 2 == 0 ? r.Fen : -r.Fen), "test", at);
            case 6 or 7 when entryIds.Length > 0:
                return s => LedgerPostings.Reverse(s, entryIds[r.Pick % entryIds.Length], $"reverse:{step}", at);
            default:
                return s => LedgerPostings.Pay(s, $"pay:{step}", new Money(r.Fen), at);
        }
    }

    private static List<Step> Run(Request[] requests)
    {
        List<Step> steps = [];
        LedgerState state = LedgerState.Empty;
        for (int i = 0; i < requests.Length; i++)
        {
            Func<LedgerState, PostingResult> posting = Resolve(state, requests[i], i);
            PostingResult result = posting(state);
            steps.Add(new Step(state, posting, result));
            state = result.State;
        }

        return steps;
    }

    private static LedgerState Final(List<Step> steps) => steps.Count == 0 ? LedgerState.Empty : steps[^1].Result.State;

    private static List<LedgerEntry> PostedEntries(List<Step> steps) =>
        [.. steps.Where(s => s.Result.Outcome == PostingOutcome.Posted).Select(s => s.Result.Entry!)];

    // Open items in settling order: each bill oldest first, its late fee before its principal.
    private static IEnumerable<(string BillId, bool IsLateFee, Money Open)> SettlingOrder(LedgerState state) =>
        state.Bills.SelectMany(b => new[] { (b.BillId, true, b.LateFeeOpen), (b.BillId, false, b.PrincipalOpen) });

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Balance_AnyRequests_EqualsSumOfEntryAmounts(Request[] requests)
    {
        List<Step> steps = Run(requests);
        return Final(steps).Balance.Fen == PostedEntries(steps).Sum(e => e.Amount.Fen);
    }

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool State_AnyRequests_OpenAmountsLessCreditEqualBalanceAndNothingNegative(Request[] requests) =>
        Run(requests).All(s =>
        {
            LedgerState state = s.Result.State;
            long open = state.Bills.Sum(b => b.PrincipalOpen.Fen + b.LateFeeOpen.Fen);
            return open - state.Credit.Fen == state.Balance.Fen
                && state.Credit.Fen >= 0
                && (state.Credit.Fen == 0 || open == 0)
                && state.Bills.All(b => b.PrincipalOpen.Fen >= 0 && b.LateFeeOpen.Fen >= 0 && b.PrincipalOpen <= b.Principal && b.LateFeeOpen <= b.LateFeeCharged);
        });

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Pay_AnyRequests_AllocationsNeverExceedWhatWasOpen(Request[] requests) =>
        Run(requests)
            .Where(s => s.Result.Outcome == PostingOutcome.Posted && s.Result.Entry!.Kind == LedgerEntryKind.Payment)
            .All(s => s.Result.Entry!.Allocations.All(a =>
            {
                OpenBill before = s.Before.FindBill(a.BillId)!;
                return a.LateFee.Fen >= 0 && a.Principal.Fen >= 0 && a.LateFee <= before.LateFeeOpen && a.Principal <= before.PrincipalOpen;
            }) && s.Result.Entry.Allocations.Sum(a => a.Total.Fen) + s.Result.Entry.CreditChange.Fen == -s.Result.Entry.Amount.Fen);

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Pay_AnyRequests_SettlesOldestBillFirstAndLateFeeBeforePrincipal(Request[] requests) =>
        Run(requests)
            .Where(s => s.Result.Outcome == PostingOutcome.Posted && s.Result.Entry!.Kind == LedgerEntryKind.Payment)
            .All(s =>
            {
                // Nothing goes to an item while an earlier one is left open, and nothing is left as credit while anything is open.
                var after = SettlingOrder(s.Result.State).ToList();
                var paid = s.Result.Entry!.Allocations.ToDictionary(a => a.BillId);
                bool earlierLeftOpen = false;
                foreach ((string billId, bool isLateFee, Money open) in after)
                {
                    Money settled = paid.TryGetValue(billId, out LedgerAllocation? a) ? (isLateFee ? a.LateFee : a.Principal) : Money.Zero;
                    if (settled.Fen > 0 && earlierLeftOpen)
                    {
                        return false;
                    }

                    earlierLeftOpen |= open.Fen > 0;
                }

                return s.Result.Entry.CreditChange.Fen == 0 || !earlierLeftOpen;
            });

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Replay_PostedEntries_EqualsTheStateBuiltStepByStep(Request[] requests)
    {
        List<Step> steps = Run(requests);
        LedgerState built = Final(steps);
        LedgerState replayed = LedgerState.Replay(PostedEntries(steps));
        return replayed.Balance == built.Balance
            && replayed.Credit == built.Credit
            && replayed.LastSequence == built.LastSequence
            && replayed.Bills.SequenceEqual(built.Bills)
            && replayed.EntryIds.Order(StringComparer.Ordinal).SequenceEqual(built.EntryIds.Order(StringComparer.Ordinal));
    }

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Reverse_PaymentRightAfterIt_ReturnsEveryOpenAmountToItsValueBefore(Request[] requests) =>
        Run(requests)
            .Where(s => s.Result.Outcome == PostingOutcome.Posted && s.Result.Entry!.Kind == LedgerEntryKind.Payment)
            .All(s =>
            {
                PostingResult reversed = LedgerPostings.Reverse(s.Result.State, s.Result.Entry!.EntryId, "reverse:" + s.Result.Entry.EntryId, StartAt);
                return reversed.Outcome == PostingOutcome.Posted
                    && reversed.State.Bills.SequenceEqual(s.Before.Bills)
                    && reversed.State.Balance == s.Before.Balance
                    && reversed.State.Credit == s.Before.Credit;
            });

    [FsCheck.Xunit.Property(MaxTest = 200, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Post_AnyRequestRepeated_IsReplayedWithoutANewEntry(Request[] requests) =>
        Run(requests)
            .Where(s => s.Result.Outcome == PostingOutcome.Posted)
            .All(s =>
            {
                PostingResult again = s.Posting(s.Result.State);
                return again.Outcome == PostingOutcome.Replayed && ReferenceEquals(again.Entry, s.Result.Entry) && ReferenceEquals(again.State, s.Result.State);
            });

    [FsCheck.Xunit.Property(MaxTest = 200, Arbitrary = [typeof(LedgerPropertyTests)])]
    public bool Statement_AnyRange_ClosingEqualsOpeningPlusEntries(Request[] requests, int fromOffset, int length)
    {
        List<LedgerEntry> entries = PostedEntries(Run(requests));
        DateOnly from = Start.AddDays(Math.Abs(fromOffset % 20));
        LedgerStatement statement = LedgerStatement.For(entries, from, from.AddDays(Math.Abs(length % 10)));
        LedgerStatement everything = LedgerStatement.For(entries, Start.AddDays(-1), Start.AddYears(1));
        return statement.ClosingBalance.Fen == statement.OpeningBalance.Fen + statement.Entries.Sum(e => e.Amount.Fen)
            && everything.ClosingBalance.Fen == entries.Sum(e => e.Amount.Fen);
    }
}
