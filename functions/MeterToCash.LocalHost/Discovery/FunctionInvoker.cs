using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace MeterToCash.LocalHost.Discovery;

/// <summary>What one invocation offers to bind parameters from.</summary>
internal sealed record InvocationScope(IServiceProvider Services, object? TriggerValue, CancellationToken CancellationToken, Func<string, object?>? NamedValue = null);

/// <summary>
/// Binds a function's parameters once at start-up and invokes it per call: a new instance of the function class
/// from DI per invocation (as the isolated worker does), awaiting whatever task it returns.
/// </summary>
internal sealed class FunctionInvoker
{
    readonly FunctionDescriptor function;
    readonly Func<InvocationScope, object?>[] binders;

    public FunctionInvoker(FunctionDescriptor function, Func<ParameterInfo, Func<InvocationScope, object?>?> extraBinder)
    {
        this.function = function;
        binders = function.Method.GetParameters().Select(p => Bind(function, p, extraBinder)).ToArray();
        ResultType = UnwrapTaskType(function.Method.ReturnType);
    }

    /// <summary>The type the function produces once awaited (<see cref="void"/> for none).</summary>
    public Type ResultType { get; }

    public FunctionDescriptor Function => function;

    public async Task<object?> InvokeAsync(InvocationScope scope)
    {
        object? target = function.Method.IsStatic
            ? null
            : ActivatorUtilities.CreateInstance(scope.Services, function.Method.DeclaringType!);
        object?[] arguments = new object?[binders.Length];
        for (int i = 0; i < binders.Length; i++)
        {
            arguments[i] = binders[i](scope);
        }

        object? returned;
        try
        {
            returned = function.Method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        return await AwaitResultAsync(returned);
    }

    static async Task<object?> AwaitResultAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                Type type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (returned is not null && returned.GetType().IsGenericType && returned.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    Task asTask = (Task)returned.GetType().GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                    return await AwaitResultAsync(asTask);
                }

                return returned;
        }
    }

    static Type UnwrapTaskType(Type type)
    {
        if (type == typeof(void) || type == typeof(Task) || type == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return type.GetGenericArguments()[0];
        }

        return type;
    }

    static Func<InvocationScope, object?> Bind(FunctionDescriptor function, ParameterInfo parameter, Func<ParameterInfo, Func<InvocationScope, object?>?> extraBinder)
    {
        if (parameter == function.TriggerParameter)
        {
            return scope => scope.TriggerValue;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return scope => scope.CancellationToken;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null)
        {
            if (parameter.ParameterType != typeof(DurableTaskClient))
            {
                throw Unbindable(function, parameter, "[DurableClient] must be a DurableTaskClient");
            }

            return scope => scope.Services.GetRequiredService<DurableTaskClient>();
        }

        return extraBinder(parameter) ?? throw Unbindable(function, parameter, $"the LocalHost cannot bind a {parameter.ParameterType.Name} here");
    }

    internal static FunctionBindingException Unbindable(FunctionDescriptor function, ParameterInfo parameter, string why) =>
        new($"Function '{function.Name}' ({function.Method.DeclaringType?.FullName}.{function.Method.Name}): parameter '{parameter.Name}' cannot be bound: {why}.");
}
