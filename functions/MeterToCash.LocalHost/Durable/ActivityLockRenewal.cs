using System.Collections.Concurrent;
using DurableTask.Core;

namespace MeterToCash.LocalHost.Durable;

/// <summary>
/// Keeps the queue messages of running activities hidden. The Azure Storage provider hides a dequeued work item for
/// the visibility timeout and expects the dispatcher to renew it while the activity runs, as Durable Task Core's
/// dispatcher does; the gRPC sidecar's dispatcher never renews. Unrenewed, an activity that runs longer than the timeout
/// is dequeued a second time, its completion then cannot delete the message (the second dequeue changed its pop
/// receipt), and the activity runs again, and again each time it outlasts the timeout. So every locked activity work
/// item is renewed at a fixed interval (a third of the timeout) until it is completed or abandoned.
/// </summary>
internal sealed partial class ActivityLockRenewal(Func<TaskActivityWorkItem, Task<TaskActivityWorkItem>> renew, TimeSpan every, ILogger logger)
{
    readonly ConcurrentDictionary<string, (CancellationTokenSource Stop, Task Loop)> running = new(StringComparer.Ordinal);

    /// <summary>Starts renewing <paramref name="workItem"/>'s lock.</summary>
    public void Start(TaskActivityWorkItem workItem)
    {
        CancellationTokenSource stop = new();
        running[workItem.Id] = (stop, Task.Run(() => RenewUntilStoppedAsync(workItem, stop.Token), CancellationToken.None));
    }

    /// <summary>
    /// Stops renewing and waits for a renewal in flight to finish, so that the completion or abandonment that follows
    /// uses the message's current pop receipt.
    /// </summary>
    public async Task StopAsync(string workItemId)
    {
        if (running.TryRemove(workItemId, out (CancellationTokenSource Stop, Task Loop) renewal))
        {
            await renewal.Stop.CancelAsync();
            await renewal.Loop;
            renewal.Stop.Dispose();
        }
    }

    async Task RenewUntilStoppedAsync(TaskActivityWorkItem workItem, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await renew(workItem);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next interval tries again; if the lock lapses meanwhile, the provider's duplicate check still holds.
                LogRenewalFailed(logger, e, workItem.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lock of activity work item {WorkItemId} failed")]
    static partial void LogRenewalFailed(ILogger logger, Exception exception, string workItemId);
}
