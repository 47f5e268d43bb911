using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Forecasting;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Forecast run {RunId} for {Day} started (past due: {PastDue})")]
    public static partial void ForecastRunStarted(this ILogger logger, string runId, DateOnly day, bool pastDue);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Forecast run {RunId}: {Areas} areas, {Forecast} forecast, {Skipped} skipped, {Milliseconds} ms of area work")]
    public static partial void ForecastRunCompleted(this ILogger logger, string runId, int areas, int forecast, int skipped, long milliseconds);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Area {Area} forecast for {Day}: {Outcome}")]
    public static partial void AreaForecast(this ILogger logger, string area, DateOnly day, string outcome);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Weather for station {Station}: {Readings} readings, {DaysWritten} of {Days} station-days written")]
    public static partial void WeatherLoaded(this ILogger logger, string station, int readings, int days, int daysWritten);
}
