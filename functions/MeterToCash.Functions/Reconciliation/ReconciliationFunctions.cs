using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Infrastructure;
using MeterToCash.Functions.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using nietras.SeparatedValues;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>
/// The reconciliation API (function key): file upload, a channel day's report (JSON or CSV), operators' decisions on
/// differences, a rerun, and the summary across channels.
/// </summary>
public sealed class ReconciliationFunctions(ReconFileIntake intake, Reconciler reconciler, ReconStore store, ChannelJournals journals)
{
    /// <summary>Longest summary range, in days (both ends inclusive).</summary>
    public const int MaxSummaryDays = 366;

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Takes a bank's file: <c>text/csv</c> (the contract's CSV; <c>channelId</c>/<c>channelDate</c> optional, checked
    /// against its header) or <c>application/xml</c> (camt.053/camt.054; <c>?channelId=&amp;channelDate=</c> required).
    /// 202 when its reconciliation started, 201 when it waits for the day close, 200 for a file already taken (same id).
    /// </summary>
    [Function(nameof(UploadReconciliationFile))]
    public async Task<IActionResult> UploadReconciliationFile(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reconciliation/files")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (ReconFileFormats.FromContentType(request.ContentType) is not { } format)
        {
            return Problems.Validation("Content-Type", "recon-file-type", "Send the file as text/csv (the reconciliation CSV) or application/xml (ISO 20022 camt.053 or camt.054).", StatusCodes.Status415UnsupportedMediaType);
        }

        List<ValidationError> errors = [];
        string? channelId = request.Query["channelId"].FirstOrDefault();
        string? dayText = request.Query["channelDate"].FirstOrDefault();
        if (channelId is null ? format == ReconFileFormats.Xml : !ReconRules.IsChannelId(channelId))
        {
            errors.Add(new("channelId", channelId is null ? "required" : "code-format", "'channelId' is a channel id, [A-Z0-9-]{3,32}; required for camt XML, which names a bank account, not our channel."));
        }

        DateOnly? channelDate = null;
        if (dayText is not null || format == ReconFileFormats.Xml)
        {
            if (QueryRules.TryParseDay(dayText, out DateOnly parsed))
            {
                channelDate = parsed;
            }
            else
            {
                errors.Add(new("channelDate", dayText is null ? "required" : "date-format", "'channelDate' is yyyy-MM-dd; required for camt XML."));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        int max = intake.MaxBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(max);
        }

        byte[] bytes;
        try
        {
            using MemoryStream buffer = new();
            await RequestJson.CopyBoundedAsync(request.Body, buffer, max, ct);
            bytes = buffer.ToArray();
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(max);
        }

        ReconIntakeResult result = await intake.TakeAsync(client, bytes, format, channelId, channelDate, "upload", ct);
        if (result.Refusal is { } refusal)
        {
            return Problems.Validation("body", refusal.Rule, refusal.Message, refusal.Status);
        }

        ReconFileAccepted accepted = result.Accepted!;
        request.HttpContext.Response.Headers.Location = accepted.Report;
        int status = accepted.Known ? StatusCodes.Status200OK : accepted.Status == ReconDayStatus.AwaitingDayClose ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
        return new ObjectResult(accepted) { StatusCode = status };
    }

    /// <summary>A channel day's reconciliation: counts and amounts per class, the differences with their decisions. CSV with <c>?format=csv</c> or <c>Accept: text/csv</c>.</summary>
    [Function(nameof(GetReconciliation))]
    public async Task<IActionResult> GetReconciliation(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reconciliation/{channelId}/{channelDate}")] HttpRequest request,
        string channelId,
        string channelDate)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (DayOf(channelId, channelDate) is not { } day)
        {
            return BadDay(channelId);
        }

        string? format = request.Query["format"].FirstOrDefault();
        if (format is not null and not "json" and not "csv")
        {
            return Problems.Validation("format", "report-format", "'format' is json or csv.");
        }

        if (await store.FindDayAsync(channelId, day, ct) is not { } record)
        {
            return Problems.NotFound($"No reconciliation file has arrived for {channelId} {ReconStore.Day(day)}.");
        }

        IReadOnlyList<ReconItemRecord> differences = record.RunFileId is { } run ? await store.ItemsAsync(channelId, day, run, differencesOnly: true, ct) : [];
        Dictionary<string, ReconDecisionRecord> decisions = (await store.DecisionsAsync(channelId, day, ct)).ToDictionary(d => d.ItemId, StringComparer.Ordinal);
        bool csv = format == "csv" || (format is null && request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true));
        return csv ? Csv(record, differences, decisions) : new OkObjectResult(Report(record, differences, decisions));
    }

    /// <summary>
    /// An operator's decision on a difference: <c>{"action":"post|reverse|write-off|explain","operator":"…","note":"…","accountNo":"…"}</c>.
    /// 202 when recorded (the waiting reconciliation applies it: a ledger entry where it moves money), 200 for the same decision again.
    /// </summary>
    [Function(nameof(DecideReconciliationDifference))]
    public async Task<IActionResult> DecideReconciliationDifference(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reconciliation/{channelId}/{channelDate}/differences/{itemId}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string channelId,
        string channelDate,
        string itemId)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (DayOf(channelId, channelDate) is not { } day)
        {
            return BadDay(channelId);
        }

        (ReconDecisionRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<ReconDecisionRequest>(request, RequestOptions, 8 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        List<ValidationError> errors = [];
        if (!ReconActions.TryParse(body!.Action, out ReconAction action))
        {
            errors.Add(new("action", body.Action is null ? "required" : "decision-action", "'action' is post, reverse, write-off or explain."));
        }

        TextRules.Check(errors, "operator", body.Operator, 64, required: true);
        TextRules.Check(errors, "note", body.Note, 500, required: false);
        if (body.AccountNo is not null && (action != ReconAction.Post || !ReconRules.IsAccountNo(body.AccountNo)))
        {
            errors.Add(new("accountNo", "account-format", "'accountNo' (1–20 of [A-Za-z0-9_-]) names the account a 'post' decision posts to; other actions take none."));
        }

        if (itemId.Length > 80 || !itemId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(new("itemId", "item-id-format", "'itemId' is an id from the report's differences."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        ReconDecisionOutcome outcome = await reconciler.DecideAsync(channelId, day, itemId, action, body.Operator!, string.IsNullOrEmpty(body.Note) ? null : body.Note, body.AccountNo, ct);
        if (outcome.Decision is not { } decision)
        {
            return Problems.Validation(outcome.Field!, outcome.Rule!, outcome.Message!, outcome.Status);
        }

        await WakeAsync(client, new ReconDayRef(channelId, day), ct);
        request.HttpContext.Response.Headers.Location = $"/api/reconciliation/{channelId}/{ReconStore.Day(day)}";
        return new ObjectResult(DecisionDto.From(decision)) { StatusCode = outcome.Status };
    }

    /// <summary>Runs a closed channel day's reconciliation again (the same file gives the same result; decisions are kept). 202.</summary>
    [Function(nameof(RerunReconciliation))]
    public async Task<IActionResult> RerunReconciliation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reconciliation/{channelId}/{channelDate}/rerun")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string channelId,
        string channelDate)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        if (DayOf(channelId, channelDate) is not { } day)
        {
            return BadDay(channelId);
        }

        if (await store.FindDayAsync(channelId, day, ct) is null)
        {
            return Problems.NotFound($"No reconciliation file has arrived for {channelId} {ReconStore.Day(day)}.");
        }

        if (!await journals.IsDayClosedAsync(channelId, day, ct))
        {
            return Problems.Validation("channelDate", "day-not-closed", $"Channel date {ReconStore.Day(day)} of {channelId} is not closed; it is reconciled once it is.", StatusCodes.Status409Conflict);
        }

        bool started = await intake.StartOrWakeAsync(client, new ReconDayRef(channelId, day), ct);
        return new AcceptedResult($"/api/reconciliation/{channelId}/{ReconStore.Day(day)}", new { channelId, channelDate = ReconStore.Day(day), started, instanceId = ReconNames.InstanceId(channelId, day) });
    }

    /// <summary>Every channel's reconciliation from <c>from</c> to <c>to</c> (yyyy-MM-dd, inclusive, at most 366 days): matched amounts, bank-long and bank-short totals, what is open.</summary>
    [Function(nameof(GetReconciliationSummary))]
    public async Task<IActionResult> GetReconciliationSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reconciliation/summary")] HttpRequest request)
    {
        List<ValidationError> errors = [];
        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, MaxSummaryDays, errors);
        string? channel = request.Query["channelId"].FirstOrDefault();
        if (channel is not null && !ReconRules.IsChannelId(channel))
        {
            errors.Add(new("channelId", "code-format", "'channelId' is [A-Z0-9-]{3,32}."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        IReadOnlyList<ReconDayRecord> days = [.. (await store.DaysAsync(from, to, request.HttpContext.RequestAborted)).Where(d => channel is null || d.ChannelId == channel)];
        List<ReconSummaryRow> rows = [.. days.Select(d => new ReconSummaryRow(
            d.ChannelId, d.ChannelDate, d.Status,
            Count(d, ReconClass.Matched), d.ClassBankFen(ReconClass.Matched),
            Count(d, ReconClass.BankLong), d.ClassBankFen(ReconClass.BankLong),
            Count(d, ReconClass.BankShort), d.ClassJournalFen(ReconClass.BankShort),
            d.Totals.Where(t => t.Class != ReconClass.Matched).Sum(t => t.Count), d.OpenCount))];
        return new OkObjectResult(new ReconSummary(from, to, rows.Sum(r => r.MatchedFen), rows.Sum(r => r.BankLongFen), rows.Sum(r => r.BankShortFen), rows.Sum(r => r.Open),
            rows.Count(r => r.Status == ReconDayStatus.Reconciled), rows.Count(r => r.Status != ReconDayStatus.Reconciled), rows));
    }

    static int Count(ReconDayRecord day, ReconClass c) => day.Totals.FirstOrDefault(t => t.Class == c)?.Count ?? 0;

    async Task WakeAsync(DurableTaskClient client, ReconDayRef day, CancellationToken ct)
    {
        string id = ReconNames.InstanceId(day.ChannelId, day.ChannelDate);
        if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, ct) is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended })
        {
            await client.RaiseEventAsync(id, ReconciliationWorkflow.SignalEvent, new ReconSignal(ReconSignal.Decision, null), ct);
        }
        else
        {
            // No run waits (it failed, or ended before this decision was recorded): a new run applies every recorded decision.
            await intake.StartOrWakeAsync(client, day, ct);
        }
    }

    static DateOnly? DayOf(string channelId, string channelDate) =>
        ReconRules.IsChannelId(channelId) && QueryRules.TryParseDay(channelDate, out DateOnly day) ? day : null;

    static ObjectResult BadDay(string channelId) => ReconRules.IsChannelId(channelId)
        ? Problems.Validation("channelDate", "date-format", "'channelDate' is yyyy-MM-dd.")
        : Problems.Validation("channelId", "code-format", "'channelId' is [A-Z0-9-]{3,32}.");

    static ObjectResult TooLarge(int max) =>
        Problems.Validation("body", ReconRules.FileTooLarge, $"A reconciliation file may be at most {max.ToString("N0", CultureInfo.InvariantCulture)} bytes (inclusive).", StatusCodes.Status413PayloadTooLarge);

    static object Report(ReconDayRecord day, IReadOnlyList<ReconItemRecord> differences, IReadOnlyDictionary<string, ReconDecisionRecord> decisions) => new
    {
        channelId = day.ChannelId,
        channelDate = ReconStore.Day(day.ChannelDate),
        status = day.Status,
        fileId = day.FileId,
        fileVersion = day.Version,
        format = day.Format,
        matchedFileId = day.RunFileId,
        pending = day.Pending,
        lineErrorCount = day.LineErrorCount,
        matchedAt = day.MatchedAt,
        reconciledAt = day.ReconciledAt,
        totals = day.Totals.Select(t => new { @class = t.Class.ToString(), t.Count, t.BankFen, t.JournalFen }),
        differenceCount = differences.Count,
        openCount = differences.Count(d => !IsDecided(d, decisions)),
        differences = differences.Select(d => new
        {
            d.ItemId,
            @class = d.Class.ToString(),
            open = !IsDecided(d, decisions),
            bank = d.BankRef is null ? null : new { d.BankRef, channelTxnId = d.BankChannelTxnId, accountNo = d.BankAccountNo, amountFen = d.BankAmountFen, type = d.BankType?.ToString(), paidAt = d.BankPaidAt, location = d.Location },
            journal = d.JournalEntryId is null ? null : new { entryId = d.JournalEntryId, channelTxnId = d.JournalChannelTxnId, accountNo = d.JournalAccountNo, amountFen = d.JournalAmountFen, type = d.JournalType?.ToString(), paidAt = d.JournalPaidAt },
            decision = decisions.TryGetValue(d.ItemId, out ReconDecisionRecord? decision) ? DecisionDto.From(decision) : null,
        }),
        decisions = decisions.Values.OrderBy(d => d.DecidedAt).Select(DecisionDto.From),
    };

    static bool IsDecided(ReconItemRecord item, IReadOnlyDictionary<string, ReconDecisionRecord> decisions) =>
        decisions.TryGetValue(item.ItemId, out ReconDecisionRecord? d) && d.Closes;

    /// <summary>The report as CSV: a <c>total</c> row per class, then a <c>difference</c> row per difference with its decision.</summary>
    static ContentResult Csv(ReconDayRecord day, IReadOnlyList<ReconItemRecord> differences, IReadOnlyDictionary<string, ReconDecisionRecord> decisions)
    {
        StringBuilder text = new();
        using (SepWriter writer = Sep.New(',').Writer().To(text))
        {
            foreach (ReconClassTotal total in day.Totals)
            {
                using SepWriter.Row row = writer.NewRow();
                Fill(row, "total", total.Class.ToString(), null, total.Count, total.BankFen, total.JournalFen, null, null);
            }

            foreach (ReconItemRecord item in differences)
            {
                using SepWriter.Row row = writer.NewRow();
                Fill(row, "difference", item.Class.ToString(), item, 1, item.BankFen, item.JournalFen, decisions.GetValueOrDefault(item.ItemId), IsDecided(item, decisions) ? "false" : "true");
            }
        }

        return new ContentResult { Content = text.ToString(), ContentType = "text/csv; charset=utf-8", StatusCode = StatusCodes.Status200OK };

        void Fill(SepWriter.Row row, string record, string @class, ReconItemRecord? item, int count, long bankFen, long journalFen, ReconDecisionRecord? decision, string? open)
        {
            row["record"].Set(record);
            row["channelId"].Set(day.ChannelId);
            row["channelDate"].Set(ReconStore.Day(day.ChannelDate));
            row["class"].Set(@class);
            row["itemId"].Set(item?.ItemId ?? string.Empty);
            row["count"].Format(count);
            row["bankFen"].Format(bankFen);
            row["journalFen"].Format(journalFen);
            row["bankRef"].Set(item?.BankRef ?? string.Empty);
            row["channelTxnId"].Set(item?.JournalChannelTxnId ?? item?.BankChannelTxnId ?? string.Empty);
            row["bankAccountNo"].Set(item?.BankAccountNo ?? string.Empty);
            row["journalAccountNo"].Set(item?.JournalAccountNo ?? string.Empty);
            row["open"].Set(open ?? string.Empty);
            row["action"].Set(decision is null ? string.Empty : ReconActions.Name(decision.Action));
            row["operator"].Set(decision?.Operator ?? string.Empty);
            row["decisionStatus"].Set(decision?.Status ?? string.Empty);
            row["ledgerEntryId"].Set(decision?.LedgerEntryId ?? string.Empty);
        }
    }
}

/// <summary>A decision as the API reports it.</summary>
public sealed record DecisionDto(string ItemId, string Action, string Operator, string? Note, string Class, string? AccountNo, long? AmountFen, string Status, string? LedgerEntryId, long? LedgerSequence, string? Failure, DateTimeOffset DecidedAt, string FileId)
{
    public static DecisionDto From(ReconDecisionRecord d) => new(d.ItemId, ReconActions.Name(d.Action), d.Operator, d.Note, d.Class.ToString(), d.AccountNo, d.AmountFen, d.Status, d.LedgerEntryId, d.LedgerSequence, d.Failure, d.DecidedAt, d.FileId);
}
