using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.MeterData;

/// <summary>What to recompute: China-local days [<paramref name="From"/>, <paramref name="To"/>], both inclusive, of some areas (null = all).</summary>
/// <param name="From">First day, inclusive.</param>
/// <param name="To">Last day, inclusive.</param>
/// <param name="Areas">Transformer areas, or null for every area of the network archive.</param>
/// <param name="Reason">Why, for the operator: e.g. <c>tariff SH-COM-TOU v2</c>, <c>calendar 2026 revision 1</c>, <c>manual</c>.</param>
/// <param name="WaitSeconds">Seconds to wait before reading anything, so that every instance's tariff and calendar caches have expired and all writers band with the new data.</param>
/// <param name="OnlyIfProvisionalYear">When set, nothing is recomputed unless some entry of this year was banded provisionally (a calendar's first publish can change nothing else); checked after the wait, when no writer can still band without the calendar.</param>
public sealed record DayTotalsRecomputeInput(DateOnly From, DateOnly To, IReadOnlyList<string>? Areas, string Reason, int WaitSeconds, int? OnlyIfProvisionalYear = null);

/// <summary>One activity's share: one area's days of one month, both ends inclusive.</summary>
public sealed record AreaDaysWork(string Area, DateOnly From, DateOnly To);

/// <summary>What a recomputation did.</summary>
/// <param name="AreaDays">Area-days read (months without any totals are skipped whole).</param>
/// <param name="Curves">Stored curves re-banded.</param>
/// <param name="EntriesChanged">Month-to-date day entries that changed (a rerun changes none).</param>
public sealed record DayTotalsRecomputeSummary(int AreaDays, int Curves, int EntriesChanged)
{
    public static readonly DayTotalsRecomputeSummary Zero = new(0, 0, 0);

    public static DayTotalsRecomputeSummary operator +(DayTotalsRecomputeSummary a, DayTotalsRecomputeSummary b) =>
        new(a.AreaDays + b.AreaDays, a.Curves + b.Curves, a.EntriesChanged + b.EntriesChanged);
}

/// <summary>Request body of <c>POST /api/meter-data/recomputations</c>.</summary>
public sealed record DayTotalsRecomputeRequest(string? From, string? To, IReadOnlyList<string>? Areas);

/// <summary>A recomputation as the API reports it.</summary>
public sealed record DayTotalsRecomputeStatusDto(string Id, string Status, string From, string To, IReadOnlyList<string>? Areas, string Reason, DayTotalsRecomputeSummary? Summary, string? Failure);

