using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Health;

/// <summary><c>GET /api/health</c>: 200 when every dependency answers, 503 naming the one that does not.</summary>
public sealed class HealthFunction(HealthChecks checks, ILogger<HealthFunction> logger)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable)
    {
        HealthReport report = await checks.CheckAsync(durable, request.HttpContext.RequestAborted);
        if (!report.IsHealthy)
        {
            logger.Unhealthy(string.Join(", ", report.Dependencies.Where(d => d.Status != HealthChecks.Healthy).Select(d => $"{d.Name}: {d.Error}")));
        }

        return new ObjectResult(report) { StatusCode = report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
