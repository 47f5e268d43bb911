using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Load;

internal static partial class Logs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Area {Area}: {Level} episode from {Start} raised")]
    public static partial void LoadEpisodeRaised(this ILogger logger, string area, string level, DateTimeOffset start);

    [LoggerMessage(Level = LogLevel.Information, Message = "Line-loss evaluation {EvaluationId} of {Day} started (past due: {PastDue})")]
    public static partial void LineLossStarted(this ILogger logger, string evaluationId, DateOnly day, bool pastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Line-loss evaluation {EvaluationId} completed: {Areas} areas, {Computable} computable, {High} high, {Negative} negative, {Suspicions} theft suspicions")]
    public static partial void LineLossCompleted(this ILogger logger, string evaluationId, int areas, int computable, int high, int negative, int suspicions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Area {Area}: theft suspicion since {FirstHighDay}, {Suspects} meters named")]
    public static partial void TheftSuspected(this ILogger logger, string area, DateOnly firstHighDay, int suspects);
}
