using MeterToCash.Functions.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Reconciliation;

/// <summary>
/// One orchestration per channel and channel date, id <c>recon-{channelId}-{yyyyMMdd}</c>, started when the day is
/// closed and its file has arrived (whichever comes second: the upload, or the scan after the day closes). It matches
/// the newest file in one activity (the file, the journal and the ledger membership are read there; only ids and counts
/// pass through the orchestration), then waits for <c>ReconSignal</c> events: a decision applies the recorded decisions
/// and recounts what is open, a superseding file matches again. When nothing is open the day is marked reconciled. Past
/// <see cref="ReconRunInput.DecideBy"/> with differences open, the overdue alarm is raised once and the wait goes on.
/// Scheduling the id again after it completed is a rerun: the same file gives the same items, and decisions (kept by item
/// id, posted under idempotent ledger entry ids) are not applied twice.
/// </summary>
public sealed class ReconciliationWorkflow(Reconciler reconciler, ReconStore store, ReconFileIntake intake, ILogger<ReconciliationWorkflow> logger)
{
    public const string SignalEvent = "ReconSignal";

    static TaskOptions Retry => DurableFanOut.Retry;

    [Function(nameof(ReconcileChannelDay))]
    public static async Task<ReconRunState> ReconcileChannelDay([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ReconRunInput input = context.GetInput<ReconRunInput>() ?? throw new InvalidOperationException("A reconciliation needs its input.");
        ReconDayRef day = new(input.ChannelId, input.ChannelDate);
        context.SetCustomStatus(ReconDayStatus.Matching);
        ReconRunState state = await context.CallActivityAsync<ReconRunState>(nameof(MatchReconciliation), day, Retry);
        bool overdue = false;
        while (state.Open > 0)
        {
            context.SetCustomStatus(state);
            ReconSignal signal;
            TimeSpan left = input.DecideBy.UtcDateTime - context.CurrentUtcDateTime;
            if (overdue)
            {
                signal = await context.WaitForExternalEvent<ReconSignal>(SignalEvent);
            }
            else if (left <= TimeSpan.Zero)
            {
                await context.CallActivityAsync(nameof(RaiseReconciliationOverdue), day, Retry);
                overdue = true;
                continue;
            }
            else
            {
                try
                {
                    signal = await context.WaitForExternalEvent<ReconSignal>(SignalEvent, left);
                }
                catch (TaskCanceledException)
                {
                    continue; // The deadline passed: the next turn raises the alarm.
                }
            }

            state = await context.CallActivityAsync<ReconRunState>(signal.Kind == ReconSignal.Rerun ? nameof(MatchReconciliation) : nameof(ApplyReconDecisions), day, Retry);
        }

        await context.CallActivityAsync(nameof(CompleteReconciliation), new ReconCompletion(day, state.FileId), Retry);
        context.SetCustomStatus(state);
        return state;
    }

    [Function(nameof(MatchReconciliation))]
    public Task<ReconRunState> MatchReconciliation([ActivityTrigger] ReconDayRef day) => reconciler.MatchAsync(day, CancellationToken.None);

    [Function(nameof(ApplyReconDecisions))]
    public Task<ReconRunState> ApplyReconDecisions([ActivityTrigger] ReconDayRef day) => reconciler.ApplyDecisionsAsync(day, CancellationToken.None);

    [Function(nameof(RaiseReconciliationOverdue))]
    public Task RaiseReconciliationOverdue([ActivityTrigger] ReconDayRef day) => reconciler.RaiseOverdueAsync(day, CancellationToken.None);

    [Function(nameof(CompleteReconciliation))]
    public Task CompleteReconciliation([ActivityTrigger] ReconCompletion done) => reconciler.CompleteAsync(done.Day, done.FileId, CancellationToken.None);

    /// <summary>
    /// Starts the reconciliations whose newest file is not matched yet and whose day has closed meanwhile (a file that came
    /// before the day close, or a start lost in a crash). Dropped files are taken in by <see cref="ReconFileDrop"/> first.
    /// </summary>
    [Function(nameof(StartPendingReconciliations))]
    public async Task StartPendingReconciliations(
        [TimerTrigger("%Reconciliation__ScanSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        int started = 0;
        IReadOnlyList<ReconDayRef> pending = await store.PendingDaysAsync(cancellationToken);
        foreach (ReconDayRef day in pending)
        {
            if (await intake.StartIfReadyAsync(client, day, cancellationToken) != ReconDayStatus.AwaitingDayClose)
            {
                started++;
            }
        }

        logger.ReconPendingScanned(pending.Count, started);
    }
}

/// <summary>The last activity's input: the day and the file its last match used.</summary>
public sealed record ReconCompletion(ReconDayRef Day, string FileId);
