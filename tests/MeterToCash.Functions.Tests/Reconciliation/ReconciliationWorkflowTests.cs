using MeterToCash.Functions.Reconciliation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeterToCash.Functions.Tests.Reconciliation;

/// <summary>The reconciliation orchestrator in process, with scripted activities and events: what it calls, in which order.</summary>
public sealed class ReconciliationWorkflowTests
{
    static readonly ReconRunInput Input = new("BANK-ICBC", new DateOnly(2026, 3, 2), new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ReconcileChannelDay_TwoDecisions_AppliesEachThenCompletesWithoutAlarm()
    {
        ScriptedContext context = new(openAfterMatch: [2], openAfterApply: [1, 0], signals: [Decision, Decision]);

        ReconRunState done = await ReconciliationWorkflow.ReconcileChannelDay(context);

        Assert.Equal(0, done.Open);
        Assert.Equal([nameof(ReconciliationWorkflow.MatchReconciliation), nameof(ReconciliationWorkflow.ApplyReconDecisions), nameof(ReconciliationWorkflow.ApplyReconDecisions), nameof(ReconciliationWorkflow.CompleteReconciliation)], context.Calls);
    }

    [Fact]
    public async Task ReconcileChannelDay_NothingDecidedByTheDeadline_RaisesOverdueOnceThenWaitsOn()
    {
        ScriptedContext context = new(openAfterMatch: [1], openAfterApply: [0], signals: [null, Decision]);

        await ReconciliationWorkflow.ReconcileChannelDay(context);

        Assert.Equal([nameof(ReconciliationWorkflow.MatchReconciliation), nameof(ReconciliationWorkflow.RaiseReconciliationOverdue), nameof(ReconciliationWorkflow.ApplyReconDecisions), nameof(ReconciliationWorkflow.CompleteReconciliation)], context.Calls);
    }

    [Fact]
    public async Task ReconcileChannelDay_SupersedingFile_MatchesAgainAndCompletesOnItsResult()
    {
        ScriptedContext context = new(openAfterMatch: [3, 0], openAfterApply: [], signals: [new ReconSignal(ReconSignal.Rerun, null)]);

        ReconRunState done = await ReconciliationWorkflow.ReconcileChannelDay(context);

        Assert.Equal("file-2", done.FileId);
        Assert.Equal([nameof(ReconciliationWorkflow.MatchReconciliation), nameof(ReconciliationWorkflow.MatchReconciliation), nameof(ReconciliationWorkflow.CompleteReconciliation)], context.Calls);
    }

    static readonly ReconSignal Decision = new(ReconSignal.Decision, null);

    /// <summary>
    /// Activities answer from scripts (open counts after each match and each apply); events come from a script where null
    /// means "nothing arrives before the deadline" (the wait's timer fires and the clock moves past it).
    /// </summary>
    sealed class ScriptedContext(int[] openAfterMatch, int[] openAfterApply, ReconSignal?[] signals) : TaskOrchestrationContext
    {
        readonly Queue<int> matches = new(openAfterMatch);
        readonly Queue<int> applies = new(openAfterApply);
        readonly Queue<ReconSignal?> events = new(signals);
        DateTime now = Input.DecideBy.UtcDateTime.AddHours(-48);
        int files;

        public List<string> Calls { get; } = [];

        public override TaskName Name => nameof(ReconciliationWorkflow.ReconcileChannelDay);

        public override string InstanceId => "recon-BANK-ICBC-20260302";

        public override ParentOrchestrationInstance? Parent => null;

        public override DateTime CurrentUtcDateTime => now;

        public override bool IsReplaying => false;

        public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException();

        protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

        public override T GetInput<T>() => (T)(object)Input;

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
        {
            Calls.Add(name.Name);
            object? result = name.Name switch
            {
                nameof(ReconciliationWorkflow.MatchReconciliation) => new ReconRunState($"file-{++files}", 10, 3, matches.Dequeue(), 0),
                nameof(ReconciliationWorkflow.ApplyReconDecisions) => new ReconRunState($"file-{files}", 10, 3, applies.Dequeue(), 0),
                _ => null,
            };
            return Task.FromResult((TResult)result!);
        }

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
        {
            if (events.TryPeek(out ReconSignal? next) && next is null)
            {
                now = fireAt;
                return Task.CompletedTask;
            }

            return Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
        {
            Assert.Equal(ReconciliationWorkflow.SignalEvent, eventName);
            if (events.TryPeek(out ReconSignal? next) && next is not null)
            {
                events.Dequeue();
                return Task.FromResult((T)(object)next);
            }

            // Nothing arrives: the wait ends when its timer fires and cancels it, which consumes the script's "nothing".
            TaskCompletionSource<T> never = new();
            cancellationToken.Register(() =>
            {
                if (events.TryPeek(out ReconSignal? head) && head is null)
                {
                    events.Dequeue();
                }

                never.TrySetCanceled(cancellationToken);
            });
            return never.Task;
        }

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) => throw new NotSupportedException();

        public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

        public override void SetCustomStatus(object? customStatus)
        {
        }

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw new NotSupportedException();

        public override Guid NewGuid() => throw new NotSupportedException();
    }
}
