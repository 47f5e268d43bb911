using System.Reflection;
using System.Text.Json;
using MeterToCash.LocalHost.Discovery;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;

namespace MeterToCash.LocalHost.Durable;

/// <summary>
/// An orchestrator function run by the Durable Task worker. Function-based orchestrators read their input with
/// <c>context.GetInput&lt;T&gt;()</c> for a T only the body knows, so the raw JSON is kept and converted on request.
/// </summary>
internal sealed class FunctionOrchestrator(FunctionInvoker invoker, IServiceProvider services, DataConverter converter) : ITaskOrchestrator
{
    public Type InputType => typeof(JsonElement?);

    public Type OutputType => invoker.ResultType == typeof(void) ? typeof(object) : invoker.ResultType;

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        string? raw = input is JsonElement element ? element.GetRawText() : null;
        InputConvertingContext wrapped = new(context, raw, converter);
        return invoker.InvokeAsync(new InvocationScope(services, wrapped, CancellationToken.None));
    }
}

/// <summary>An activity function: its <c>[ActivityTrigger]</c> parameter type is the activity's input type.</summary>
internal sealed class FunctionActivity(FunctionInvoker invoker, IServiceProvider services) : ITaskActivity
{
    public Type InputType => invoker.Function.TriggerParameter.ParameterType;

    public Type OutputType => invoker.ResultType == typeof(void) ? typeof(object) : invoker.ResultType;

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        return await invoker.InvokeAsync(new InvocationScope(scope.ServiceProvider, input, CancellationToken.None));
    }
}

/// <summary>Delegates to the worker's context, converting the kept raw input to whatever type the orchestrator asks for.</summary>
internal sealed class InputConvertingContext(TaskOrchestrationContext inner, string? rawInput, DataConverter converter) : TaskOrchestrationContext
{
    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override string Version => inner.Version;

    public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

    public override TaskOrchestrationEntityFeature Entities => inner.Entities;

    protected override ILoggerFactory LoggerFactory => inner.ReplaySafeLoggerFactory;

    public override T GetInput<T>() => rawInput is null ? default! : (T)converter.Deserialize(rawInput, typeof(T))!;

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
        inner.CallActivityAsync<TResult>(name, input, options);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() => inner.NewGuid();
}

/// <summary>Registers the app's orchestrator and activity functions with the Durable Task worker by function name.</summary>
internal static class FunctionTaskRegistration
{
    public static void Register(DurableTaskRegistry registry, IEnumerable<FunctionInvoker> invokers, IServiceProvider services, DataConverter converter)
    {
        foreach (FunctionInvoker invoker in invokers)
        {
            switch (invoker.Function.Trigger)
            {
                case TriggerKind.Orchestration:
                    if (invoker.Function.TriggerParameter.ParameterType != typeof(TaskOrchestrationContext))
                    {
                        throw FunctionInvoker.Unbindable(invoker.Function, invoker.Function.TriggerParameter, "[OrchestrationTrigger] must be a TaskOrchestrationContext");
                    }

                    FunctionOrchestrator orchestrator = new(invoker, services, converter);
                    registry.AddOrchestrator(invoker.Function.Name, () => orchestrator);
                    break;
                case TriggerKind.Activity:
                    registry.AddActivity(invoker.Function.Name, sp => new FunctionActivity(invoker, sp));
                    break;
            }
        }
    }

    public static bool IsDurable(FunctionDescriptor function) => function.Trigger is TriggerKind.Orchestration or TriggerKind.Activity;

    public static Func<InvocationScope, object?>? NoExtraBinding(ParameterInfo parameter) => null;
}
