using System.Text.Json;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Forecasting;
using MeterToCash.Functions.Load;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Monitoring;
using MeterToCash.Functions.Segments;
using MeterToCash.Functions.Vee;
using MeterToCash.Tools.LocalStack;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>
/// A failed orchestration's status always says why (issue 18). Each status endpoint of a run-per-request workflow is
/// invoked in process, as the host invokes the function, against the real Durable Task engine (<see cref="DurableTaskTestHost"/>)
/// holding a run of that workflow that failed with an exception without a message: the answer is 200, Failed, and names
/// the failure.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class FailedRunStatusTests(BackendFixture backend)
{
    static readonly DateOnly Day = new(2026, 9, 16);

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("forecast")]
    [InlineData("segments")]
    [InlineData("line-loss")]
    [InlineData("daily-vee")]
    [InlineData("recompute")]
    [InlineData("monitoring-sweep")]
    [InlineData("billing")]
    public async Task StatusEndpoint_RunFailedWithoutMessage_Returns200FailedNamingTheFailure(string workflow)
    {
        StatusEndpoint endpoint = Endpoint(workflow);
        await using ServiceProvider services = Services();
        await using DurableTaskTestHost host = await InProcessDurable.StartAsync(
            registry => registry.AddOrchestratorFunc<object?, object?>(endpoint.Orchestrator, FailWithoutMessage));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(endpoint.Orchestrator, endpoint.Input, new StartOrchestrationOptions(endpoint.Id));
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(1));
        OrchestrationMetadata failed = await host.Client.WaitForInstanceCompletionAsync(endpoint.Id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal((OrchestrationRuntimeStatus.Failed, true), (failed.RuntimeStatus, string.IsNullOrEmpty(failed.FailureDetails?.ErrorMessage)));

        IActionResult answer = await endpoint.Get(services, host.Client, new DefaultHttpContext().Request, endpoint.Id);

        JsonElement status = JsonSerializer.SerializeToElement(Assert.IsType<OkObjectResult>(answer).Value, Web);
        Assert.Equal((endpoint.Id, "Failed"), (status.GetProperty("id").GetString(), status.GetProperty("status").GetString()));
        Assert.Equal(typeof(InvalidOperationException).FullName, status.GetProperty("failure").GetString());
    }

    static object? FailWithoutMessage(TaskOrchestrationContext context, object? input) => throw new InvalidOperationException(string.Empty);

    /// <summary>A workflow's orchestrator, one of its instance ids with a matching input, and its status function.</summary>
    sealed record StatusEndpoint(string Orchestrator, string Id, object Input, Func<IServiceProvider, DurableTaskClient, HttpRequest, string, Task<IActionResult>> Get);

    static StatusEndpoint Endpoint(string workflow)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return workflow switch
        {
            "forecast" => new(nameof(ForecastWorkflow.ForecastLoad), "forecast-20260916", new ForecastRunInput(Day, null, now),
                (s, c, r, id) => Create<ForecastWorkflow>(s).GetForecastRun(r, c, id)),
            "segments" => new(nameof(SegmentWorkflow.ClassifyCustomers), "segments-20260916", new SegmentRunInput(Day, null),
                (s, c, r, id) => Create<SegmentWorkflow>(s).GetSegmentRun(r, c, id)),
            "line-loss" => new(nameof(LineLossWorkflow.LineLossEvaluation), "line-loss-20260916", new LineLossEvaluationInput(Day, null),
                (s, c, r, id) => Create<LineLossWorkflow>(s).GetLineLossEvaluation(r, c, id)),
            "daily-vee" => new(nameof(DailyVeeWorkflow.DailyVee), "daily-vee-20260916", new DailyVeeInput(Day, null, now),
                (s, c, r, id) => Create<DailyVeeWorkflow>(s).GetDailyVee(r, c, id)),
            "recompute" => new(nameof(DayTotalsRecomputeWorkflow.RecomputeDayTotals), "recompute-20260901-20260916-000000000", new DayTotalsRecomputeInput(Day.AddDays(-15), Day, null, "manual", 0),
                (s, c, r, id) => Create<DayTotalsRecomputeWorkflow>(s).GetDayTotalsRecompute(r, c, id)),
            "monitoring-sweep" => new(nameof(MonitoringSweepWorkflow.MonitoringSweep), "monitoring-sweep-20260916000000", new SweepInput(now),
                (s, c, r, id) => Create<MonitoringSweepWorkflow>(s).GetMonitoringSweep(r, c, id)),
            "billing" => new(nameof(BillingCycleWorkflow.BillingCycle), BillingCycleWorkflow.CycleId("BG-TEST", new DateOnly(2026, 9, 1)), new BillingCycleInput(BillingCycleWorkflow.CycleId("BG-TEST", new DateOnly(2026, 9, 1)), "BG-TEST", new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 1), now),
                (s, c, r, id) => Create<BillingCycleWorkflow>(s).GetBillingCycle(r, c, id)),
            _ => throw new ArgumentOutOfRangeException(nameof(workflow)),
        };
    }

    static T Create<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services);

    ServiceProvider Services() => backend.AppServices();
}
