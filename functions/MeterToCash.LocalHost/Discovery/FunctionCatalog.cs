using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.LocalHost.Discovery;

/// <summary>What kind of trigger starts a function.</summary>
internal enum TriggerKind
{
    Http,
    Timer,
    Orchestration,
    Activity,
}

/// <summary>One <c>[Function]</c> method of the app, with the trigger that starts it.</summary>
internal sealed record FunctionDescriptor(string Name, MethodInfo Method, TriggerKind Trigger, ParameterInfo TriggerParameter, Attribute TriggerAttribute)
{
    public override string ToString() => $"{Method.DeclaringType?.FullName}.{Method.Name} ([Function(\"{Name}\")])";
}

/// <summary>A function the LocalHost cannot run; start-up fails with this message.</summary>
internal sealed class FunctionBindingException(string message) : Exception(message);

/// <summary>Finds the <c>[Function]</c> methods of the Functions app assembly, as the Functions host's indexer does.</summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly) => Discover(assembly.GetTypes());

    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types)
    {
        List<FunctionDescriptor> functions = [];
        foreach (Type type in types)
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                FunctionAttribute? function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is not null)
                {
                    functions.Add(Describe(function.Name, method));
                }
            }
        }

        IGrouping<string, FunctionDescriptor>? duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FunctionBindingException($"Function name '{duplicate.Key}' is declared more than once: {string.Join(", ", duplicate)}.");
        }

        return functions;
    }

    static FunctionDescriptor Describe(string name, MethodInfo method)
    {
        List<(ParameterInfo Parameter, Attribute Attribute, TriggerKind Kind)> triggers = [];
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            foreach (Attribute attribute in parameter.GetCustomAttributes())
            {
                TriggerKind? kind = attribute switch
                {
                    HttpTriggerAttribute => TriggerKind.Http,
                    TimerTriggerAttribute => TriggerKind.Timer,
                    OrchestrationTriggerAttribute => TriggerKind.Orchestration,
                    ActivityTriggerAttribute => TriggerKind.Activity,
                    _ => null,
                };
                if (kind is not null)
                {
                    triggers.Add((parameter, attribute, kind.Value));
                }
                else if (attribute.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal))
                {
                    throw new FunctionBindingException(
                        $"Function '{name}' ({method.DeclaringType?.FullName}.{method.Name}): parameter '{parameter.Name}' uses [{attribute.GetType().Name}], a trigger the LocalHost does not run.");
                }
            }
        }

        return triggers.Count switch
        {
            1 => new FunctionDescriptor(name, method, triggers[0].Kind, triggers[0].Parameter, triggers[0].Attribute),
            0 => throw new FunctionBindingException($"Function '{name}' ({method.DeclaringType?.FullName}.{method.Name}) has no trigger parameter the LocalHost knows."),
            _ => throw new FunctionBindingException($"Function '{name}' ({method.DeclaringType?.FullName}.{method.Name}) has more than one trigger parameter."),
        };
    }
}
