using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Forecasting;

/// <summary>
/// The forecast API: weather uploads (<c>PUT /api/weather/{station}</c>), an area's forecast next to its actuals
/// (<c>GET /api/areas/{area}/forecast?day=</c>) and backtests (<c>POST /api/forecasts/backtests</c>).
/// </summary>
public sealed class ForecastFunctions(
    WeatherStore weather,
    ForecastStore forecasts,
    AreaLoadReader loads,
    AreaForecaster forecaster,
    ArchiveStore archive,
    TimeProvider time,
    IOptions<ForecastOptions> options,
    ILogger<ForecastFunctions> logger)
{
    /// <summary>Most held-out weeks of a backtest.</summary>
    public const int MaxWeeks = 8;

    /// <summary>The backtest goal: model MAPE at most this share of seasonal naive's.</summary>
    public const double Goal = 0.8;

    static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Loads a station's temperatures from CSV (<c>timestamp,temperature[,kind]</c>, kind observation|forecast). Readings
    /// are merged per station-day: an observation replaces a forecast, a repeated upload changes nothing. 200 with counts.
    /// </summary>
    [Function(nameof(PutWeather))]
    public async Task<IActionResult> PutWeather(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "weather/{station}")] HttpRequest request,
        string station)
    {
        if (!ForecastCsv.IsStation(station))
        {
            return Problems.Validation("station", "code-format", "Station codes are 1–32 letters, digits, '-' or '_'.");
        }

        (string? text, ObjectResult? problem) = await ReadCsvAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        (IReadOnlyList<WeatherReading> rows, IReadOnlyList<ValidationError> errors) = ForecastCsv.ParseWeather(text!);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        int written = await weather.MergeAsync(station, rows, request.HttpContext.RequestAborted);
        DateOnly[] days = [.. rows.Select(r => ChinaTime.LocalDay(r.Instant)).Distinct().Order()];
        logger.WeatherLoaded(station, rows.Count, days.Length, written);
        return new OkObjectResult(new WeatherUploadDto(station, rows.Count, rows.Count(r => r.Kind == WeatherKind.Observation), rows.Count(r => r.Kind == WeatherKind.Forecast),
            Text(days[0]), Text(days[^1]), days.Length, written));
    }

    /// <summary>A station's temperatures per 15-minute slot, days from–to (inclusive, at most 31).</summary>
    [Function(nameof(GetWeather))]
    public async Task<IActionResult> GetWeather(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "weather/{station}")] HttpRequest request,
        string station)
    {
        List<ValidationError> errors = [];
        if (!ForecastCsv.IsStation(station))
        {
            errors.Add(new("station", "code-format", "Station codes are 1–32 letters, digits, '-' or '_'."));
        }

        (DateOnly from, DateOnly to) = QueryRules.DayRange(request, 31, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        IReadOnlyDictionary<DateOnly, double[]> days = await weather.RangeAsync(station, from, to, request.HttpContext.RequestAborted);
        return new OkObjectResult(new
        {
            station,
            from = Text(from),
            to = Text(to),
            unit = "°C",
            intervalMinutes = AreaLoadSeries.SlotMinutes,
            days = days.OrderBy(d => d.Key).Select(d => new { day = Text(d.Key), temperatures = d.Value.Select(v => double.IsNaN(v) ? (double?)null : Math.Round(v, 2)) }),
        });
    }

    /// <summary>
    /// An area's stored forecast of a day next to the actual load (from the meter data, once enough meters reported
    /// each slot), with MAPE and peak error when at least 90 slots have both.
    /// </summary>
    [Function(nameof(GetAreaForecast))]
    public async Task<IActionResult> GetAreaForecast(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "areas/{areaCode}/forecast")] HttpRequest request,
        string areaCode)
    {
        List<ValidationError> errors = [];
        QueryRules.AreaCode(areaCode, errors);
        DateOnly day = QueryRules.Day(request, errors);
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        if (await archive.FindNodeAsync(NetworkLevel.TransformerArea, areaCode, ct) is not { } area)
        {
            return Problems.NotFound($"No transformer area '{areaCode}' in the network archive.");
        }

        StoredForecast? forecast = await forecasts.FindAsync(areaCode, day, ct);
        AreaDayLoad actual = day <= ChinaTime.LocalDay(time.GetUtcNow()) ? await loads.DayAsync(area, day, ct) : new AreaDayLoad([.. Enumerable.Repeat(double.NaN, 96)], 0);
        LoadDayKind kind = (await forecaster.KindsAsync(day, day, ct))(day);
        DateTimeOffset start = ChinaTime.DayStart(day);
        List<ForecastPointDto> points = [.. Enumerable.Range(0, AreaLoadSeries.SlotsPerDay).Select(s => new ForecastPointDto(
            s, start.AddMinutes(s * AreaLoadSeries.SlotMinutes).ToOffset(ChinaTime.Offset), forecast?.Kw[s], double.IsNaN(actual.Kw[s]) ? null : actual.Kw[s]))];
        double? mape = null, peak = null;
        int actualSlots = actual.Kw.Count(v => !double.IsNaN(v));
        if (forecast is not null && actualSlots >= 90)
        {
            bool[] scored = ForecastAccuracy.ScorablePoints(actual.Kw, forecast.Kw);
            ForecastAccuracy accuracy = ForecastAccuracy.Score([(forecast.Kw, actual.Kw)], (_, s) => scored[s]);
            (mape, peak) = (accuracy.Mape, accuracy.PeakError);
        }

        return new OkObjectResult(new AreaForecastDto(areaCode, Text(day), kind.ToString(), "kW", AreaLoadSeries.SlotMinutes, forecast is not null, forecast?.ModelVersion, forecast?.IssuedAt,
            forecast is null ? null : Text(forecast.TrainedThrough), forecast?.TrainingDays, forecast?.Station, forecast?.UsesTemperature, actualSlots, actual.Meters,
            forecast?.Kw.Max(), actualSlots == 0 ? null : actual.Kw.Where(v => !double.IsNaN(v)).Max(), mape, peak, points));
    }

    /// <summary>
    /// Backtests the model against seasonal naive (<see cref="ForecastBacktest"/>). Either JSON
    /// <c>{"area":"TA0001","weeks":4,"to":"yyyy-MM-dd"}</c> (the stored load of an area; <c>to</c> defaults to yesterday),
    /// or a CSV history (<c>Content-Type: text/csv</c>, <c>timestamp,kw[,temperature]</c>) with <c>?weeks=</c>. Synchronous:
    /// a few models are trained (one per held-out week, a few seconds each).
    /// </summary>
    [Function(nameof(RunBacktest))]
    public async Task<IActionResult> RunBacktest(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "forecasts/backtests")] HttpRequest request)
    {
        CancellationToken ct = request.HttpContext.RequestAborted;
        bool csv = request.ContentType is { } type && (type.Contains("text/csv", StringComparison.OrdinalIgnoreCase) || type.Contains("application/csv", StringComparison.OrdinalIgnoreCase));
        AreaLoadSeries series;
        string source;
        int weeks;
        Func<DateOnly, LoadDayKind> kinds;
        if (csv)
        {
            List<ValidationError> errors = [];
            weeks = Weeks(request.Query["weeks"].FirstOrDefault(), "weeks", errors);
            if (errors.Count > 0)
            {
                return RequestJson.Invalid(errors);
            }

            (string? text, ObjectResult? problem) = await ReadCsvAsync(request);
            if (problem is not null)
            {
                return problem;
            }

            (IReadOnlyList<LoadObservation> rows, IReadOnlyList<ValidationError> rowErrors) = ForecastCsv.ParseLoad(text!);
            if (rowErrors.Count > 0)
            {
                return RequestJson.Invalid(rowErrors);
            }

            series = AreaLoadSeries.FromObservations(rows);
            source = "upload";
            kinds = await forecaster.KindsAsync(series.FirstDay!.Value, series.LastDay!.Value, ct);
        }
        else
        {
            (BacktestRequest? body, ObjectResult? problem) = await RequestJson.ReadAsync<BacktestRequest>(request, RequestOptions, 64 * 1024);
            if (problem is not null)
            {
                return problem;
            }

            List<ValidationError> errors = [];
            DateOnly yesterday = ChinaTime.LocalDay(time.GetUtcNow()).AddDays(-1), to = yesterday;
            if (body!.Area is not { } area)
            {
                errors.Add(new("area", "required", "'area' is required (or send a CSV history with Content-Type text/csv)."));
                area = string.Empty;
            }
            else if (!ArchiveValidator.IsKey(area, ArchiveValidator.MaxCodeLength))
            {
                errors.Add(new("area", "code-format", "Area codes are 1–32 letters, digits, '-' or '_'."));
            }

            weeks = Weeks(body.Weeks?.ToString(CultureInfo.InvariantCulture), "weeks", errors);
            if (body.To is { } toText && (!DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out to) || to.Year is < 2000 or > 2099 || to > yesterday))
            {
                errors.Add(new("to", "date-format", "'to' is a China-local day yyyy-MM-dd, no later than yesterday."));
            }

            if (errors.Count > 0)
            {
                return RequestJson.Invalid(errors);
            }

            if (await archive.FindNodeAsync(NetworkLevel.TransformerArea, area, ct) is null)
            {
                return Problems.NotFound($"No transformer area '{area}' in the network archive.");
            }

            DateOnly from = to.AddDays(1 - (weeks * 7) - LoadForecaster.TrainingWindowDays - LoadFeatures.SameKindSearchDays);
            (series, _) = await forecaster.HistoryAsync(area, from, to, to, ct);
            source = "area " + area;
            kinds = await forecaster.KindsAsync(from, to, ct);
        }

        (BacktestResult? result, string? reason) = ForecastBacktest.Run(series, kinds, weeks);
        if (result is null)
        {
            return Problems.Validation("series", "history-too-short", reason!, StatusCodes.Status422UnprocessableEntity);
        }

        return new OkObjectResult(new BacktestDto(source, Text(result.HeldOutFrom), Text(result.HeldOutTo), weeks, LoadForecaster.ModelVersion, result.UsesTemperature,
            result.Model, result.Naive, result.Ratio, Goal, result.Ratio <= Goal, result.Trainings, result.TrainingMilliseconds,
            "Per held-out week, a model trained on the 91 days before it forecasts each day from loads at least two days old; seasonal naive is the latest same-kind day at least a week before; both are scored on the same points (actual ≥ 5 % of its day's mean).",
            result.Days));
    }

    static int Weeks(string? text, string field, List<ValidationError> errors)
    {
        if (text is null)
        {
            return 4;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int weeks) && weeks is >= 1 and <= MaxWeeks)
        {
            return weeks;
        }

        errors.Add(new(field, "range", string.Create(CultureInfo.InvariantCulture, $"'{field}' is a whole number from 1 to {MaxWeeks}.")));
        return 4;
    }

    /// <summary>Reads a CSV body: text/csv, at most <see cref="ForecastOptions.MaxUploadBytes"/>, valid UTF-8.</summary>
    async Task<(string? Text, ObjectResult? Problem)> ReadCsvAsync(HttpRequest request)
    {
        long max = options.Value.MaxUploadBytes;
        if (request.ContentType is not { } type || !(type.Contains("text/csv", StringComparison.OrdinalIgnoreCase) || type.Contains("application/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.Validation("Content-Type", "csv-required", "Send the body as text/csv.", StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > max)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {max:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        using MemoryStream buffer = new();
        try
        {
            await RequestJson.CopyBoundedAsync(request.Body, buffer, max, request.HttpContext.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {max:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.Validation("body", "utf8", "The CSV must be UTF-8 text."));
        }
    }

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
