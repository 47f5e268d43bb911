using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>What every workflow's status endpoint reports about a run and how it ended.</summary>
public static class DurableStatus
{
    /// <summary>Longest instance id a status endpoint looks up: the app's ids are far shorter, so a longer one is no run of it.</summary>
    public const int MaxIdLength = 64;

    /// <summary>
    /// The run <paramref name="id"/> of the workflow whose instance ids start with <paramref name="prefix"/>, with its input,
    /// its output once completed and, for a failed or terminated run, why (<see cref="Error"/>). Null when the id is not
    /// one of that workflow (other prefix, longer than <see cref="MaxIdLength"/>), no such instance exists, or it has no input.
    /// </summary>
    public static async Task<DurableRun<TInput, TOutput>?> FindAsync<TInput, TOutput>(DurableTaskClient client, string prefix, string id, CancellationToken cancellationToken)
        where TInput : class
        where TOutput : class
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        if (!id.StartsWith(prefix, StringComparison.Ordinal) || id.Length > MaxIdLength
            || await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is not { } instance
            || instance.ReadInputAs<TInput>() is not { } input)
        {
            return null;
        }

        TOutput? output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<TOutput>() : null;
        return new DurableRun<TInput, TOutput>(id, instance.RuntimeStatus.ToString(), input, output, Error(instance));
    }

    /// <summary>
    /// Why a run failed or was terminated, never empty for such a run: the failure's message, else its type, else a
    /// sentence saying so and naming the instance to look up in the log. Null for a run that has not failed.
    /// </summary>
    public static string? Error(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Failed => NonEmpty(instance.FailureDetails?.ErrorMessage)
                ?? NonEmpty(instance.FailureDetails?.ErrorType)
                ?? $"The run failed without a recorded reason; look up instance '{instance.InstanceId}' in the host log.",
            OrchestrationRuntimeStatus.Terminated => NonEmpty(instance.SerializedOutput) is { } reason ? "Terminated: " + reason.Trim('"') : "Terminated by an operator.",
            _ => NonEmpty(instance.FailureDetails?.ErrorMessage),
        };
    }

    static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
