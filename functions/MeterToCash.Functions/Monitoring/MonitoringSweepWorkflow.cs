using System.Globalization;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Monitoring;

/// <summary>Input of a sweep: the instant every area is judged at (UTC), fixed when the sweep starts so retries judge alike.</summary>
public sealed record SweepInput(DateTimeOffset At);

/// <summary>One sub-orchestration's share of a sweep.</summary>
public sealed record SweepBatchInput(IReadOnlyList<string> Areas, DateTimeOffset At);

/// <summary>One area of a sweep.</summary>
public sealed record AreaSweepInput(string Area, DateTimeOffset At);

/// <summary>What a sweep (or a part of it) found and changed.</summary>
/// <param name="Areas">Transformer areas swept.</param>
/// <param name="Meters">In-service meters judged.</param>
/// <param name="MetersDown">Meters counted as down (last gasp or silence).</param>
/// <param name="OutagesOpened">Area-outage alarms opened.</param>
/// <param name="OutagesClosed">Area-outage alarms closed.</param>
/// <param name="NoReadOpened">Prolonged-no-read alarms opened.</param>
/// <param name="NoReadClosed">Prolonged-no-read alarms closed.</param>
/// <param name="RestoresInferred">Meters found restored from their readings after a last gasp without a power-restored event.</param>
public sealed record SweepSummary(int Areas, int Meters, int MetersDown, int OutagesOpened, int OutagesClosed, int NoReadOpened, int NoReadClosed, int RestoresInferred = 0)
{
    public static readonly SweepSummary Zero = new(0, 0, 0, 0, 0, 0, 0);

    public static SweepSummary operator +(SweepSummary a, SweepSummary b) => new(
        a.Areas + b.Areas, a.Meters + b.Meters, a.MetersDown + b.MetersDown, a.OutagesOpened + b.OutagesOpened,
        a.OutagesClosed + b.OutagesClosed, a.NoReadOpened + b.NoReadOpened, a.NoReadClosed + b.NoReadClosed, a.RestoresInferred + b.RestoresInferred);
}

/// <summary>The state of a sweep as the API reports it.</summary>
public sealed record SweepStatusDto(string Id, string Status, DateTimeOffset At, SweepSummary? Summary, string? Failure);

/// <summary>
/// The monitoring sweep: every few minutes each transformer area is judged for silence ("stopped reporting" area
/// outages, prolonged no-read). A utility has tens of thousands of areas, so the timer starts one orchestration that
/// fans the areas out over sub-orchestrations of <see cref="MonitoringOptions.SweepAreasPerBatch"/>, each running one
/// activity per area; an area's work is idempotent (alarms deduplicate, arrivals are maxima), so a retried or
/// repeated sweep changes nothing twice.
/// </summary>
public sealed class MonitoringSweepWorkflow(AlarmMonitor monitor, IEnumerable<IAreaSweepCheck> checks, ArchiveStore archive, TimeProvider time, IOptions<MonitoringOptions> options, ILogger<MonitoringSweepWorkflow> logger)
{
    const string InstancePrefix = "monitoring-sweep-";

    [Function(nameof(StartMonitoringSweep))]
    public async Task StartMonitoringSweep(
        [TimerTrigger("%Monitoring__SweepSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        string id = await StartAsync(client, cancellationToken);
        logger.SweepStarted(id, timer.IsPastDue);
    }

    /// <summary>Starts a sweep now (an operator after fixing a head-end, or a test); 202 with the sweep's status URL.</summary>
    [Function(nameof(RunMonitoringSweep))]
    public async Task<IActionResult> RunMonitoringSweep(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "monitoring/sweeps")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        string id = await StartAsync(client, request.HttpContext.RequestAborted);
        return new AcceptedResult($"/api/monitoring/sweeps/{id}", new SweepStatusDto(id, "Pending", time.GetUtcNow(), null, null));
    }

    [Function(nameof(GetMonitoringSweep))]
    public async Task<IActionResult> GetMonitoringSweep(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "monitoring/sweeps/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await DurableStatus.FindAsync<SweepInput, SweepSummary>(client, InstancePrefix, id, request.HttpContext.RequestAborted) is { } run
            ? new OkObjectResult(new SweepStatusDto(run.Id, run.Status, run.Input.At, run.Output, run.Failure))
            : Problems.NotFound($"There is no monitoring sweep '{id}'.");

    [Function(nameof(MonitoringSweep))]
    public static async Task<SweepSummary> MonitoringSweep([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SweepInput input = context.GetInput<SweepInput>() ?? throw new InvalidOperationException("A sweep needs its input.");
        ILogger log = context.CreateReplaySafeLogger(nameof(MonitoringSweep));
        AreaBatches batches = await context.CallActivityAsync<AreaBatches>(nameof(ListSweepAreas), input, DurableFanOut.Retry);

        IReadOnlyList<SweepSummary> parts = await DurableFanOut.SubOrchestrationsAsync<SweepBatchInput, SweepSummary>(
            context, nameof(MonitoringSweepBatch), [.. batches.Batches.Select(areas => new SweepBatchInput(areas, input.At))]);
        SweepSummary total = parts.Aggregate(SweepSummary.Zero, (a, b) => a + b);

        log.SweepCompleted(context.InstanceId, total.Areas, total.Meters, total.MetersDown, total.OutagesOpened, total.OutagesClosed, total.NoReadOpened, total.NoReadClosed);
        return total;
    }

    [Function(nameof(MonitoringSweepBatch))]
    public static async Task<SweepSummary> MonitoringSweepBatch([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SweepBatchInput input = context.GetInput<SweepBatchInput>() ?? throw new InvalidOperationException("A sweep batch needs its input.");
        SweepSummary[] parts = await DurableFanOut.ActivitiesAsync<AreaSweepInput, SweepSummary>(context, nameof(SweepArea), input.Areas.Select(a => new AreaSweepInput(a, input.At)));
        return parts.Aggregate(SweepSummary.Zero, (a, b) => a + b);
    }

    [Function(nameof(ListSweepAreas))]
    public async Task<AreaBatches> ListSweepAreas([ActivityTrigger] SweepInput input)
    {
        IReadOnlyList<string> areas = await archive.AreaCodesAsync(null, CancellationToken.None);
        return new AreaBatches([.. areas.Chunk(options.Value.SweepAreasPerBatch)]);
    }

    /// <summary>One area: the sweep's own judgement, then every registered <see cref="IAreaSweepCheck"/> (load alarms).</summary>
    [Function(nameof(SweepArea))]
    public async Task<SweepSummary> SweepArea([ActivityTrigger] AreaSweepInput input)
    {
        SweepSummary summary = await monitor.SweepAreaAsync(input.Area, input.At, CancellationToken.None);
        foreach (IAreaSweepCheck check in checks)
        {
            await check.CheckAsync(input.Area, input.At, CancellationToken.None);
        }

        return summary;
    }

    async Task<string> StartAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        DateTimeOffset at = time.GetUtcNow();
        // One sweep per second at most: a timer tick and a manual start in the same second are the same sweep.
        string id = InstancePrefix + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await DurableStart.OnceAsync(client, nameof(MonitoringSweep), id, new SweepInput(at), cancellationToken);
        return id;
    }
}

/// <summary>The areas of a sweep, already cut into the batches of its sub-orchestrations.</summary>
public sealed record AreaBatches(IReadOnlyList<string[]> Batches);
