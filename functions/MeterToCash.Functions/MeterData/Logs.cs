using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.MeterData;

internal static partial class Logs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Curve retention: {Tables} day tables before {OldestKept} dropped (past due: {PastDue})")]
    public static partial void CurvesPurged(this ILogger logger, int tables, DateOnly oldestKept, bool pastDue);
}
