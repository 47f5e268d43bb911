using System.Globalization;
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

namespace MeterToCash.Functions.Load;

/// <summary>
/// The line-loss evaluation: nightly at <see cref="LoadOptions.LineLossSchedule"/> (02:30, after the 01:30 VEE has
/// estimated yesterday's gaps) for yesterday, or on demand for any ended day. Areas fan out over sub-orchestrations
/// of <see cref="LoadOptions.AreasPerBatch"/>, each calling one activity per <see cref="LoadOptions.AreasPerActivity"/>
/// areas (<see cref="LoadMonitor.EvaluateLineLossAsync"/> per area, a few at a time: computes the lookback days, stores
/// them, raises or closes the alarms); every step is idempotent, so a retried activity re-evaluates its areas to the
/// same result.
/// </summary>
public sealed class LineLossWorkflow(LoadMonitor monitor, ArchiveStore archive, TimeProvider time, IOptions<LoadOptions> options, ILogger<LineLossWorkflow> logger)
{
    const string InstancePrefix = "line-loss-";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartLineLossEvaluation))]
    public async Task StartLineLossEvaluation(
        [TimerTrigger("%Load__LineLossSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateOnly day = ChinaTime.LocalDay(time.GetUtcNow()).AddDays(-1);
        string id = DurableStart.DailyId(InstancePrefix, day);
        await DurableStart.OnceAsync(client, nameof(LineLossEvaluation), id, new LineLossEvaluationInput(day, null), cancellationToken);
        logger.LineLossStarted(id, day, timer.IsPastDue);
    }

    /// <summary>Evaluates a day now: <c>{"day":"yyyy-MM-dd","areas":["TA0001"]}</c>, both optional (yesterday; every area). 202 with the run's URL.</summary>
    [Function(nameof(RunLineLossEvaluation))]
    public async Task<IActionResult> RunLineLossEvaluation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "line-loss/evaluations")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        LineLossEvaluationRequest? body = null;
        if (request.ContentLength is not 0)
        {
            (body, ObjectResult? problem) = await RequestJson.ReadAsync<LineLossEvaluationRequest>(request, RequestOptions, 64 * 1024);
            if (problem is not null)
            {
                return problem;
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        DateOnly today = ChinaTime.LocalDay(now), day = today.AddDays(-1);
        if (body?.Day is { } text && (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || day.Year is < 2000 or > 2099))
        {
            return Problems.Validation("day", "date-format", "'day' is a China-local day as yyyy-MM-dd, 2000–2099 (default: yesterday).");
        }

        if (day >= today)
        {
            return Problems.Validation("day", "ended", "Only a day that has ended has a line loss; today's data is still arriving.", StatusCodes.Status422UnprocessableEntity);
        }

        List<ValidationError> errors = [];
        string[]? areas = QueryRules.AreaCodes(body?.Areas, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        if (await archive.FirstUnknownAreaAsync(areas, ct) is { } unknown)
        {
            return Problems.UnknownArea(unknown);
        }

        string id = DurableStart.ManualId(InstancePrefix, now, day);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(LineLossEvaluation), new LineLossEvaluationInput(day, areas), new StartOrchestrationOptions(id), ct);
        logger.LineLossStarted(id, day, false);
        return new AcceptedResult($"/api/line-loss/evaluations/{id}", new LineLossEvaluationStatusDto(id, "Pending", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null));
    }

    [Function(nameof(GetLineLossEvaluation))]
    public async Task<IActionResult> GetLineLossEvaluation(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "line-loss/evaluations/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<LineLossEvaluationInput, LineLossSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(new LineLossEvaluationStatusDto(run.Id, run.Status, run.Input.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run.Output, run.Failure))
            : Problems.NotFound($"There is no line-loss evaluation '{id}'.");

    [Function(nameof(LineLossEvaluation))]
    public static async Task<LineLossSummary> LineLossEvaluation([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        LineLossEvaluationInput input = context.GetInput<LineLossEvaluationInput>() ?? throw new InvalidOperationException("A line-loss evaluation needs its input.");
        ILogger log = context.CreateReplaySafeLogger(nameof(LineLossEvaluation));
        IReadOnlyList<string[][]> batches = await context.CallActivityAsync<IReadOnlyList<string[][]>>(nameof(ListLineLossAreas), input, DurableFanOut.Retry);
        IReadOnlyList<LineLossSummary> parts = await DurableFanOut.SubOrchestrationsAsync<LineLossBatchInput, LineLossSummary>(
            context, nameof(LineLossEvaluationBatch), [.. batches.Select(b => new LineLossBatchInput(input.Day, b))]);
        LineLossSummary total = parts.Aggregate(LineLossSummary.Zero, (a, b) => a + b);
        log.LineLossCompleted(context.InstanceId, total.Areas, total.Computable, total.High, total.Negative, total.TheftSuspicions);
        return total;
    }

    [Function(nameof(LineLossEvaluationBatch))]
    public static async Task<LineLossSummary> LineLossEvaluationBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        LineLossBatchInput input = context.GetInput<LineLossBatchInput>() ?? throw new InvalidOperationException("A line-loss batch needs its input.");
        LineLossSummary[] parts = await DurableFanOut.ActivitiesAsync<LineLossAreasInput, LineLossSummary>(
            context, nameof(EvaluateAreasLineLoss), input.AreaGroups.Select(group => new LineLossAreasInput(input.Day, group)));
        return parts.Aggregate(LineLossSummary.Zero, (a, b) => a + b);
    }

    [Function(nameof(ListLineLossAreas))]
    public async Task<IReadOnlyList<string[][]>> ListLineLossAreas([ActivityTrigger] LineLossEvaluationInput input)
    {
        IReadOnlyList<string> areas = await archive.AreaCodesAsync(input.Areas is { Count: > 0 } chosen ? chosen : null, CancellationToken.None);
        LoadOptions o = options.Value;
        return [.. areas.Chunk(o.AreasPerBatch).Select(batch => batch.Chunk(o.AreasPerActivity).ToArray())];
    }

    /// <summary>Evaluates a group of areas, <see cref="AreasInParallel"/> at a time (each is reads, a fold and a few writes: I/O-bound).</summary>
    [Function(nameof(EvaluateAreasLineLoss))]
    public async Task<LineLossSummary> EvaluateAreasLineLoss([ActivityTrigger] LineLossAreasInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        LineLossSummary[] parts = new LineLossSummary[input.Areas.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Length), new ParallelOptions { MaxDegreeOfParallelism = AreasInParallel }, async (i, ct) =>
            parts[i] = await monitor.EvaluateLineLossAsync(input.Areas[i], input.Day, ct));
        return parts.Aggregate(LineLossSummary.Zero, (a, b) => a + b);
    }

    /// <summary>Areas one activity evaluates at the same time.</summary>
    const int AreasInParallel = 4;
}
