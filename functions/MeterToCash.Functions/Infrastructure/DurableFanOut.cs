using Microsoft.DurableTask;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The durable plumbing every workflow shares (archive import, reading files, daily VEE, monitoring sweep, line loss,
/// forecast, classification, day-total recomputation, billing cycle): the retry policy of activities, a windowed fan-out
/// over sub-orchestrations (one per batch, a few in flight, each with an instance id derived from its parent's, so a
/// replay or a restart finds the same children instead of starting new ones), and the activities of one batch.
/// </summary>
public static class DurableFanOut
{
    /// <summary>Five attempts, 2 s then doubling: transient storage errors and a host restart are ridden out.</summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    /// <summary>Sub-orchestrations running at once: enough to keep a host busy, few enough not to flood its queues.</summary>
    public const int InFlight = 4;

    /// <summary>
    /// Calls <paramref name="orchestrator"/> once per batch, at most <see cref="InFlight"/> at a time, with instance ids
    /// <c>{parent}-{idInfix}-{n:D4}</c>; after each window, <paramref name="afterWindow"/> gets the window's batches and
    /// results (for progress in the custom status). Returns the results in batch order.
    /// </summary>
    public static async Task<IReadOnlyList<TResult>> SubOrchestrationsAsync<TInput, TResult>(
        TaskOrchestrationContext context, string orchestrator, IReadOnlyList<TInput> batches, string idInfix = "batch", Action<IReadOnlyList<TInput>, IReadOnlyList<TResult>>? afterWindow = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batches);
        List<TResult> results = new(batches.Count);
        for (int first = 0; first < batches.Count; first += InFlight)
        {
            List<TInput> inputs = batches.Skip(first).Take(InFlight).ToList();
            List<Task<TResult>> calls = inputs.Select((batch, n) =>
                context.CallSubOrchestratorAsync<TResult>(orchestrator, batch, new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-{idInfix}-{first + n:D4}" })).ToList();
            RecordFanOut(context, orchestrator, "scheduled", calls.Count);
            TResult[] window = await Task.WhenAll(calls);
            RecordFanOut(context, orchestrator, "completed", calls.Count);
            results.AddRange(window);
            afterWindow?.Invoke(inputs, window);
        }

        return results;
    }

    /// <summary>
    /// Calls <paramref name="activity"/> once per item of a batch, all at once, each with <see cref="Retry"/>; a batch is
    /// a sub-orchestration's share, small by construction. Returns the results in item order.
    /// </summary>
    public static Task<TResult[]> ActivitiesAsync<TInput, TResult>(TaskOrchestrationContext context, string activity, IEnumerable<TInput> items)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        return Task.WhenAll(items.Select(item => context.CallActivityAsync<TResult>(activity, item, Retry)));
    }

    /// <summary>Progress metric of the fan-out; an orchestrator replays its history, and a replayed step is not counted again.</summary>
    static void RecordFanOut(TaskOrchestrationContext context, string orchestrator, string state, int batches)
    {
        if (!context.IsReplaying)
        {
            MeterToCashTelemetry.RecordFanOut(orchestrator, state, batches);
        }
    }
}