/// <summary>
/// Recomputes month-to-date band totals from the stored curves after a tariff version or a holiday calendar changed for
/// past days (or by hand). The curves do not change; each meter-day entry is re-derived with the banding now in force
/// (<see cref="TouBandings"/>) and replaced where it differs (<see cref="DayTotalsWrite.Recompute"/>), so a rerun changes
/// nothing and the totals equal those of a fresh ingestion. Area-months fan out over sub-orchestrations of
/// <see cref="AreaMonthsPerBatch"/>, one activity per area-month.
/// </summary>
public sealed class DayTotalsRecomputeWorkflow(
    CurveStore curves,
    MonthToDateStore monthToDate,
    ArchiveStore archive,
    TimeProvider time,
    ILogger<DayTotalsRecomputeWorkflow> logger)
{
    /// <summary>Longest range one recomputation covers: the curve retention's default (three years).</summary>
    public const int MaxDays = 1_100;

    /// <summary>Area-months per sub-orchestration.</summary>
    public const int AreaMonthsPerBatch = 24;

    const string InstancePrefix = "recompute-";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Schedules a recomputation under an id derived from <paramref name="trigger"/>, so the same change announced twice
    /// recomputes once; answers the instance id.
    /// </summary>
    public static async Task<string> StartForChangeAsync(DurableTaskClient client, DayTotalsRecomputeInput input, string trigger, CancellationToken cancellationToken)
    {
        string id = InstancePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(trigger)))[..24];
        await DurableStart.OnceAsync(client, nameof(RecomputeDayTotals), id, input, cancellationToken);
        return id;
    }

    /// <summary>Starts a recomputation: <c>{"from":"yyyy-MM-dd","to":"yyyy-MM-dd","areas":["TA0001"]}</c> (areas optional). 202 with its URL.</summary>
    [Function(nameof(StartDayTotalsRecompute))]
    public async Task<IActionResult> StartDayTotalsRecompute(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "meter-data/recomputations")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (DayTotalsRecomputeRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<DayTotalsRecomputeRequest>(request, RequestOptions, 64 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        DateTimeOffset now = time.GetUtcNow();
        DateOnly today = ChinaTime.LocalDay(now);
        List<ValidationError> errors = [];
        DateOnly from = Day(body!.From, "from", errors), to = Day(body.To, "to", errors);
        if (errors.Count == 0 && to < from)
        {
            errors.Add(new("to", "range-order", "'to' must not be before 'from'."));
        }
        else if (errors.Count == 0 && to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            errors.Add(new("to", "range-too-long", string.Create(CultureInfo.InvariantCulture, $"At most {MaxDays} days per recomputation (from and to inclusive).")));
        }
        else if (errors.Count == 0 && to > today)
        {
            errors.Add(new("to", "not-future", "'to' must not be after today (China local): future days have no data."));
        }

        string[]? areas = QueryRules.AreaCodes(body.Areas, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        if (await archive.FirstUnknownAreaAsync(areas, ct) is { } unknown)
        {
            return Problems.UnknownArea(unknown);
        }

        DayTotalsRecomputeInput input = new(from, to, areas, "manual", 0);
        string id = DurableStart.ManualId(InstancePrefix, now, from, to);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(RecomputeDayTotals), input, new StartOrchestrationOptions(id), ct);
        logger.RecomputeStarted(id, from, to, input.Reason);
        return new AcceptedResult($"/api/meter-data/recomputations/{id}", Status(id, "Pending", input, null, null));
    }

    [Function(nameof(GetDayTotalsRecompute))]
    public async Task<IActionResult> GetDayTotalsRecompute(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meter-data/recomputations/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<DayTotalsRecomputeInput, DayTotalsRecomputeSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(Status(run.Id, run.Status, run.Input, run.Output, run.Failure))
            : Problems.NotFound($"There is no recomputation '{id}'.");

    [Function(nameof(RecomputeDayTotals))]
    public static async Task<DayTotalsRecomputeSummary> RecomputeDayTotals([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        DayTotalsRecomputeInput input = context.GetInput<DayTotalsRecomputeInput>() ?? throw new InvalidOperationException("A recomputation needs its input.");
        if (input.WaitSeconds > 0)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.WaitSeconds), CancellationToken.None);
        }

        IReadOnlyList<AreaDaysWork[]> batches = await context.CallActivityAsync<IReadOnlyList<AreaDaysWork[]>>(nameof(PlanDayTotalsRecompute), input, DurableFanOut.Retry);
        IReadOnlyList<DayTotalsRecomputeSummary> parts = await DurableFanOut.SubOrchestrationsAsync<AreaDaysWork[], DayTotalsRecomputeSummary>(context, nameof(RecomputeDayTotalsBatch), batches);
        DayTotalsRecomputeSummary total = parts.Aggregate(DayTotalsRecomputeSummary.Zero, (a, b) => a + b);
        context.CreateReplaySafeLogger(nameof(RecomputeDayTotals)).RecomputeCompleted(context.InstanceId, total.AreaDays, total.Curves, total.EntriesChanged);
        return total;
    }

    [Function(nameof(RecomputeDayTotalsBatch))]
    public static async Task<DayTotalsRecomputeSummary> RecomputeDayTotalsBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        AreaDaysWork[] batch = context.GetInput<AreaDaysWork[]>() ?? throw new InvalidOperationException("A recomputation batch needs its input.");
        DayTotalsRecomputeSummary[] parts = await DurableFanOut.ActivitiesAsync<AreaDaysWork, DayTotalsRecomputeSummary>(context, nameof(RecomputeAreaDays), batch);
        return parts.Aggregate(DayTotalsRecomputeSummary.Zero, (a, b) => a + b);
    }

    /// <summary>The area-months of the input in batches: every area (or those asked for) × every month the range touches, clipped to the range; none when the input asks only for a provisional year that has no provisional entry.</summary>
    [Function(nameof(PlanDayTotalsRecompute))]
    public async Task<IReadOnlyList<AreaDaysWork[]>> PlanDayTotalsRecompute([ActivityTrigger] DayTotalsRecomputeInput input)
    {
        if (input.OnlyIfProvisionalYear is { } year && !await monthToDate.HasProvisionalAsync(year, CancellationToken.None))
        {
            return [];
        }

        List<AreaDaysWork> work = [];
        foreach (string area in await archive.AreaCodesAsync(input.Areas, CancellationToken.None))
        {
            for (DateOnly month = new(input.From.Year, input.From.Month, 1); month <= input.To; month = month.AddMonths(1))
            {
                DateOnly first = month < input.From ? input.From : month, last = month.AddMonths(1).AddDays(-1);
                work.Add(new AreaDaysWork(area, first, last > input.To ? input.To : last));
            }
        }

        return [.. work.Chunk(AreaMonthsPerBatch)];
    }

    /// <summary>Re-bands one area's days of one month from their stored curves (every channel); a month without totals is skipped after one query.</summary>
    [Function(nameof(RecomputeAreaDays))]
    public async Task<DayTotalsRecomputeSummary> RecomputeAreaDays([ActivityTrigger] AreaDaysWork work)
    {
        DayTotalsRecomputeSummary total = DayTotalsRecomputeSummary.Zero;
        if (!await monthToDate.HasMonthAsync(work.Area, work.From.Year, work.From.Month, CancellationToken.None))
        {
            return total;
        }

        for (DateOnly day = work.From; day <= work.To; day = day.AddDays(1))
        {
            IReadOnlyList<StoredCurve> stored = await curves.ListAreaDayAsync(work.Area, day, CancellationToken.None);
            int changed = stored.Count == 0
                ? 0
                : await monthToDate.ApplyAsync(work.Area, day.Year, day.Month, stored, null, CancellationToken.None, DayTotalsWrite.Recompute);
            total += new DayTotalsRecomputeSummary(1, stored.Count, changed);
        }

        return total;
    }

    static DateOnly Day(string? text, string field, List<ValidationError> errors)
    {
        if (QueryRules.TryParseDay(text, out DateOnly day))
        {
            return day;
        }

        errors.Add(new(field, "date-format", $"'{field}' is required as yyyy-MM-dd (China local day), 2000–2099."));
        return default;
    }

    static DayTotalsRecomputeStatusDto Status(string id, string status, DayTotalsRecomputeInput input, DayTotalsRecomputeSummary? summary, string? failure) =>
        new(id, status, input.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), input.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), input.Areas, input.Reason, summary, failure);
}
