using Microsoft.DurableTask;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The durable plumbing workflows share: the retry policy of activities, and a windowed fan-out over sub-orchestrations
/// (one per batch, a few in flight, each with an instance id derived from its parent's, so a replay or a restart finds
/// the same children instead of starting new ones).
/// </summary>
public static class DurableFanOut
{
    /// <summary>Five attempts, 2 s then doubling: transient storage errors and a host restart are ridden out.</summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    /// <summary>Sub-orchestrations running at once: enough to keep a host busy, few enough not to flood its queues.</summary>
    public const int InFlight = 4;

    /// <summary>
    /// Calls <paramref name="orchestrator"/> once per batch, at most <see cref="InFlight"/> at a time, with instance ids
    /// <c>{parent}-batch-{n:D4}</c>; returns the results in batch order.
    /// </summary>
    public static async Task<IReadOnlyList<TResult>> SubOrchestrationsAsync<TInput, TResult>(TaskOrchestrationContext context, string orchestrator, IReadOnlyList<TInput> batches)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batches);
        List<TResult> results = new(batches.Count);
        for (int first = 0; first < batches.Count; first += InFlight)
        {
            List<Task<TResult>> window = batches.Skip(first).Take(InFlight).Select((batch, n) =>
                context.CallSubOrchestratorAsync<TResult>(orchestrator, batch, new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-batch-{first + n:D4}" })).ToList();
            RecordFanOut(context, orchestrator, "scheduled", window.Count);
            results.AddRange(await Task.WhenAll(window));
            RecordFanOut(context, orchestrator, "completed", window.Count);
        }

        return results;
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
