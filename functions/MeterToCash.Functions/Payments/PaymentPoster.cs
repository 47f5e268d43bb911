using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Ledger;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Payments;

/// <summary>What a posting answered: the stored answer (JSON) and whether it is a repeat, or a refusal as a problem (status and code).</summary>
public sealed record PaymentReply(string? Answer, bool Replayed, int Status, string? Code, string? Detail)
{
    public static PaymentReply Ok(string answer, bool replayed) => new(answer, replayed, 200, null, null);

    public static PaymentReply Refused(int status, string code, string detail) => new(null, false, status, code, detail);
}

/// <summary>
/// Posts channel payments and reversals: the transaction record (idempotency), the ledger entry and the channel's daily
/// journal line, never half-written.
/// </summary>
/// <remarks>
/// <para>
/// <b>Design: a write-ahead transaction record with a pending marker, finished by whoever comes next.</b> The three
/// records live in three partitions that no single entity-group transaction spans: the idempotency record must be keyed
/// by (channel, transaction id) whatever the account (a bank may reuse an id for another account), the ledger entry sits
/// in the account's partition (its own transaction serialises an account's writers), and the journal in the channel
/// date's partition (so a day's journal and its close are one partition read). So a payment is written in four steps,
/// each atomic and each idempotent:
/// </para>
/// <list type="number">
/// <item><b>Claim</b>: in the channel's partition of <c>ChannelTxns</c>, one transaction adds the record <c>t|{key}</c>
/// (payload fingerprint, status Pending) and a pending marker <c>p|{key}</c>. It fails when the key is known: the request
/// is then a repeat (same fingerprint: the stored answer, or this request finishes the pending one) or a different
/// payment (409).</item>
/// <item><b>Day check</b>: the channel date (bank) or the cashier's day (counter) must not be closing; if it is, the
/// claim is deleted again (conditional on its ETag) and the answer is 409 <c>day-closed</c>. A day close first marks the
/// day Closing and then waits for the day's pending markers to go, so a payment either checked before the mark and is
/// finished and counted, or sees the mark and withdraws.</item>
/// <item><b>Ledger</b>: <see cref="AccountLedger.PayAsync"/> with entry id <c>pay:{channel}:{key}</c>, an entity-group
/// transaction of the account's partition that stores the entry at most once (a repeat answers Replayed).</item>
/// <item><b>Journal</b>: an upsert of <c>{key}|P</c> in <c>{channel}|{date}</c>, whose content is a function of the
/// ledger entry, so any number of writers write the same row.</item>
/// <item><b>Complete</b>: one transaction sets the record Posted with the answer and deletes the marker.</item>
/// </list>
/// <para>
/// A crash (SIGKILL) between any two steps leaves the record Pending with its marker. Then whichever comes first finishes
/// the work from the record alone: the client's retry (same payload: after waiting <see cref="TakeOverAfter"/> for the
/// original request's answer, steps 3–5 again, each a no-op where done), a
/// reversal, a day close, or the sweep (<see cref="ResolveAsync"/>, for markers older than
/// <see cref="PaymentOptions.PendingStaleSeconds"/>): it completes a payment whose ledger entry exists and deletes the
/// record of one whose entry does not (nothing of it was written but the claim, and its client had no answer). So at rest
/// a payment is in the ledger exactly when it is in the journal and its record says Posted. The answer is a function of
/// the ledger entry and the entries before it, so every repeat, concurrent or not, answers the same bytes.
/// </para>
/// <para>
/// Why not one durable orchestration per payment: it is the same finish-what-was-started guarantee, but every payment
/// would pay the engine's queue round-trips (hundreds of ms on the Azure Storage provider) and several more writes,
/// against a budget of tens of ms. Why not the journal in the account's partition (one transaction): a day's journal and
/// its close would be a scan of every account. Reversals follow the same steps (marker with the request flag, ledger
/// <c>rev:{channel}:{key}</c>, journal <c>{key}|R</c>, complete).
/// </para>
/// </remarks>
public sealed class PaymentPoster(PaymentStore store, AccountLedger ledger, TimeProvider time, IOptions<PaymentOptions> options, ILogger<PaymentPoster> logger)
{
    /// <summary>The answer dialect: camelCase, enums by name, nulls left out, text unescaped; the stored answer is these bytes.</summary>
    public static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web)
    {
        // Chinese text and base64 secrets as they are (no \uXXXX), for people reading answers and curl users copying them.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Posts <paramref name="payment"/> from <paramref name="channel"/> (see the remarks for the steps).</summary>
    public async Task<PaymentReply> PayAsync(PaymentChannel channel, ChannelPayment payment, long? deviceSeq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(payment);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            if (await store.ClaimAsync(Record(channel, payment, deviceSeq), ct))
            {
                if (await ClosingRowAsync(channel, payment.ChannelDate, payment.CashierId, ct) is not null)
                {
                    TxnRecord? mine = await store.FindAsync(channel.Id, payment.Key, ct);
                    if (mine is { Status: PaymentStore.Pending } && await store.AbandonAsync(mine, ct))
                    {
                        return DayClosed(channel, payment);
                    }

                    // Someone else took the claim over meanwhile (a repeat or the closer): it is theirs to finish or undo.
                    continue;
                }

                await PauseAfterAsync("claim", replayed: false, ct);
                return await FinishPaymentAsync(channel, payment, deviceSeq, replayed: false, ct);
            }

            TxnRecord? record = await store.FindAsync(channel.Id, payment.Key, ct);
            if (record is null)
            {
                continue; // Withdrawn between the claim and the read: claim again.
            }

            if (!string.Equals(record.Fingerprint, payment.Fingerprint, StringComparison.Ordinal))
            {
                logger.DuplicateDiffers(channel.Id, payment.Key);
                return PaymentReply.Refused(409, PaymentProblems.DuplicateDiffers, $"Transaction {payment.Key} of {channel.Id} is already recorded with a different payload (account, amount, paid-at, channel date, cashier or tender).");
            }

            if (record.Answer is not null)
            {
                return PaymentReply.Ok(record.Answer, replayed: true);
            }

            // Pending: another request is posting it (usually it finishes within milliseconds: wait for its answer), or a
            // request that crashed left it (still pending after the wait: finish it here, after making a concurrent
            // withdrawal fail).
            record = await WaitForAnswerAsync(record, ct);
            if (record is null)
            {
                continue;
            }

            if (record.Answer is not null)
            {
                return PaymentReply.Ok(record.Answer, replayed: true);
            }

            if (await ClosingRowAsync(channel, payment.ChannelDate, payment.CashierId, ct) is not null)
            {
                return DayClosed(channel, payment);
            }

            if (await store.TouchAsync(record, ct) is null)
            {
                continue;
            }

            return await FinishPaymentAsync(channel, payment, deviceSeq, replayed: true, ct);
        }

        return PaymentReply.Refused(409, PaymentProblems.Contended, $"Transaction {payment.Key} changed state repeatedly while it was being posted; send it again.");
    }

    /// <summary>Reverses (冲正) a channel's transaction once: repeats answer the same; refused once its day (or its cashier's day) is closed.</summary>
    public async Task<PaymentReply> ReverseAsync(PaymentChannel channel, string key, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            TxnRecord? record = await store.FindAsync(channel.Id, key, ct);
            if (record is null)
            {
                return PaymentReply.Refused(404, PaymentProblems.TransactionNotFound, $"Channel {channel.Id} has no transaction {key}.");
            }

            if (record.ReversalAnswer is not null)
            {
                return PaymentReply.Ok(record.ReversalAnswer, replayed: true);
            }

            if (await ClosingRowAsync(channel, record.ChannelDate, record.CashierId, ct) is not null)
            {
                return PaymentReply.Refused(409, PaymentProblems.ReversalWindowClosed, $"{(channel.Kind == ChannelKind.Counter ? "The cashier's day" : "Channel date")} {PaymentStore.Day(record.ChannelDate)} is closed: transaction {key} can no longer be reversed.");
            }

            ChannelPayment payment = PaymentOf(record);
            if (record.Status == PaymentStore.Pending)
            {
                PaymentReply finished = await FinishPaymentAsync(channel, payment, DeviceSeqOf(record), replayed: true, ct);
                if (finished.Answer is null)
                {
                    return finished;
                }

                continue;
            }

            if (!record.ReversalRequested)
            {
                if (!await store.RequestReversalAsync(record, reason, record.ChannelDate, ct))
                {
                    continue;
                }

                if (await ClosingRowAsync(channel, record.ChannelDate, record.CashierId, ct) is not null)
                {
                    await store.WithdrawReversalAsync(channel.Id, key, ct);
                    return PaymentReply.Refused(409, PaymentProblems.ReversalWindowClosed, $"Channel date {PaymentStore.Day(record.ChannelDate)} closed while the reversal of {key} was requested.");
                }
            }

            return await FinishReversalAsync(channel, payment, reason, replayed: record.ReversalRequested, ct);
        }

        return PaymentReply.Refused(409, PaymentProblems.Contended, $"Transaction {key} changed state repeatedly while it was being reversed; send it again.");
    }

    /// <summary>
    /// Finishes (or undoes) what a pending transaction left: a requested reversal is completed; a pending payment whose
    /// ledger entry exists is completed; one whose entry does not exist is withdrawn (only its claim was written). Used by
    /// the sweep and day closes for markers older than the stale age.
    /// </summary>
    public async Task ResolveAsync(PaymentChannel channel, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        TxnRecord? record = await store.FindAsync(channel.Id, key, ct);
        if (record is null)
        {
            await store.WithdrawMarkerAsync(channel.Id, key, ct);
            return;
        }

        ChannelPayment payment = PaymentOf(record);
        if (record.Status == PaymentStore.Pending)
        {
            LedgerState state = await ledger.StateAsync(record.AccountNo, ct);
            if (!state.TryFind(payment.EntryId, out _))
            {
                if (await store.AbandonAsync(record, ct))
                {
                    logger.PendingWithdrawn(channel.Id, key);
                }

                return;
            }

            await FinishPaymentAsync(channel, payment, DeviceSeqOf(record), replayed: true, ct);
            logger.PendingCompleted(channel.Id, key);
            record = await store.FindAsync(channel.Id, key, ct) ?? record;
        }

        if (record.ReversalRequested && record.ReversalAnswer is null)
        {
            await FinishReversalAsync(channel, payment, "reversal finished by the sweep", replayed: true, ct);
            logger.PendingCompleted(channel.Id, key);
        }
        else if (record.Status != PaymentStore.Pending)
        {
            await store.WithdrawMarkerAsync(channel.Id, key, ct);
        }
    }

    /// <summary>Resolves the channel's pending markers (of one date and cashier when given) older than the stale age (all of them when <paramref name="all"/>); answers how many it resolved and how many younger ones it left.</summary>
    public async Task<(int Resolved, int Younger)> ResolveStaleAsync(PaymentChannel channel, DateOnly? day, string? cashierId, bool all, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        DateTimeOffset staleBefore = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.PendingStaleSeconds);
        int younger = 0, resolved = 0;
        foreach ((string key, DateOnly date, string? cashier, DateTimeOffset since) in await store.PendingAsync(channel.Id, ct))
        {
            if ((day is not null && date != day) || (cashierId is not null && !string.Equals(cashier, cashierId, StringComparison.Ordinal)))
            {
                continue;
            }

            if (all || since < staleBefore)
            {
                await ResolveAsync(channel, key, ct);
                resolved++;
            }
            else
            {
                younger++;
            }
        }

        return (resolved, younger);
    }

    async Task<PaymentReply> FinishPaymentAsync(PaymentChannel channel, ChannelPayment payment, long? deviceSeq, bool replayed, CancellationToken ct)
    {
        string text = payment.CashierId is null
            ? $"Payment via {channel.Id} ({payment.Key})"
            : $"Payment via {channel.Id} ({payment.Key}, cashier {payment.CashierId})";
        LedgerPostResult posted = await ledger.PayAsync(payment.AccountNo, payment.EntryId, payment.Amount, payment.PaidAt, text, ct);
        if (posted.Outcome is not (PostingOutcome.Posted or PostingOutcome.Replayed))
        {
            // Nothing was written to the ledger: withdraw the claim so the transaction can be sent again.
            TxnRecord? record = await store.FindAsync(channel.Id, payment.Key, ct);
            if (record is not null && record.Status == PaymentStore.Pending)
            {
                await store.AbandonAsync(record, ct);
            }

            return posted.Refusal!.Code switch
            {
                LedgerPostResult.Contended => PaymentReply.Refused(409, PaymentProblems.Contended, posted.Refusal.Message),
                LedgerRefusal.DuplicateDiffers => PaymentReply.Refused(409, PaymentProblems.DuplicateDiffers, $"Transaction {payment.Key} of {channel.Id} is already in the account's ledger with a different payload."),
                LedgerRefusal.AmountInvalid => PaymentReply.Refused(422, PaymentProblems.AmountInvalid, posted.Refusal.Message),
                _ => PaymentReply.Refused(422, PaymentProblems.NotPosted, posted.Refusal.Message),
            };
        }

        LedgerEntry entry = posted.Entry!;
        await PauseAfterAsync("ledger", replayed, ct);
        Money creditAfter = posted.Outcome == PostingOutcome.Posted ? posted.State.Credit : await CreditAfterAsync(payment.AccountNo, entry, ct);
        PaymentAnswer answer = new(
            payment.PaymentId,
            channel.Id,
            channel.Kind == ChannelKind.Kiosk ? null : payment.Key,
            deviceSeq,
            payment.AccountNo,
            payment.Amount.Fen,
            [.. entry.Allocations.Select(a => new AllocationAnswer(a.BillId, a.Total.Fen, a.LateFee.Fen))],
            entry.CreditChange.Fen,
            creditAfter.Fen,
            payment.ReceiptNo,
            PaymentStore.Posted,
            entry.PostedAt.ToOffset(ChinaTime.Offset),
            PaymentStore.Day(payment.ChannelDate),
            entry.Sequence,
            payment.CashierId,
            payment.Tender?.ToString(),
            channel.Location,
            channel.Operator);
        await store.WriteJournalAsync(JournalRow(channel, payment, "P", payment.Amount.Fen, entry), ct);
        await PauseAfterAsync("journal", replayed, ct);
        string json = JsonSerializer.Serialize(answer, AnswerJson);
        await store.CompletePaymentAsync(channel.Id, payment.Key, json, ct);
        if (posted.Outcome == PostingOutcome.Posted)
        {
            logger.PaymentPosted(channel.Id, payment.Key, payment.AccountNo, payment.Amount.Fen, entry.Sequence);
        }

        return PaymentReply.Ok(json, replayed);
    }

    async Task<PaymentReply> FinishReversalAsync(PaymentChannel channel, ChannelPayment payment, string reason, bool replayed, CancellationToken ct)
    {
        LedgerPostResult reversed = await ledger.ReverseAsync(payment.AccountNo, payment.EntryId, payment.ReversalEntryId, $"Reversal via {channel.Id} ({payment.Key}): {reason}", ct);
        if (reversed.Outcome is not (PostingOutcome.Posted or PostingOutcome.Replayed))
        {
            await store.WithdrawReversalAsync(channel.Id, payment.Key, ct);
            return reversed.Refusal!.Code == LedgerPostResult.Contended
                ? PaymentReply.Refused(409, PaymentProblems.Contended, reversed.Refusal.Message)
                : PaymentReply.Refused(422, PaymentProblems.NotPosted, reversed.Refusal.Message);
        }

        LedgerEntry entry = reversed.Entry!;
        ReversalAnswer answer = new(payment.Key, PaymentStore.Reversed, entry.PostedAt.ToOffset(ChinaTime.Offset), payment.PaymentId, payment.AccountNo, payment.Amount.Fen);
        await store.WriteJournalAsync(JournalRow(channel, payment, "R", payment.Amount.Fen, entry), ct);
        string json = JsonSerializer.Serialize(answer, AnswerJson);
        await store.CompleteReversalAsync(channel.Id, payment.Key, json, ct);
        if (reversed.Outcome == PostingOutcome.Posted)
        {
            logger.PaymentReversed(channel.Id, payment.Key, payment.AccountNo, payment.Amount.Fen);
        }

        return PaymentReply.Ok(json, replayed);
    }

    /// <summary>How long a repeat waits for a pending transaction's own request to answer before it finishes the work itself.</summary>
    public static readonly TimeSpan TakeOverAfter = TimeSpan.FromSeconds(5);

    // Polls with a growing pause (10 ms doubling to 200 ms), so a storm of repeats does not flood the table while the
    // original request finishes. Null when the record was withdrawn meanwhile.
    async Task<TxnRecord?> WaitForAnswerAsync(TxnRecord record, CancellationToken ct)
    {
        DateTimeOffset giveUp = time.GetUtcNow() + TakeOverAfter;
        int pauseMs = 10;
        TxnRecord? current = record;
        while (current is { Answer: null } && time.GetUtcNow() < giveUp)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(pauseMs + Random.Shared.Next(pauseMs)), time, ct);
            pauseMs = Math.Min(pauseMs * 2, 200);
            current = await store.FindAsync(record.ChannelId, record.Key, ct);
        }

        return current;
    }

    // The crash tests' hook (PaymentOptions.TestPauseAfter): only a first send pauses, so the client's retry runs through.
    Task PauseAfterAsync(string step, bool replayed, CancellationToken ct) =>
        !replayed && string.Equals(options.Value.TestPauseAfter, step, StringComparison.Ordinal) ? Task.Delay(TimeSpan.FromSeconds(60), time, ct) : Task.CompletedTask;

    /// <summary>The account's credit right after <paramref name="entry"/>: the fold of the entries up to it.</summary>
    async Task<Money> CreditAfterAsync(string accountNo, LedgerEntry entry, CancellationToken ct) =>
        LedgerState.Replay((await ledger.EntriesAsync(accountNo, ct)).TakeWhile(e => e.Sequence <= entry.Sequence)).Credit;

    Task<DayRecord?> ClosingRowAsync(PaymentChannel channel, DateOnly day, string? cashierId, CancellationToken ct) => channel.Kind switch
    {
        ChannelKind.Bank => store.FindDayAsync(channel.Id, PaymentStore.DayRow(day), ct),
        ChannelKind.Counter when cashierId is not null => store.FindDayAsync(channel.Id, PaymentStore.CloseOutRow(day, cashierId), ct),
        _ => Task.FromResult<DayRecord?>(null),
    };

    static PaymentReply DayClosed(PaymentChannel channel, ChannelPayment payment) =>
        PaymentReply.Refused(409, PaymentProblems.DayClosed, channel.Kind == ChannelKind.Counter
            ? $"Cashier {payment.CashierId} closed out {PaymentStore.Day(payment.ChannelDate)}."
            : $"Channel date {PaymentStore.Day(payment.ChannelDate)} of {channel.Id} is closed.");

    static TableEntity Record(PaymentChannel channel, ChannelPayment payment, long? deviceSeq)
    {
        TableEntity row = new(channel.Id, PaymentStore.TxnRow(payment.Key))
        {
            ["Fingerprint"] = payment.Fingerprint,
            ["AccountNo"] = payment.AccountNo,
            ["AmountFen"] = payment.Amount.Fen,
            ["PaidAt"] = payment.PaidAt.ToString("O", CultureInfo.InvariantCulture),
            ["ChannelDate"] = PaymentStore.Day(payment.ChannelDate),
            ["Status"] = PaymentStore.Pending,
        };
        if (payment.CashierId is not null)
        {
            row["CashierId"] = payment.CashierId;
        }

        if (payment.Tender is not null)
        {
            row["Tender"] = payment.Tender.ToString();
        }

        if (deviceSeq is not null)
        {
            row["DeviceSeq"] = deviceSeq.Value;
        }

        return row;
    }

    static ChannelPayment PaymentOf(TxnRecord record) =>
        new(record.ChannelId, record.Key, record.AccountNo, new Money(record.AmountFen), record.PaidAt, record.ChannelDate, record.CashierId, record.Tender is null ? null : Enum.Parse<Tender>(record.Tender));

    static long? DeviceSeqOf(TxnRecord record) => record.DeviceSeq;

    static TableEntity JournalRow(PaymentChannel channel, ChannelPayment payment, string type, long amountFen, LedgerEntry entry)
    {
        TableEntity row = new(PaymentStore.JournalPartition(channel.Id, payment.ChannelDate), $"{payment.Key}|{type}")
        {
            ["Type"] = type == "P" ? "Payment" : "Reversal",
            ["Key"] = payment.Key,
            ["PaymentId"] = payment.PaymentId,
            ["AccountNo"] = payment.AccountNo,
            ["AmountFen"] = amountFen,
            ["PaidAt"] = payment.PaidAt.ToString("O", CultureInfo.InvariantCulture),
            ["PostedAt"] = entry.PostedAt.ToString("O", CultureInfo.InvariantCulture),
            ["LedgerSequence"] = entry.Sequence,
            ["EntryId"] = entry.EntryId,
        };
        if (payment.CashierId is not null)
        {
            row["CashierId"] = payment.CashierId;
        }

        if (payment.Tender is not null)
        {
            row["Tender"] = payment.Tender.ToString();
        }

        if (channel.Location is not null)
        {
            row["Location"] = channel.Location;
            row["Operator"] = channel.Operator;
        }

        return row;
    }
}
