using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>Where the worker's telemetry goes locally: section <c>Telemetry</c> (<c>Telemetry__Exporter</c>, <c>Telemetry__OtlpEndpoint</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary><c>none</c> (or empty, the default): no exporter; <c>console</c>: spans and metrics to standard output; <c>otlp</c>: to an OTLP collector.</summary>
    public string Exporter { get; init; } = "";

    /// <summary>OTLP endpoint (gRPC, e.g. <c>http://localhost:4317</c>) for <c>Exporter = otlp</c>; unset = the exporter's default or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; init; }
}

/// <summary>
/// OpenTelemetry for the Functions app (and the LocalHost, which runs the same registration).
/// <list type="bullet">
/// <item>In Azure <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set: traces, metrics and logs go to Application
/// Insights with the Azure Monitor exporter, authenticated with Entra ID as <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
/// says (<c>Authorization=AAD;ClientId=…</c>: the user-assigned identity; the resource has local auth disabled).</item>
/// <item>Locally telemetry is off unless <c>Telemetry__Exporter</c> is <c>console</c> or <c>otlp</c>.</item>
/// </list>
/// What is collected: the app's <see cref="MeterToCashTelemetry"/> source and meter; ASP.NET Core request spans and
/// its <c>http.server.request.duration</c> histogram (latency per route); the Azure SDK's spans (tables, blobs,
/// queues: the storage children of a request); the Durable Task SDK's and the Functions worker's spans.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Activity sources collected besides the app's own: Azure SDK clients (storage calls), Durable Task.</summary>
    public static IReadOnlyList<string> ActivitySources { get; } = [MeterToCashTelemetry.Name, "Azure.*", "Microsoft.DurableTask*"];

    /// <summary>Meters collected: the app's, and ASP.NET Core's request duration per route.</summary>
    public static IReadOnlyList<string> Meters { get; } = [MeterToCashTelemetry.Name, "Microsoft.AspNetCore.Hosting"];

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connectionString = configuration[ConnectionStringSetting];
        TelemetryOptions options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
        string exporter = options.Exporter.Trim().ToLowerInvariant();
        if (exporter is not ("" or "none" or "console" or "otlp"))
        {
            throw new InvalidOperationException($"Setting '{TelemetryOptions.Section}__Exporter' is '{options.Exporter}'; use none, console or otlp.");
        }

        bool azureMonitor = !string.IsNullOrWhiteSpace(connectionString);
        if (!azureMonitor && exporter is "" or "none")
        {
            return services; // Off: nothing listens, so the instruments cost a check each.
        }

        // The Azure SDK's ActivitySource spans (one per storage request) are still opt-in; set before any client is
        // created, which is why AddMeterToCash registers telemetry first.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        IOpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .ConfigureResource(resource =>
            {
                // In Azure the Functions resource detector names the service after the site; locally it has no site.
                if (string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]))
                {
                    resource.AddService("metertocash-local");
                }
            })
            .WithTracing(tracing => tracing.AddSource([.. ActivitySources]).AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]));

        if (azureMonitor)
        {
            TokenCredential? credential = EntraAuthentication.Parse(configuration[AuthenticationStringSetting]).Credential();
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                o.Credential = credential;
            });
        }

        if (exporter == "console")
        {
            telemetry.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
        }
        else if (exporter == "otlp")
        {
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter(o => SetEndpoint(o, options.OtlpEndpoint)))
                .WithMetrics(metrics => metrics.AddOtlpExporter(o => SetEndpoint(o, options.OtlpEndpoint)));
        }

        return services;
    }

    static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions options, string? endpoint)
    {
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            options.Endpoint = new Uri(endpoint);
        }
    }
}

/// <summary>
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> as the Functions host reads it: <c>Authorization=AAD</c> for Entra ID
/// auth, with <c>ClientId=…</c> for a user-assigned identity (without it, the system-assigned one). The Azure Monitor
/// exporter does not read the setting itself, so the worker turns it into the exporter's credential.
/// </summary>
public sealed record EntraAuthentication(bool Enabled, string? ClientId)
{
    public static EntraAuthentication Parse(string? value)
    {
        bool aad = false;
        string? clientId = null;
        foreach (string part in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            string key = part[..equals].Trim();
            string setting = part[(equals + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                aad = setting.Equals("AAD", StringComparison.OrdinalIgnoreCase);
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase) && setting.Length > 0)
            {
                clientId = setting;
            }
        }

        return new EntraAuthentication(aad, aad ? clientId : null);
    }

    /// <summary>The managed identity to send with, or null for connection-string (instrumentation key) auth.</summary>
    public TokenCredential? Credential() =>
        !Enabled ? null
        : ClientId is null ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
        : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ClientId));
}
