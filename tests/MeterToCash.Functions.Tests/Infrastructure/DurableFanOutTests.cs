using MeterToCash.Functions.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>The fan-out's progress metric: counted once per window when it runs, never again when the orchestrator replays.</summary>
public sealed class DurableFanOutTests
{
    [Fact]
    public async Task DurableFanOut_TenBatchesFirstRun_CountsTenScheduledAndTenCompleted()
    {
        using MetricRecorder batches = new("metertocash.durable.fanout.batches");
        FakeOrchestrationContext context = new(isReplaying: false);

        IReadOnlyList<int> results = await DurableFanOut.SubOrchestrationsAsync<int, int>(context, "FanOutTestFirstRun", Enumerable.Range(1, 10).ToList());

        Assert.Equal(Enumerable.Range(1, 10).Select(n => n * 10), results);
        Assert.Equal(10, batches.Sum(("orchestrator", "FanOutTestFirstRun"), ("state", "scheduled")));
        Assert.Equal(10, batches.Sum(("orchestrator", "FanOutTestFirstRun"), ("state", "completed")));
        Assert.Equal(["FanOutTestFirstRun-0000", "FanOutTestFirstRun-0009"], [context.InstanceIds[0], context.InstanceIds[^1]]);
    }

    [Fact]
    public async Task DurableFanOut_Replay_CountsNothing()
    {
        using MetricRecorder batches = new("metertocash.durable.fanout.batches");
        FakeOrchestrationContext context = new(isReplaying: true);

        await DurableFanOut.SubOrchestrationsAsync<int, int>(context, "FanOutTestReplay", Enumerable.Range(1, 6).ToList());

        Assert.Equal(6, context.InstanceIds.Count);
        Assert.Equal(0, batches.Sum(("orchestrator", "FanOutTestReplay")));
    }

    /// <summary>Runs sub-orchestrations at once (input × 10) and records their instance ids; nothing else is used by the fan-out.</summary>
    sealed class FakeOrchestrationContext(bool isReplaying) : TaskOrchestrationContext
    {
        public List<string> InstanceIds { get; } = [];

        public override TaskName Name => "FanOutTest";

        public override string InstanceId => "FanOutTest";

        public override ParentOrchestrationInstance? Parent => null;

        public override DateTime CurrentUtcDateTime => DateTime.UnixEpoch;

        public override bool IsReplaying => isReplaying;

        public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException();

        protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
        {
            string id = ((SubOrchestrationOptions)options!).InstanceId!;
            InstanceIds.Add($"{orchestratorName.Name}-{id[(id.LastIndexOf('-') + 1)..]}");
            return Task.FromResult((TResult)(object)((int)input! * 10));
        }

        public override T GetInput<T>() => throw new NotSupportedException();

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) => throw new NotSupportedException();

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

        public override void SetCustomStatus(object? customStatus) => throw new NotSupportedException();

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw new NotSupportedException();

        public override Guid NewGuid() => throw new NotSupportedException();
    }
}
