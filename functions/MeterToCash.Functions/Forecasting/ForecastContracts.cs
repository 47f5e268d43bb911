using MeterToCash.Domain.Forecasting;

namespace MeterToCash.Functions.Forecasting;

/// <summary>Input of a forecast run: the China-local day forecast, the areas (null = all), and the issue instant stored with each forecast.</summary>
public sealed record ForecastRunInput(DateOnly Target, IReadOnlyList<string>? Areas, DateTimeOffset IssuedAt);

/// <summary>One activity's share of a run: a few areas, forecast in sequence.</summary>
public sealed record ForecastWork(DateOnly Target, IReadOnlyList<string> Areas, DateTimeOffset IssuedAt);

/// <summary>What a run (or part of it) did.</summary>
/// <param name="Areas">Areas processed.</param>
/// <param name="Forecast">Areas with a stored forecast.</param>
/// <param name="Skipped">Areas without one (too little history).</param>
/// <param name="SkippedExamples">Up to 20 skipped areas with the reason, for the operator.</param>
/// <param name="TrainingMilliseconds">Wall-clock time of all areas' work, ms (reads, training, prediction, write).</param>
public sealed record ForecastRunSummary(int Areas, int Forecast, int Skipped, IReadOnlyList<string> SkippedExamples, long TrainingMilliseconds)
{
    public static readonly ForecastRunSummary Zero = new(0, 0, 0, [], 0);

    public static ForecastRunSummary operator +(ForecastRunSummary a, ForecastRunSummary b) =>
        new(a.Areas + b.Areas, a.Forecast + b.Forecast, a.Skipped + b.Skipped, [.. a.SkippedExamples.Concat(b.SkippedExamples).Take(20)], a.TrainingMilliseconds + b.TrainingMilliseconds);
}

/// <summary>Request body of <c>POST /api/forecasts/runs</c>: target day (default tomorrow, China local) and areas (default all).</summary>
public sealed record ForecastRunRequest(string? Day, IReadOnlyList<string>? Areas);

/// <summary>A run as the API reports it.</summary>
public sealed record ForecastRunStatusDto(string Id, string Status, string Day, ForecastRunSummary? Summary, string? Failure);

/// <summary>Request body of <c>POST /api/forecasts/backtests</c> for a stored area: held-out weeks end on <c>to</c> (default yesterday), inclusive.</summary>
public sealed record BacktestRequest(string? Area, int? Weeks, string? To);

/// <summary>One point of a forecast next to its actual.</summary>
/// <param name="Slot">0–95.</param>
/// <param name="Start">Slot start, China local (+08:00).</param>
/// <param name="ForecastKw">Forecast average kW; null when there is no forecast.</param>
/// <param name="ActualKw">Actual average kW once enough meters reported the slot; null before.</param>
public sealed record ForecastPointDto(int Slot, DateTimeOffset Start, double? ForecastKw, double? ActualKw);

/// <summary>Response of <c>GET /api/areas/{area}/forecast?day=</c>.</summary>
public sealed record AreaForecastDto(
    string Area, string Day, string DayKind, string Unit, int IntervalMinutes, bool HasForecast, string? ModelVersion, DateTimeOffset? IssuedAt,
    string? TrainedThrough, int? TrainingDays, string? Station, bool? UsesTemperature, int ActualSlots, int ActualMeters,
    double? ForecastPeakKw, double? ActualPeakKw, double? Mape, double? PeakError, IReadOnlyList<ForecastPointDto> Points);

/// <summary>Response of <c>POST /api/forecasts/backtests</c>.</summary>
public sealed record BacktestDto(
    string Source, string HeldOutFrom, string HeldOutTo, int Weeks, string ModelVersion, bool UsesTemperature, ForecastAccuracy Model, ForecastAccuracy SeasonalNaive,
    double Ratio, double Goal, bool MeetsGoal, int Trainings, long TrainingMilliseconds, string Method, IReadOnlyList<BacktestDay> Days);

/// <summary>Response of <c>PUT /api/weather/{station}</c>.</summary>
public sealed record WeatherUploadDto(string Station, int Readings, int Observations, int Forecasts, string From, string To, int Days, int DaysWritten);
