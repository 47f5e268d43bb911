using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Load;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Area {Area}: {Level} episode from {Start} raised")]
    public static partial void LoadEpisodeRaised(this ILogger logger, string area, string level, DateTimeOffset start);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Line-loss evaluation {EvaluationId} of {Day} started (past due: {PastDue})")]
    public static partial void LineLossStarted(this ILogger logger, string evaluationId, DateOnly day, bool pastDue);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Line-loss evaluation {EvaluationId} completed: {Areas} areas, {Computable} computable, {High} high, {Negative} negative, {Suspicions} theft suspicions")]
    public static partial void LineLossCompleted(this ILogger logger, string evaluationId, int areas, int computable, int high, int negative, int suspicions);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Area {Area}: theft suspicion since {FirstHighDay}, {Suspects} meters named")]
    public static partial void TheftSuspected(this ILogger logger, string area, DateOnly firstHighDay, int suspects);
}
