using System.Text;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Ledger;

/// <summary>
/// The account ledger other features post to (billing charges and late fees, payment channels, back-office adjustments)
/// and read from. Every posting is the domain's <see cref="LedgerPostings"/> operation run on the account's stored state,
/// then stored in one transaction: all of it or nothing.
/// </summary>
/// <remarks>
/// <para>
/// A posting reads the account's entries (one point read of the head's snapshot), replays them (<see cref="LedgerState.Replay"/>), runs the operation and appends
/// the entry conditional on the head read. When another writer appended first the append writes nothing; the posting is
/// read and run again (at most <see cref="MaxAttempts"/> times, with a growing, jittered pause), so concurrent writers to
/// one account serialise into a gapless sequence. Within one instance, postings to one account first queue on a
/// <see cref="StripedGate"/>, so a burst of payments to one account costs one read and one append each instead of a
/// retry storm; the ETag check remains what makes it correct across instances. A run whose earlier write had landed after all (a lost response) finds
/// its entry id stored and comes back <see cref="PostingOutcome.Replayed"/>.
/// </para>
/// <para>
/// Time: the convenience methods post at the app's clock (<see cref="TimeProvider"/>), taken once per call. A repeat of an
/// entry id is matched on what the caller chose (amount, bill, dates, reason), not on the clock: when the id is stored
/// the original posting time is used, so the domain answers <see cref="PostingOutcome.Replayed"/> or
/// <see cref="LedgerRefusal.DuplicateDiffers"/> on the payload alone. A payment carries its channel's paid-at, which is
/// part of its payload.
/// </para>
/// <para>The ledger does not ask the archive whether an account exists; callers (the HTTP API, billing) do.</para>
/// </remarks>
public sealed class AccountLedger(LedgerStore store, TimeProvider time, ILogger<AccountLedger> logger)
{
    /// <summary>Attempts of one posting before it answers <see cref="LedgerPostResult.Contended"/>.</summary>
    public const int MaxAttempts = 40;

    readonly StripedGate gate = new();

    /// <summary>
    /// Runs <paramref name="operation"/> on the account's current state and stores the entry it posts, retrying on a
    /// concurrent writer. The operation may run several times and must be a pure function of the state (as
    /// <see cref="LedgerPostings"/>' operations are).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="accountNo"/> is not an account number.</exception>
    public Task<LedgerPostResult> PostAsync(string accountNo, Func<LedgerState, PostingResult> operation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return PostCoreAsync(accountNo, state => LedgerPostResult.From(operation(state)), ct);
    }

    /// <summary>Charges a bill's principal (<see cref="LedgerPostings.Charge"/>), posted now; credit on the account pays it at once.</summary>
    public Task<LedgerPostResult> ChargeAsync(string accountNo, string billId, Money amount, DateOnly issuedOn, DateOnly dueDate, string entryId, string? text, CancellationToken ct) =>
        PostCoreAsync(accountNo, Charging(new LedgerCharge(accountNo, billId, amount, issuedOn, dueDate, entryId, text), time.GetUtcNow()), ct);

