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

namespace MeterToCash.Functions.Vee;

/// <summary>Input of a daily VEE run: the China-local day, the areas (null = all), and the instant gaps are judged at.</summary>
public sealed record DailyVeeInput(DateOnly Day, IReadOnlyList<string>? Areas, DateTimeOffset EstimateBefore);

/// <summary>One sub-orchestration's share of a run.</summary>
public sealed record DailyVeeBatch(DateOnly Day, IReadOnlyList<string> Areas, DateTimeOffset EstimateBefore);

/// <summary>One area-day of a run.</summary>
public sealed record AreaDayInput(string Area, DateOnly Day, DateTimeOffset EstimateBefore);

/// <summary>Request body of a manual run.</summary>
public sealed record DailyVeeRequest(string? Day, IReadOnlyList<string>? Areas);

/// <summary>A run as the API reports it.</summary>
public sealed record DailyVeeStatusDto(string Id, string Status, string Day, DailyVeeSummary? Summary, string? Failure);

/// <summary>
/// The nightly VEE run: after a China-local day ends, every transformer area's curves of that day are completed with
/// estimates and checked for consumption alarms, and each series' spike reference for ingestion is renewed
/// (<see cref="AreaDayVee"/>). Tens of thousands of areas fan out over
/// sub-orchestrations of <see cref="DailyVeeOptions.AreasPerBatch"/> areas, one activity per area. Operators re-run a day
/// (late data arrived, an archive was corrected) with <c>POST /api/vee/runs</c>; every step is idempotent.
/// </summary>
public sealed class DailyVeeWorkflow(AreaDayVee vee, ArchiveStore archive, TimeProvider time, IOptions<DailyVeeOptions> options, ILogger<DailyVeeWorkflow> logger)
{
    const string InstancePrefix = "daily-vee-";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartDailyVee))]
    public async Task StartDailyVee(
        [TimerTrigger("%Vee__DailySchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateOnly day = ChinaTime.LocalDay(now).AddDays(-1);
        string id = DurableStart.DailyId(InstancePrefix, day);
        await DurableStart.OnceAsync(client, nameof(DailyVee), id, new DailyVeeInput(day, null, now), cancellationToken);
        logger.DailyVeeStarted(id, day, timer.IsPastDue);
    }

    /// <summary>Runs VEE for a day now: <c>{"day":"yyyy-MM-dd","areas":["TA0001"]}</c> (areas optional). 202 with the run's URL.</summary>
    [Function(nameof(RunDailyVee))]
    public async Task<IActionResult> RunDailyVee(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "vee/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (DailyVeeRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<DailyVeeRequest>(request, RequestOptions, 64 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (!QueryRules.TryParseDay(body?.Day, out DateOnly day))
        {
            return Problems.Validation("day", "date-format", "'day' is required as yyyy-MM-dd (China local day), 2000–2099.");
        }

        if (day >= ChinaTime.LocalDay(now))
        {
            return Problems.Validation("day", "ended", "Only a day that has ended can be completed with estimates; today's gaps may still be delivered.", StatusCodes.Status422UnprocessableEntity);
        }

        List<ValidationError> errors = [];
        string[]? areas = QueryRules.AreaCodes(body!.Areas, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        if (await archive.FirstUnknownAreaAsync(areas, ct) is { } unknown)
        {
            return Problems.UnknownArea(unknown);
        }

        string id = DurableStart.ManualId(InstancePrefix, now, day);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(DailyVee), new DailyVeeInput(day, areas, now), new StartOrchestrationOptions(id), ct);
        logger.DailyVeeStarted(id, day, false);
        return new AcceptedResult($"/api/vee/runs/{id}", new DailyVeeStatusDto(id, "Pending", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null));
    }

    [Function(nameof(GetDailyVee))]
    public async Task<IActionResult> GetDailyVee(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "vee/runs/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<DailyVeeInput, DailyVeeSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(new DailyVeeStatusDto(run.Id, run.Status, run.Input.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run.Output, run.Failure))
            : Problems.NotFound($"There is no VEE run '{id}'.");

    [Function(nameof(DailyVee))]
    public static async Task<DailyVeeSummary> DailyVee([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        DailyVeeInput input = context.GetInput<DailyVeeInput>() ?? throw new InvalidOperationException("A VEE run needs its input.");
        ILogger log = context.CreateReplaySafeLogger(nameof(DailyVee));
        IReadOnlyList<string[]> batches = await context.CallActivityAsync<IReadOnlyList<string[]>>(nameof(ListVeeAreas), input, DurableFanOut.Retry);
        IReadOnlyList<DailyVeeSummary> parts = await DurableFanOut.SubOrchestrationsAsync<DailyVeeBatch, DailyVeeSummary>(
            context, nameof(DailyVeeAreas), [.. batches.Select(areas => new DailyVeeBatch(input.Day, areas, input.EstimateBefore))]);
        DailyVeeSummary total = parts.Aggregate(DailyVeeSummary.Zero, (a, b) => a + b);
        log.DailyVeeCompleted(context.InstanceId, total.Areas, total.Series, total.Estimated, total.Unestimated, total.SuddenDrops, total.ReverseEnergy, total.SpikeReferences);
        return total;
    }

    [Function(nameof(DailyVeeAreas))]
    public static async Task<DailyVeeSummary> DailyVeeAreas([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        DailyVeeBatch batch = context.GetInput<DailyVeeBatch>() ?? throw new InvalidOperationException("A VEE batch needs its input.");
        DailyVeeSummary[] parts = await DurableFanOut.ActivitiesAsync<AreaDayInput, DailyVeeSummary>(
            context, nameof(RunAreaDayVee), batch.Areas.Select(a => new AreaDayInput(a, batch.Day, batch.EstimateBefore)));
        return parts.Aggregate(DailyVeeSummary.Zero, (a, b) => a + b);
    }

    [Function(nameof(ListVeeAreas))]
    public async Task<IReadOnlyList<string[]>> ListVeeAreas([ActivityTrigger] DailyVeeInput input)
    {
        IReadOnlyList<string> areas = await archive.AreaCodesAsync(input.Areas, CancellationToken.None);
        return [.. areas.Chunk(options.Value.AreasPerBatch)];
    }

    [Function(nameof(RunAreaDayVee))]
    public Task<DailyVeeSummary> RunAreaDayVee([ActivityTrigger] AreaDayInput input) =>
        vee.RunAsync(input.Area, input.Day, input.EstimateBefore, CancellationToken.None);
}
