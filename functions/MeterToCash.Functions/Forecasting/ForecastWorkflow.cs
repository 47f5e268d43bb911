using System.Diagnostics;
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

namespace MeterToCash.Functions.Forecasting;

/// <summary>
/// The nightly day-ahead forecast: at <see cref="ForecastOptions.Schedule"/> (02:15 China local, after the daily VEE run
/// completed yesterday) every transformer area's load of tomorrow is forecast and stored with the model version.
/// Areas fan out over sub-orchestrations of <see cref="ForecastOptions.AreasPerBatch"/> areas
/// (<see cref="DurableFanOut"/>), each calling one activity per <see cref="ForecastOptions.AreasPerActivity"/> areas,
/// which trains and predicts them in sequence (training is CPU-bound: more in parallel would only queue on the cores).
/// One scheduled run per target day (instance <c>forecast-yyyyMMdd</c>); a retried activity rewrites the same values.
/// </summary>
public sealed class ForecastWorkflow(AreaForecaster forecaster, ArchiveStore archive, TimeProvider time, IOptions<ForecastOptions> options, ILogger<ForecastWorkflow> logger)
{
    const string InstancePrefix = "forecast-";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartNightlyForecast))]
    public async Task StartNightlyForecast(
        [TimerTrigger("%Forecast__Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateOnly target = ChinaTime.LocalDay(now).AddDays(1);
        string id = DurableStart.DailyId(InstancePrefix, target);
        await DurableStart.OnceAsync(client, nameof(ForecastLoad), id, new ForecastRunInput(target, null, now), cancellationToken);
        logger.ForecastRunStarted(id, target, timer?.IsPastDue ?? false);
    }

    /// <summary>Forecasts a day now: <c>{"day":"yyyy-MM-dd","areas":["TA0001"]}</c> (both optional: tomorrow, every area). 202 with the run's URL.</summary>
    [Function(nameof(RunForecast))]
    public async Task<IActionResult> RunForecast(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "forecasts/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (ForecastRunRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<ForecastRunRequest>(request, RequestOptions, 64 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        DateTimeOffset now = time.GetUtcNow();
        DateOnly today = ChinaTime.LocalDay(now);
        List<ValidationError> errors = [];
        DateOnly target = today.AddDays(1);
        if (body!.Day is { } text && (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out target) || target.Year is < 2000 or > 2099))
        {
            errors.Add(new("day", "date-format", "'day' is yyyy-MM-dd (China local day), 2000–2099."));
        }
        else if (target > today.AddDays(7))
        {
            errors.Add(new("day", "horizon", "'day' may be at most 7 days ahead: the model forecasts from loads two days old."));
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

        string id = DurableStart.ManualId(InstancePrefix, now, target);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(ForecastLoad), new ForecastRunInput(target, areas, now), new StartOrchestrationOptions(id), ct);
        logger.ForecastRunStarted(id, target, false);
        return new AcceptedResult($"/api/forecasts/runs/{id}", new ForecastRunStatusDto(id, "Pending", Text(target), null, null));
    }

    [Function(nameof(GetForecastRun))]
    public async Task<IActionResult> GetForecastRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "forecasts/runs/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<ForecastRunInput, ForecastRunSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(new ForecastRunStatusDto(run.Id, run.Status, Text(run.Input.Target), run.Output, run.Failure))
            : Problems.NotFound($"There is no forecast run '{id}'.");

    [Function(nameof(ForecastLoad))]
    public static async Task<ForecastRunSummary> ForecastLoad([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ForecastRunInput input = context.GetInput<ForecastRunInput>() ?? throw new InvalidOperationException("A forecast run needs its input.");
        IReadOnlyList<ForecastWork[]> batches = await context.CallActivityAsync<IReadOnlyList<ForecastWork[]>>(nameof(PlanForecast), input, DurableFanOut.Retry);
        IReadOnlyList<ForecastRunSummary> parts = await DurableFanOut.SubOrchestrationsAsync<ForecastWork[], ForecastRunSummary>(context, nameof(ForecastLoadBatch), batches);
        ForecastRunSummary total = parts.Aggregate(ForecastRunSummary.Zero, (a, b) => a + b);
        context.CreateReplaySafeLogger(nameof(ForecastLoad)).ForecastRunCompleted(context.InstanceId, total.Areas, total.Forecast, total.Skipped, total.TrainingMilliseconds);
        return total;
    }

    [Function(nameof(ForecastLoadBatch))]
    public static async Task<ForecastRunSummary> ForecastLoadBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ForecastWork[] batch = context.GetInput<ForecastWork[]>() ?? throw new InvalidOperationException("A forecast batch needs its input.");
        ForecastRunSummary[] parts = await DurableFanOut.ActivitiesAsync<ForecastWork, ForecastRunSummary>(context, nameof(ForecastAreas), batch);
        return parts.Aggregate(ForecastRunSummary.Zero, (a, b) => a + b);
    }

    /// <summary>The run's areas (every transformer area, or those asked for) in batches of activity-sized groups, by area code.</summary>
    [Function(nameof(PlanForecast))]
    public async Task<IReadOnlyList<ForecastWork[]>> PlanForecast([ActivityTrigger] ForecastRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<string> areas = await archive.AreaCodesAsync(input.Areas, CancellationToken.None);
        ForecastOptions o = options.Value;
        return [.. areas.Chunk(o.AreasPerBatch)
            .Select(batch => batch.Chunk(o.AreasPerActivity).Select(group => new ForecastWork(input.Target, group, input.IssuedAt)).ToArray())];
    }

    /// <summary>Forecasts a few areas in sequence and stores each forecast.</summary>
    [Function(nameof(ForecastAreas))]
    public async Task<ForecastRunSummary> ForecastAreas([ActivityTrigger] ForecastWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Stopwatch clock = Stopwatch.StartNew();
        int forecast = 0;
        List<string> skipped = [];
        foreach (string area in work.Areas)
        {
            AreaForecastOutcome outcome = await forecaster.ForecastAsync(area, work.Target, work.IssuedAt, CancellationToken.None);
            logger.AreaForecast(area, work.Target, outcome.Reason ?? "stored");
            if (outcome.Forecast is null)
            {
                skipped.Add($"{area}: {outcome.Reason}");
            }
            else
            {
                forecast++;
            }
        }

        return new ForecastRunSummary(work.Areas.Count, forecast, skipped.Count, skipped, clock.ElapsedMilliseconds);
    }

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
