using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using MeterToCash.LocalHost.Discovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.LocalHost.Http;

/// <summary>Keys the LocalHost accepts, from local settings (the Functions host keeps them in its key store).</summary>
internal sealed class FunctionKeyOptions
{
    public const string Section = "LocalHost";

    /// <summary>Key for <see cref="AuthorizationLevel.Function"/> routes (<c>LocalHost__FunctionKey</c>).</summary>
    public string FunctionKey { get; set; } = string.Empty;

    /// <summary>Master key: every route, admin endpoints included (<c>LocalHost__MasterKey</c>).</summary>
    public string MasterKey { get; set; } = string.Empty;
}

/// <summary>Maps every HTTP-triggered function to its route under <c>/api</c>, enforcing its authorization level.</summary>
internal static class HttpFunctionEndpoints
{
    public const string RoutePrefix = "api";

    public static IReadOnlyList<string> MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions)
    {
        List<string> mapped = [];
        foreach (FunctionDescriptor function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            HttpTriggerAttribute trigger = (HttpTriggerAttribute)function.TriggerAttribute;
            if (!typeof(HttpRequest).IsAssignableFrom(function.TriggerParameter.ParameterType))
            {
                throw FunctionInvoker.Unbindable(function, function.TriggerParameter, "HTTP triggers are run with ASP.NET Core integration and take an HttpRequest");
            }

            string route = $"{RoutePrefix}/{(trigger.Route ?? function.Name).TrimStart('/')}";
            RoutePattern pattern = RoutePatternFactory.Parse(route);
            FunctionInvoker invoker = new(function, p => BindRouteValue(pattern, p));
            string[] methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

            endpoints.MapMethods(route, methods, context => InvokeAsync(context, invoker, trigger.AuthLevel))
                .WithDisplayName(function.Name);
            mapped.Add($"{string.Join(",", methods),-16} /{route} [{trigger.AuthLevel}] -> {function.Name}");
        }

        return mapped;
    }

    static async Task InvokeAsync(HttpContext context, FunctionInvoker invoker, AuthorizationLevel level)
    {
        FunctionKeyOptions keys = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<FunctionKeyOptions>>().Value;
        if (!IsAuthorized(context.Request, level, keys))
        {
            // The Functions host answers a missing or wrong key with a bare 401.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        object? result;
        try
        {
            result = await invoker.InvokeAsync(new InvocationScope(context.RequestServices, context.Request, context.RequestAborted, name => context.GetRouteValue(name)));
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // What the app's worker middleware (UnhandledErrorsMiddleware) does on Azure: problem+json, never a bare 500.
            ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MeterToCash.LocalHost.Http." + invoker.Function.Name);
            await MeterToCash.Functions.Infrastructure.UnhandledErrors.WriteAsync(e, context, logger);
            return;
        }

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                if (!context.Response.HasStarted && invoker.ResultType == typeof(void))
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                }

                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType());
                break;
        }
    }

    internal static bool IsAuthorized(HttpRequest request, AuthorizationLevel level, FunctionKeyOptions keys)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        string? presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        bool master = FixedTimeEquals(presented, keys.MasterKey);
        return level switch
        {
            AuthorizationLevel.Function => master || FixedTimeEquals(presented, keys.FunctionKey),
            _ => master,
        };
    }

    static bool FixedTimeEquals(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    static Func<InvocationScope, object?>? BindRouteValue(RoutePattern pattern, ParameterInfo parameter)
    {
        if (pattern.GetParameter(parameter.Name!) is null)
        {
            return null;
        }

        TypeConverter converter = TypeDescriptor.GetConverter(parameter.ParameterType);
        return scope =>
        {
            object? raw = scope.NamedValue?.Invoke(parameter.Name!);
            return raw is null || parameter.ParameterType.IsInstanceOfType(raw)
                ? raw
                : converter.ConvertFromString(null, CultureInfo.InvariantCulture, Convert.ToString(raw, CultureInfo.InvariantCulture)!);
        };
    }
}
