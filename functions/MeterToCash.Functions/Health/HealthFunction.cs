using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Health;

/// <summary><c>GET /api/health</c>: 200 when every dependency answers, 503 naming the one that does not.</summary>
public sealed class HealthFunction(HealthCheckService checks, DurableProbeClient durableProbe, TimeProvider time, ILogger<HealthFunction> logger)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable)
    {
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport result;
        using (durableProbe.Use(durable))
        {
            result = await checks.CheckHealthAsync(request.HttpContext.RequestAborted);
        }

        // The answer keeps the shape it had before the platform's health checks ran it: status, checkedAt, dependencies.
        HealthReport report = new(
            result.Status == HealthStatus.Healthy ? HealthRegistration.Healthy : HealthRegistration.Unhealthy,
            time.GetUtcNow(),
            [.. result.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new DependencyHealth(
                e.Key,
                e.Value.Status == HealthStatus.Healthy ? HealthRegistration.Healthy : HealthRegistration.Unhealthy,
                (long)e.Value.Duration.TotalMilliseconds,
                e.Value.Status == HealthStatus.Healthy ? null : Error(e.Value)))]);
        if (!report.IsHealthy)
        {
            logger.Unhealthy(string.Join(", ", report.Dependencies.Where(d => d.Status != HealthRegistration.Healthy).Select(d => $"{d.Name}: {d.Error}")));
        }

        return new ObjectResult(report) { StatusCode = report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }

    static string Error(HealthReportEntry entry) => entry.Exception switch
    {
        null or OperationCanceledException => $"no answer within {HealthRegistration.Timeout.TotalSeconds:0} s",
        Exception e => e.GetType().Name + ": " + e.Message.Split('\n', 2)[0].Trim(),
    };
}
