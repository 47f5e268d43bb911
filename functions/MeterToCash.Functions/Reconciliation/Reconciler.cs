using System.Collections.Concurrent;
using System.Globalization;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.Monitoring;
using MeterToCash.Functions.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>How recording a decision went: the decision (new or the stored one), whether it is a repeat, or a refusal.</summary>
public sealed record ReconDecisionOutcome(ReconDecisionRecord? Decision, bool Replayed, int Status, string? Field, string? Rule, string? Message)
{
    public static ReconDecisionOutcome Refused(int status, string field, string rule, string message) => new(null, false, status, field, rule, message);
}

/// <summary>
/// The work of a channel day's reconciliation, each step idempotent: the three-way match of the current file against the
/// channel journal (through <see cref="ChannelJournals"/>) and the ledger (through <see cref="AccountLedger"/>), the
/// recording and applying of operators' decisions, and the alarms.
/// </summary>
/// <remarks>
/// Decisions are keyed by the item id (<see cref="ReconItemRecord"/>), so they survive reruns and superseding files. A
/// decision that moves money posts one ledger entry whose id names the reconciliation (<c>recon:{channel}:{yyyyMMdd}:{item}</c>
/// for a posted bank-long payment, <c>recon-rev:…</c> for a reversed bank-short one) and whose text names the operator:
/// applying it again finds the entry and posts nothing.
/// </remarks>
public sealed class Reconciler(
    ReconStore store,
    ChannelJournals journals,
    AccountLedger ledger,
    ArchiveStore archive,
    AlarmMonitor alarms,
    TimeProvider time,
    IOptions<ReconciliationOptions> options,
    ILogger<Reconciler> logger)
{
    /// <summary>Ledger membership is asked this many accounts at a time.</summary>
    const int LedgerReadsInParallel = 16;

    ReconFileLimits Limits => new(options.Value.MaxFileBytes, ReconFileLimits.Default.MaxTransactions);

    /// <summary>Reads a file's bytes as the contract's CSV or camt XML; <paramref name="channelId"/> and <paramref name="channelDate"/> are required for XML.</summary>
    public ReconParseResult Parse(ReadOnlySpan<byte> bytes, string format, string? channelId, DateOnly? channelDate) => format == ReconFileFormats.Csv
        ? ReconCsvParser.Parse(bytes, channelId, Limits)
        : CamtParser.Parse(bytes, channelId!, channelDate!.Value, Limits);

    /// <summary>Matches the channel day's current file; writes its items and totals, applies recorded decisions, raises the ledger-missing alarm.</summary>
    public async Task<ReconRunState> MatchAsync(ReconDayRef dayRef, CancellationToken ct)
    {
        (string channelId, DateOnly day) = (dayRef.ChannelId, dayRef.ChannelDate);
        ReconDayRecord record = await store.FindDayAsync(channelId, day, ct) ?? throw new InvalidOperationException($"No reconciliation file for {channelId} {ReconStore.Day(day)}.");
        string fileId = record.FileId!;
        (string format, DateTimeOffset receivedAt) = await store.FindFileAsync(channelId, day, fileId, ct) ?? throw new InvalidOperationException($"File {fileId} of {channelId} {ReconStore.Day(day)} is not recorded.");
        ReconParseResult parsed = Parse(await store.ReadFileAsync(fileId, ct), format, channelId, day);
        ReconFile file = parsed.File ?? throw new InvalidOperationException($"File {fileId} was accepted but is now refused: {parsed.Refusal!.Rule}.");

        IReadOnlyList<ChannelJournalEntry> journal = await journals.EntriesAsync(channelId, day, ct);
        ConcurrentDictionary<string, bool> inLedger = new(StringComparer.Ordinal);
        await Parallel.ForEachAsync(journal, new ParallelOptions { MaxDegreeOfParallelism = LedgerReadsInParallel, CancellationToken = ct }, async (entry, token) =>
            inLedger[entry.EntryId] = await ledger.HasEntryAsync(entry.AccountNo, entry.EntryId, token));

        ReconResult result = ReconMatcher.Match(file.Lines, journal, id => inLedger[id], new ReconMatchOptions(TimeSpan.FromMinutes(options.Value.TimeToleranceMinutes)));
        IReadOnlyList<ReconItemRecord> items = WithIds(result);
        bool firstWrite = options.Value.TestPauseAfter == "items" && !await store.HasItemsAsync(channelId, day, fileId, ct);
        await store.WriteItemsAsync(channelId, day, fileId, items, ct);
        if (firstWrite)
        {
            // The crash tests' hook: only the first write pauses, so the run after a restart goes through.
            await Task.Delay(TimeSpan.FromSeconds(60), time, ct);
        }

        IReadOnlyDictionary<string, ReconDecisionRecord> decisions = await ApplyRecordedAsync(channelId, day, ct);
        int differences = items.Count(i => i.Class != ReconClass.Matched);
        int open = items.Count(i => i.Class != ReconClass.Matched && !(decisions.TryGetValue(i.ItemId, out ReconDecisionRecord? d) && d.Closes));
        await store.RecordMatchAsync(channelId, day, fileId, result.Totals, open, file.LineErrors.Count, time.GetUtcNow(), ct);

        int ledgerMissing = result[ReconClass.LedgerMissing].Count;
        if (ledgerMissing > 0)
        {
            string detail = $"{ledgerMissing} journal entries of {channelId} {ReconStore.Day(day)} are not in the ledger, e.g. {string.Join(", ", items.Where(i => i.Class == ReconClass.LedgerMissing).Take(3).Select(i => i.JournalEntryId))}";
            await alarms.RaiseAsync(channelId, new AlarmCondition(new AlarmKey(AlarmKind.ReconciliationLedgerMissing, ReconStore.Day(day)), receivedAt, AlarmSeverity.Critical, detail), ct);
            logger.ReconLedgerMissing(channelId, day, ledgerMissing);
        }

        logger.ReconMatched(channelId, day, fileId, items.Count, result[ReconClass.Matched].Count, differences, open);
        return new ReconRunState(fileId, items.Count, differences, open, ledgerMissing);
    }

    /// <summary>Applies the recorded decisions of the channel day and counts the differences of the last match still open.</summary>
    public async Task<ReconRunState> ApplyDecisionsAsync(ReconDayRef dayRef, CancellationToken ct)
    {
        (string channelId, DateOnly day) = (dayRef.ChannelId, dayRef.ChannelDate);
        ReconDayRecord record = await store.FindDayAsync(channelId, day, ct) ?? throw new InvalidOperationException($"No reconciliation of {channelId} {ReconStore.Day(day)}.");
        string fileId = record.RunFileId ?? throw new InvalidOperationException($"{channelId} {ReconStore.Day(day)} has not been matched.");
        IReadOnlyDictionary<string, ReconDecisionRecord> decisions = await ApplyRecordedAsync(channelId, day, ct);
        IReadOnlyList<ReconItemRecord> differences = await store.ItemsAsync(channelId, day, fileId, differencesOnly: true, ct);
        int open = differences.Count(i => !(decisions.TryGetValue(i.ItemId, out ReconDecisionRecord? d) && d.Closes));
        await store.RecordOpenAsync(channelId, day, open, ct);
        int total = record.Totals.Sum(t => t.Count);
        return new ReconRunState(fileId, total, differences.Count, open, record.Totals.FirstOrDefault(t => t.Class == ReconClass.LedgerMissing)?.Count ?? 0);
    }

    /// <summary>Marks the day reconciled (closed) when the file matched is still the newest, and closes its overdue alarm.</summary>
    public async Task CompleteAsync(ReconDayRef dayRef, string fileId, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        await store.MarkReconciledAsync(dayRef.ChannelId, dayRef.ChannelDate, fileId, now, ct);
        await alarms.CloseLiveAsync(dayRef.ChannelId, new AlarmKey(AlarmKind.ReconciliationOverdue, ReconStore.Day(dayRef.ChannelDate)), now, ct);
        logger.ReconReconciled(dayRef.ChannelId, dayRef.ChannelDate, fileId);
    }

    /// <summary>Raises the overdue alarm of a channel day whose differences are still open past the deadline.</summary>
    public async Task RaiseOverdueAsync(ReconDayRef dayRef, CancellationToken ct)
    {
        ReconDayRecord? record = await store.FindDayAsync(dayRef.ChannelId, dayRef.ChannelDate, ct);
        int open = record?.OpenCount ?? 0;
        await alarms.RaiseAsync(dayRef.ChannelId, new AlarmCondition(new AlarmKey(AlarmKind.ReconciliationOverdue, ReconStore.Day(dayRef.ChannelDate)), time.GetUtcNow(), null,
            $"{open} reconciliation differences of {dayRef.ChannelId} {ReconStore.Day(dayRef.ChannelDate)} still open after {options.Value.DecisionHours.ToString(CultureInfo.InvariantCulture)} h"), ct);
        logger.ReconOverdue(dayRef.ChannelId, dayRef.ChannelDate, open);
    }

    /// <summary>
    /// Records an operator's decision on a difference of the last match, once: the same decision again answers the stored
    /// one (a repeat); another decision on a decided difference is 409. The decision is applied by the waiting orchestration.
    /// </summary>
    public async Task<ReconDecisionOutcome> DecideAsync(string channelId, DateOnly day, string itemId, ReconAction action, string @operator, string? note, string? accountNo, CancellationToken ct)
    {
        ReconDayRecord? record = await store.FindDayAsync(channelId, day, ct);
        if (record?.RunFileId is not { } fileId)
        {
            return ReconDecisionOutcome.Refused(StatusCodes.Status404NotFound, "channelDate", "not-reconciled", $"{channelId} {ReconStore.Day(day)} has not been matched yet.");
        }

        if (await store.FindDifferenceAsync(channelId, day, fileId, itemId, ct) is not { } item)
        {
            return ReconDecisionOutcome.Refused(StatusCodes.Status404NotFound, "itemId", "difference-not-found", $"{channelId} {ReconStore.Day(day)} has no difference '{itemId}'.");
        }

        if (!ReconActions.Allowed(action, item))
        {
            return ReconDecisionOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "action", "action-not-allowed",
                $"'{ReconActions.Name(action)}' cannot decide a {item.Class} difference: post takes a bank-long payment, reverse a bank-short payment; write-off and explain any difference.");
        }

        string? account = action switch
        {
            ReconAction.Post => accountNo ?? item.BankAccountNo,
            ReconAction.Reverse => item.JournalAccountNo,
            _ => null,
        };
        ReconDecisionRecord? stored = await store.FindDecisionAsync(channelId, day, itemId, ct);
        if (stored is { Closes: true })
        {
            return Same(stored, action, @operator, note, account)
                ? new ReconDecisionOutcome(stored, true, StatusCodes.Status200OK, null, null, null)
                : ReconDecisionOutcome.Refused(StatusCodes.Status409Conflict, "action", "decision-differs", $"Difference '{itemId}' is already decided ({ReconActions.Name(stored.Action)} by {stored.Operator}).");
        }

        if (action == ReconAction.Post && await archive.FindAsync(account!, ct) is null)
        {
            return ReconDecisionOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "accountNo", "account-not-found",
                $"Account '{account}' is not in the archive; name the customer's account in 'accountNo' to post the bank's payment to it.");
        }

        string stem = string.Create(CultureInfo.InvariantCulture, $"{channelId}:{day:yyyyMMdd}:{itemId}");
        ReconDecisionRecord decision = new(
            itemId, action, @operator, note, item.Class, account,
            action == ReconAction.Post ? item.BankAmountFen : action == ReconAction.Reverse ? item.JournalAmountFen : null,
            action == ReconAction.Post ? item.BankPaidAt ?? ChinaTime.DayStart(day).AddHours(12) : null,
            action == ReconAction.Reverse ? item.JournalEntryId : null,
            item.BankRef, item.JournalChannelTxnId ?? item.BankChannelTxnId, time.GetUtcNow(), fileId, ReconDecisionRecord.Recorded,
            action switch { ReconAction.Post => "recon:" + stem, ReconAction.Reverse => "recon-rev:" + stem, _ => null },
            null, null);
        if (!await store.AddDecisionAsync(channelId, day, decision, ct))
        {
            stored = await store.FindDecisionAsync(channelId, day, itemId, ct);
            return stored is not null && Same(stored, action, @operator, note, account)
                ? new ReconDecisionOutcome(stored, true, StatusCodes.Status200OK, null, null, null)
                : ReconDecisionOutcome.Refused(StatusCodes.Status409Conflict, "action", "decision-differs", $"Difference '{itemId}' was decided concurrently.");
        }

        logger.ReconDecided(channelId, day, itemId, ReconActions.Name(action), @operator);
        return new ReconDecisionOutcome(decision, false, StatusCodes.Status202Accepted, null, null, null);
    }

    static bool Same(ReconDecisionRecord stored, ReconAction action, string @operator, string? note, string? account) =>
        stored.Action == action && stored.Operator == @operator && stored.Note == note && stored.AccountNo == account;

    async Task<IReadOnlyDictionary<string, ReconDecisionRecord>> ApplyRecordedAsync(string channelId, DateOnly day, CancellationToken ct)
    {
        Dictionary<string, ReconDecisionRecord> decisions = (await store.DecisionsAsync(channelId, day, ct)).ToDictionary(d => d.ItemId, StringComparer.Ordinal);
        foreach (ReconDecisionRecord recorded in decisions.Values.Where(d => d.Status == ReconDecisionRecord.Recorded).ToList())
        {
            ReconDecisionRecord applied = await ApplyAsync(channelId, day, recorded, ct);
            await store.UpdateDecisionAsync(channelId, day, applied, ct);
            decisions[applied.ItemId] = applied;
        }

        return decisions;
    }

    async Task<ReconDecisionRecord> ApplyAsync(string channelId, DateOnly day, ReconDecisionRecord decision, CancellationToken ct)
    {
        string text = $"Reconciliation {channelId} {ReconStore.Day(day)} {decision.ItemId}: {ReconActions.Name(decision.Action)} by {decision.Operator}";
        LedgerPostResult? posted = decision.Action switch
        {
            ReconAction.Post => await ledger.PayAsync(decision.AccountNo!, decision.LedgerEntryId!, new Money(decision.AmountFen!.Value), decision.PaidAt!.Value, text, ct),
            ReconAction.Reverse => await ledger.ReverseAsync(decision.AccountNo!, decision.ReverseEntryId!, decision.LedgerEntryId!, text, ct),
            _ => null,
        };
        if (posted is null)
        {
            return decision with { Status = ReconDecisionRecord.Applied };
        }

        if (posted.Outcome is PostingOutcome.Posted or PostingOutcome.Replayed)
        {
            logger.ReconDecisionApplied(channelId, day, decision.ItemId, ReconActions.Name(decision.Action), decision.LedgerEntryId!, posted.Entry!.Sequence);
            return decision with { Status = ReconDecisionRecord.Applied, LedgerSequence = posted.Entry.Sequence };
        }

        logger.ReconDecisionFailed(channelId, day, decision.ItemId, posted.Refusal?.Code ?? "refused");
        return decision with { Status = ReconDecisionRecord.Failed, Failure = posted.Refusal?.Message };
    }

    /// <summary>Gives each item its stable id (see <see cref="ReconItemRecord"/>).</summary>
    public static IReadOnlyList<ReconItemRecord> WithIds(ReconResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Dictionary<string, int> bankOnly = new(StringComparer.Ordinal);
        List<ReconItemRecord> records = new(result.Items.Count);
        foreach (ReconItem item in result.Items)
        {
            string id;
            if (item.Journal is { } ours)
            {
                id = $"j-{(ours.Type == ReconTxnType.Pay ? 'P' : 'R')}-{ours.ChannelTxnId}";
            }
            else
            {
                string bankRef = item.Bank!.BankRef;
                int n = bankOnly.GetValueOrDefault(bankRef);
                bankOnly[bankRef] = n + 1;
                id = string.Create(CultureInfo.InvariantCulture, $"b-{bankRef}-{n}");
            }

            records.Add(ReconItemRecord.From(id, item));
        }

        return records;
    }
}

/// <summary>The formats a reconciliation file is stored under: <c>csv</c> or <c>xml</c> (camt.053/camt.054).</summary>
public static class ReconFileFormats
{
    public const string Csv = "csv", Xml = "xml";

    /// <summary>From a Content-Type header; null when unsupported.</summary>
    public static string? FromContentType(string? contentType) => (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "text/csv" => Csv,
        "application/xml" or "text/xml" => Xml,
        _ => null,
    };

    /// <summary>From a blob name's extension; null when unsupported.</summary>
    public static string? FromName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".xml" => Xml,
        _ => null,
    };

    public static string ContentType(string format) => format == Csv ? "text/csv" : "application/xml";
}
