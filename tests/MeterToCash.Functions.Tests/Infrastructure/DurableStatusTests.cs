using MeterToCash.Functions.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>How a status endpoint words the end of a run: a failed or terminated run always carries a reason.</summary>
public sealed class DurableStatusTests
{
    const string InstanceId = "daily-vee-20260916";

    [Fact]
    public void Error_FailedWithoutFailureDetails_SaysNoReasonWasRecordedAndNamesTheInstance()
    {
        string? error = DurableStatus.Error(Instance(OrchestrationRuntimeStatus.Failed));

        Assert.NotNull(error);
        Assert.Contains("without a recorded reason", error, StringComparison.Ordinal);
        Assert.Contains($"'{InstanceId}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_FailedWithEmptyMessage_GivesTheErrorType()
    {
        TaskFailureDetails details = new(typeof(InvalidOperationException).FullName!, " ", null, null, null);

        Assert.Equal(details.ErrorType, DurableStatus.Error(Instance(OrchestrationRuntimeStatus.Failed, details)));
    }

    [Fact]
    public void Error_FailedWithMessage_GivesTheMessage()
    {
        TaskFailureDetails details = new(typeof(InvalidOperationException).FullName!, "Task 'ListVeeAreas' (#0) failed: table not found", null, null, null);

        Assert.Equal(details.ErrorMessage, DurableStatus.Error(Instance(OrchestrationRuntimeStatus.Failed, details)));
    }

    [Fact]
    public void Error_TerminatedWithAndWithoutReason_SaysSo()
    {
        Assert.Equal("Terminated: wrong day", DurableStatus.Error(Instance(OrchestrationRuntimeStatus.Terminated, output: "\"wrong day\"")));
        Assert.Equal("Terminated by an operator.", DurableStatus.Error(Instance(OrchestrationRuntimeStatus.Terminated)));
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Pending)]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    public void Error_RunNotFailed_IsNull(OrchestrationRuntimeStatus status)
    {
        Assert.Null(DurableStatus.Error(Instance(status)));
    }

    [Fact]
    public void StartIds_ScheduledAndManual_KeepTheirFormat()
    {
        // Running instances and the timers' once-per-day rule depend on these ids.
        DateOnly day = new(2026, 9, 16);
        DateTimeOffset at = new(2026, 9, 17, 1, 2, 3, 456, TimeSpan.FromHours(8));

        Assert.Equal("daily-vee-20260916", DurableStart.DailyId("daily-vee-", day));
        Assert.Equal("daily-vee-20260916-170203456", DurableStart.ManualId("daily-vee-", at, day));
        Assert.Equal("recompute-20260901-20260916-170203456", DurableStart.ManualId("recompute-", at, new DateOnly(2026, 9, 1), day));
    }

    static OrchestrationMetadata Instance(OrchestrationRuntimeStatus status, TaskFailureDetails? details = null, string? output = null) =>
        new("DailyVee", InstanceId) { RuntimeStatus = status, FailureDetails = details, SerializedOutput = output };
}
