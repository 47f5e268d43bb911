using System.Globalization;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Segments;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// The nightly customer classification, in three phases over the areas: (1) per area, gather every account's facts
/// (<see cref="AccountFactsReader"/>) into the run's facts table; (2) fit the load-shape clusters once on all profiles
/// (k-means, fixed seed, so the same data gives the same clusters); (3) per area, classify each account (shape, value,
/// payment), derive its service actions and store them with the reasons. Areas fan out over sub-orchestrations of
/// <see cref="SegmentOptions.AreasPerBatch"/> (<see cref="DurableFanOut"/>), one activity per area. The run id is the
/// as-of day: a re-run replaces the same rows.
/// </summary>
public sealed class SegmentWorkflow(AccountFactsReader reader, SegmentStore store, ArchiveStore archive, TimeProvider time, IOptions<SegmentOptions> options, ILogger<SegmentWorkflow> logger)
{
    const string InstancePrefix = "segments-";

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartNightlySegments))]
    public async Task StartNightlySegments(
        [TimerTrigger("%Segments__Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        DateOnly asOf = ChinaTime.LocalDay(time.GetUtcNow());
        string id = DurableStart.DailyId(InstancePrefix, asOf);
        await DurableStart.OnceAsync(client, nameof(ClassifyCustomers), id, new SegmentRunInput(asOf, null), cancellationToken);
        logger.SegmentRunStarted(id, asOf, timer?.IsPastDue ?? false);
    }

    /// <summary>
    /// Classifies now: <c>{"asOf":"yyyy-MM-dd","areas":["TA0001"]}</c>, both optional (today, i.e. data through yesterday;
    /// every area). An earlier as-of day re-classifies on the data before it. 202 with the run's URL.
    /// </summary>
    [Function(nameof(RunSegments))]
    public async Task<IActionResult> RunSegments(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "segments/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        (SegmentRunRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<SegmentRunRequest>(request, RequestOptions, 64 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        List<ValidationError> errors = [];
        DateTimeOffset now = time.GetUtcNow();
        DateOnly asOf = ChinaTime.LocalDay(now);
        if (body!.AsOf is { } text && (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf) || asOf.Year < 2000 || asOf > ChinaTime.LocalDay(now)))
        {
            errors.Add(new("asOf", "date-format", "'asOf' is a China-local day yyyy-MM-dd from 2000, not after today."));
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

        string id = DurableStart.ManualId(InstancePrefix, now, asOf);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(ClassifyCustomers), new SegmentRunInput(asOf, areas), new StartOrchestrationOptions(id), ct);
        logger.SegmentRunStarted(id, asOf, false);
        return new AcceptedResult($"/api/segments/runs/{id}", new SegmentRunStatusDto(id, "Pending", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null));
    }

    [Function(nameof(GetSegmentRun))]
    public async Task<IActionResult> GetSegmentRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "segments/runs/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<SegmentRunInput, SegmentRunSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(new SegmentRunStatusDto(run.Id, run.Status, run.Input.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run.Output, run.Failure))
            : Problems.NotFound($"There is no classification run '{id}'.");

    [Function(nameof(ClassifyCustomers))]
    public static async Task<SegmentRunSummary> ClassifyCustomers([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SegmentRunInput input = context.GetInput<SegmentRunInput>() ?? throw new InvalidOperationException("A classification run needs its input.");
        string runId = input.AsOf.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        IReadOnlyList<SegmentAreaWork[]> batches = await context.CallActivityAsync<IReadOnlyList<SegmentAreaWork[]>>(nameof(PlanSegments), input, DurableFanOut.Retry);
        await DurableFanOut.SubOrchestrationsAsync<SegmentAreaWork[], int>(context, nameof(CollectSegmentFactsBatch), batches);
        IReadOnlyList<string> clusters = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(FitLoadShapes), runId, DurableFanOut.Retry);
        IReadOnlyList<SegmentRunSummary> parts = await DurableFanOut.SubOrchestrationsAsync<SegmentAreaWork[], SegmentRunSummary>(context, nameof(AssignSegmentsBatch), batches);
        SegmentRunSummary total = parts.Aggregate(SegmentRunSummary.Zero, (a, b) => a + b) with { Clusters = clusters };
        context.CreateReplaySafeLogger(nameof(ClassifyCustomers)).SegmentRunCompleted(context.InstanceId, total.Areas, total.Accounts, total.WithProfile, string.Join(", ", clusters));
        return total;
    }

    [Function(nameof(CollectSegmentFactsBatch))]
    public static async Task<int> CollectSegmentFactsBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SegmentAreaWork[] batch = context.GetInput<SegmentAreaWork[]>() ?? throw new InvalidOperationException("A batch needs its input.");
        int[] counts = await DurableFanOut.ActivitiesAsync<SegmentAreaWork, int>(context, nameof(CollectAreaFacts), batch);
        return counts.Sum();
    }

    [Function(nameof(AssignSegmentsBatch))]
    public static async Task<SegmentRunSummary> AssignSegmentsBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SegmentAreaWork[] batch = context.GetInput<SegmentAreaWork[]>() ?? throw new InvalidOperationException("A batch needs its input.");
        SegmentRunSummary[] parts = await DurableFanOut.ActivitiesAsync<SegmentAreaWork, SegmentRunSummary>(context, nameof(AssignAreaSegments), batch);
        return parts.Aggregate(SegmentRunSummary.Zero, (a, b) => a + b);
    }

    /// <summary>The run's areas (every transformer area, or those asked for) in batches, by area code.</summary>
    [Function(nameof(PlanSegments))]
    public async Task<IReadOnlyList<SegmentAreaWork[]>> PlanSegments([ActivityTrigger] SegmentRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string runId = input.AsOf.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        IReadOnlyList<string> areas = await archive.AreaCodesAsync(input.Areas, CancellationToken.None);
        return [.. areas.Select(a => new SegmentAreaWork(runId, input.AsOf, a)).Chunk(options.Value.AreasPerBatch)];
    }

    /// <summary>Phase 1: one area's accounts' facts into the run's facts table.</summary>
    [Function(nameof(CollectAreaFacts))]
    public async Task<int> CollectAreaFacts([ActivityTrigger] SegmentAreaWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        IReadOnlyList<(AccountFacts Facts, string Area)> facts = await reader.ReadAreaAsync(work.Area, work.AsOf, CancellationToken.None);
        await store.SaveFactsAsync(work.RunId, work.Area, [.. facts.Select(f => f.Facts)], CancellationToken.None);
        return facts.Count;
    }

    /// <summary>Phase 2: the shape clusters of the run, fitted on every profile (an even sample by account number above <see cref="SegmentOptions.MaxFitProfiles"/>).</summary>
    [Function(nameof(FitLoadShapes))]
    public async Task<IReadOnlyList<string>> FitLoadShapes([ActivityTrigger] string runId)
    {
        IReadOnlyList<AccountFacts> all = await store.FactsAsync(runId, null, CancellationToken.None);
        List<IReadOnlyList<double>> profiles = [.. all.Where(f => f.HourlyProfile is not null).Select(f => f.HourlyProfile!)];
        int step = Math.Max(1, (int)Math.Ceiling(profiles.Count / (double)options.Value.MaxFitProfiles));
        IReadOnlyList<ShapeCluster> clusters = LoadShapeClustering.Fit([.. profiles.Where((_, i) => i % step == 0)], options.Value.Clusters);
        await store.SaveClustersAsync(runId, clusters, CancellationToken.None);
        return [.. clusters.Select(c => c.Name)];
    }

    /// <summary>Phase 3: classify one area's accounts, store each classification with its reasons and actions, then the area's counts.</summary>
    [Function(nameof(AssignAreaSegments))]
    public async Task<SegmentRunSummary> AssignAreaSegments([ActivityTrigger] SegmentAreaWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        IReadOnlyList<ShapeCluster> clusters = await store.ClustersAsync(work.RunId, CancellationToken.None);
        IReadOnlyList<AccountFacts> facts = await store.FactsAsync(work.RunId, work.Area, CancellationToken.None);
        string classifiedOn = work.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int withProfile = 0;
        List<AccountSegmentsDto> classified = [];
        foreach (AccountFacts f in facts)
        {
            IReadOnlyList<CustomerSegment> segments = [Shape(f, clusters), SegmentRules.Value(f), SegmentRules.Payment(f)];
            withProfile += f.HourlyProfile is null ? 0 : 1;
            AccountSegmentsDto account = new(f.AccountNo, work.Area, classifiedOn, segments, ServiceActions.For(f, segments), f);
            await store.SaveAsync(account, CancellationToken.None);
            classified.Add(account);
        }

        await store.SaveAreaCountsAsync(SegmentAreaCounts.Of(work.Area, work.RunId, classifiedOn, classified), CancellationToken.None);
        return new SegmentRunSummary(1, facts.Count, withProfile, []);
    }

    /// <summary>The load-shape segment of an account: its nearest cluster, with its own profile and the cluster's described.</summary>
    public static CustomerSegment Shape(AccountFacts facts, IReadOnlyList<ShapeCluster> clusters)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(clusters);
        if (facts.HourlyProfile is not { } profile || clusters.Count == 0)
        {
            return new(SegmentDimension.LoadShape, "shape-unknown", ["no complete 15-minute curve in the profile window"]);
        }

        (ShapeCluster cluster, double distance) = LoadShapeClustering.Nearest(clusters, profile);
        return new(SegmentDimension.LoadShape, cluster.Name,
        [
            string.Create(CultureInfo.InvariantCulture, $"average day over {facts.ProfileDays} day(s): {LoadShapes.Describe(profile)}"),
            string.Create(CultureInfo.InvariantCulture, $"nearest of {clusters.Count} k-means clusters: '{cluster.Name}' ({cluster.Description}), distance {distance:F3}"),
        ]);
    }
}