    /// <summary>
    /// Charges many bills (a billing batch's), each as <see cref="ChargeAsync"/> does, up to <paramref name="parallelism"/>
    /// at a time, in the order of <paramref name="charges"/>. The accounts' ledgers are read first all together
    /// (<see cref="LedgerStore.ReadManyAsync"/>: one range query instead of a point read per account); each posting runs
    /// on its account's read and appends conditional on it, and one that meets a concurrent writer reads again and
    /// retries as any posting does.
    /// </summary>
    public async Task<LedgerPostResult[]> ChargeManyAsync(IReadOnlyList<LedgerCharge> charges, int parallelism, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(charges);
        foreach (LedgerCharge charge in charges)
        {
            CheckAccountNo(charge.AccountNo);
        }

        StoredLedger[] read = await store.ReadManyAsync([.. charges.Select(c => c.AccountNo)], parallelism, ct);
        DateTimeOffset now = time.GetUtcNow();
        LedgerPostResult[] results = new LedgerPostResult[charges.Count];
        ParallelOptions inParallel = new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, charges.Count), inParallel, async (i, token) =>
            results[i] = await PostCoreAsync(charges[i].AccountNo, Charging(charges[i], now), token, read[i]));
        return results;
    }

    /// <summary>The posting of a charge (<see cref="LedgerPostings.Charge"/>) at <paramref name="now"/>, or at the stored entry's time for a repeat.</summary>
    static Func<LedgerState, LedgerPostResult> Charging(LedgerCharge charge, DateTimeOffset now) =>
        state => LedgerPostResult.From(LedgerPostings.Charge(state, charge.BillId, charge.Amount, charge.IssuedOn, charge.DueDate, charge.EntryId, PostedAtOf(state, charge.EntryId, now), charge.Text));

    /// <summary>Posts a payment received at <paramref name="paidAt"/> (<see cref="LedgerPostings.Pay"/>): oldest bill first, late fee before principal, the rest credit.</summary>
    public Task<LedgerPostResult> PayAsync(string accountNo, string entryId, Money amount, DateTimeOffset paidAt, string? text, CancellationToken ct) =>
        PostAsync(accountNo, state => LedgerPostings.Pay(state, entryId, amount, paidAt, text), ct);

    /// <summary>Reverses one entry (<see cref="LedgerPostings.Reverse"/>), posted now.</summary>
    public Task<LedgerPostResult> ReverseAsync(string accountNo, string entryIdToReverse, string reversalEntryId, string? text, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        return PostAsync(accountNo, state => LedgerPostings.Reverse(state, entryIdToReverse, reversalEntryId, PostedAtOf(state, reversalEntryId, now), text), ct);
    }

    /// <summary>
    /// Posts a manual adjustment (退补, <see cref="LedgerPostings.Adjust"/>), now: positive <paramref name="amount"/> is a
    /// debit, negative a credit. A repeat is the same when amount and reason are; otherwise
    /// <see cref="LedgerRefusal.DuplicateDiffers"/>.
    /// </summary>
    public Task<LedgerPostResult> AdjustAsync(string accountNo, string entryId, Money amount, string reason, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        return PostCoreAsync(
            accountNo,
            state =>
            {
                if (state.TryFind(entryId, out LedgerEntry? stored))
                {
                    // The domain compares kind, amount and time; the reason is the decision's text and part of its payload here.
                    return stored.Kind == LedgerEntryKind.Adjustment && stored.Amount == amount && string.Equals(stored.Text, reason, StringComparison.Ordinal)
                        ? LedgerPostResult.From(LedgerPostings.Adjust(state, entryId, amount, reason, stored.PostedAt))
                        : LedgerPostResult.Refused(state, LedgerRefusal.DuplicateDiffers, $"Entry {entryId} is already posted with a different payload.");
                }

                return LedgerPostResult.From(LedgerPostings.Adjust(state, entryId, amount, reason, now));
            },
            ct);
    }

    /// <summary>Assesses a bill's late fee through <paramref name="day"/> (<see cref="LedgerPostings.AssessLateFee"/>), posted now; repeated for the same day it posts once.</summary>
    public Task<LedgerPostResult> AssessLateFeeAsync(string accountNo, string billId, DateOnly day, LateFeeRule rule, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        return PostAsync(accountNo, state => LedgerPostings.AssessLateFee(state, billId, day, rule, now), ct);
    }

    /// <summary>The account's ledger folded (<see cref="LedgerState.Empty"/> when it has no entries).</summary>
    public async Task<LedgerState> StateAsync(string accountNo, CancellationToken ct)
    {
        CheckAccountNo(accountNo);
        return LedgerState.Replay((await store.ReadAsync(accountNo, ct)).Entries);
    }

    /// <summary>The account's entries in sequence order.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(string accountNo, CancellationToken ct)
    {
        CheckAccountNo(accountNo);
        return (await store.ReadAsync(accountNo, ct)).Entries;
    }

    /// <summary>Whether the entry <paramref name="entryId"/> is in the account's ledger (one point read, no replay).</summary>
    /// <exception cref="ArgumentException"><paramref name="accountNo"/> is not an account number.</exception>
    public Task<bool> HasEntryAsync(string accountNo, string entryId, CancellationToken ct)
    {
        CheckAccountNo(accountNo);
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        return store.HasEntryAsync(accountNo, entryId, ct);
    }

    /// <summary>
    /// The posting loop: read, run, append conditional on the read. <paramref name="readBefore"/>, when given, is the
    /// account's ledger read by the caller, used for the first attempt instead of reading it again; a stale one only
    /// costs that attempt (its append conflicts).
    /// </summary>
    async Task<LedgerPostResult> PostCoreAsync(string accountNo, Func<LedgerState, LedgerPostResult> operation, CancellationToken ct, StoredLedger? readBefore = null)
    {
        CheckAccountNo(accountNo);
        using StripedGate.Releaser turn = await gate.EnterAsync(accountNo, ct);
        LedgerState state = LedgerState.Empty;
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            StoredLedger stored = attempt == 1 && readBefore is not null ? readBefore : await store.ReadAsync(accountNo, ct);
            state = LedgerState.Replay(stored.Entries);
            LedgerPostResult result = operation(state);
            if (result.Outcome != PostingOutcome.Posted)
            {
                return result;
            }

            LedgerEntry entry = result.Entry!;
            if (Encoding.UTF8.GetByteCount(entry.EntryId) > LedgerStore.MaxEntryIdBytes)
            {
                return LedgerPostResult.Refused(state, LedgerRefusal.EntryIdInvalid, $"The entry id is longer than {LedgerStore.MaxEntryIdBytes} UTF-8 bytes.");
            }

            if (await store.AppendAsync(accountNo, stored, entry, result.State.Balance, ct) == LedgerAppend.Appended)
            {
                logger.EntryPosted(accountNo, entry.Sequence, entry.EntryId, entry.Kind, entry.Amount.Fen, attempt);
                return result;
            }

            // Another writer appended since the read: pause a little (growing, jittered, so the losers spread out) and run again.
            int ceilingMs = Math.Min(5 << Math.Min(attempt, 6), 250);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(ceilingMs / 2, ceilingMs + 1)), time, ct);
        }

        logger.PostingContended(accountNo, MaxAttempts);
        return LedgerPostResult.Refused(state, LedgerPostResult.Contended, $"Account {accountNo} was written concurrently {MaxAttempts} times in a row; nothing was posted, send the request again.");
    }

    // A repeat of a stored entry id keeps its original time, so the domain compares the payload only.
    static DateTimeOffset PostedAtOf(LedgerState state, string entryId, DateTimeOffset now) =>
        entryId is not null && state.TryFind(entryId, out LedgerEntry? stored) ? stored.PostedAt : now;

    static void CheckAccountNo(string accountNo)
    {
        if (!ArchiveValidator.IsKey(accountNo, ArchiveValidator.MaxAccountNoLength))
        {
            throw new ArgumentException($"'{accountNo}' is not an account number (1–{ArchiveValidator.MaxAccountNoLength} letters, digits, '-' or '_').", nameof(accountNo));
        }
    }
}
