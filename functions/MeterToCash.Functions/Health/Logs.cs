using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Health;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Health check failed: {Failures}")]
    public static partial void Unhealthy(this ILogger logger, string failures);
}
