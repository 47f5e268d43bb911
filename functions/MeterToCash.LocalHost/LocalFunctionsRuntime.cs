using System.Reflection;
using MeterToCash.LocalHost.Discovery;
using MeterToCash.LocalHost.Durable;
using MeterToCash.LocalHost.Http;
using MeterToCash.LocalHost.Storage;
using MeterToCash.LocalHost.Timers;

namespace MeterToCash.LocalHost;

/// <summary>Wires the discovered functions to the local triggers: HTTP routes, timers and the durable engine.</summary>
internal static class LocalFunctionsRuntime
{
    public static IServiceCollection AddLocalFunctionsRuntime(this IServiceCollection services, IReadOnlyList<FunctionDescriptor> functions, IConfiguration configuration)
    {
        services.AddOptions<FunctionKeyOptions>().BindConfiguration(FunctionKeyOptions.Section);

        // Binding is checked here, before the host starts, so an unbindable parameter stops start-up with its name.
        List<FunctionInvoker> durable = functions.Where(FunctionTaskRegistration.IsDurable)
            .Select(f => new FunctionInvoker(f, FunctionTaskRegistration.NoExtraBinding)).ToList();
        services.AddDurableEngine(configuration, durable);

        foreach (FunctionDescriptor timer in functions.Where(f => f.Trigger == TriggerKind.Timer))
        {
            if (timer.TriggerParameter.ParameterType != typeof(Microsoft.Azure.Functions.Worker.TimerInfo))
            {
                throw FunctionInvoker.Unbindable(timer, timer.TriggerParameter, "[TimerTrigger] must be a TimerInfo");
            }

            services.AddSingleton(new TimerFunction(new FunctionInvoker(timer, FunctionTaskRegistration.NoExtraBinding), configuration));
        }

        services.AddSingleton<TimerFunctionScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerFunctionScheduler>());
        return services;
    }

    /// <summary>
    /// The Functions host's admin API, for what a developer needs locally: list functions, fire a timer now; and, when
    /// <c>LocalHost:CountStorageRequests</c> is on, the app's storage requests so far (<see cref="StorageRequestCounter"/>).
    /// </summary>
    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints, IReadOnlyList<FunctionDescriptor> functions)
    {
        endpoints.MapGet("/admin/functions", (HttpRequest request, Microsoft.Extensions.Options.IOptions<FunctionKeyOptions> keys) =>
            HttpFunctionEndpoints.IsAuthorized(request, Microsoft.Azure.Functions.Worker.AuthorizationLevel.Admin, keys.Value)
                ? Results.Ok(functions.Select(f => new { name = f.Name, trigger = f.Trigger.ToString() }))
                : Results.StatusCode(StatusCodes.Status401Unauthorized));

        endpoints.MapPost("/admin/functions/{name}", async (string name, HttpRequest request, Microsoft.Extensions.Options.IOptions<FunctionKeyOptions> keys, TimerFunctionScheduler scheduler, IHostApplicationLifetime lifetime) =>
        {
            if (!HttpFunctionEndpoints.IsAuthorized(request, Microsoft.Azure.Functions.Worker.AuthorizationLevel.Admin, keys.Value))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            TimerFunction? timer = scheduler.Find(name);
            if (timer is null)
            {
                return Results.Problem(title: "No such timer function", detail: $"'{name}' is not a timer-triggered function.", statusCode: StatusCodes.Status404NotFound);
            }

            // Like the host: accepted at once, run in the background.
            _ = Task.Run(() => scheduler.FireAsync(timer, isPastDue: false, lifetime.ApplicationStopping));
            return Results.Accepted();
        });

        endpoints.MapGet("/admin/storage-requests", (HttpRequest request, Microsoft.Extensions.Options.IOptions<FunctionKeyOptions> keys, IServiceProvider services) =>
        {
            if (!HttpFunctionEndpoints.IsAuthorized(request, Microsoft.Azure.Functions.Worker.AuthorizationLevel.Admin, keys.Value))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return services.GetService<StorageRequestCounter>() is { } counter
                ? Results.Ok(counter.Snapshot())
                : Results.Problem(title: "Not counting", detail: "Storage requests are counted only with LocalHost__CountStorageRequests=true.", statusCode: StatusCodes.Status404NotFound);
        });
    }

    public static Assembly FunctionsAssembly => typeof(MeterToCash.Functions.MeterToCashServices).Assembly;
}
