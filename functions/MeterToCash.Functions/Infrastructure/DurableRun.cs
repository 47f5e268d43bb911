namespace MeterToCash.Functions.Infrastructure;

/// <summary>A workflow run as its status endpoint reads it (<see cref="DurableStatus.FindAsync"/>).</summary>
/// <param name="Id">The orchestration instance id.</param>
/// <param name="Status">The runtime status by name: Pending, Running, Completed, Failed, Terminated, …</param>
/// <param name="Input">What the run was started with.</param>
/// <param name="Output">What the run returned; null until it has completed.</param>
/// <param name="Failure">Why the run failed or was terminated (<see cref="DurableStatus.Error"/>); null otherwise.</param>
public sealed record DurableRun<TInput, TOutput>(string Id, string Status, TInput Input, TOutput? Output, string? Failure)
    where TInput : class
    where TOutput : class;
