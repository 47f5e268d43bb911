using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>What every workflow's status endpoint reports about how a run ended.</summary>
public static class DurableStatus
{
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
