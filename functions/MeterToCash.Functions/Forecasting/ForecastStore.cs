using System.Globalization;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Forecasting;

/// <summary>A stored day-ahead forecast of an area.</summary>
/// <param name="Area">Transformer area.</param>
/// <param name="Day">The China-local day forecast.</param>
/// <param name="Kw">96 values, average kW per 15-minute slot, rounded to 0.001.</param>
/// <param name="ModelVersion">The model version tag (<see cref="LoadForecaster.ModelVersion"/>).</param>
/// <param name="IssuedAt">When it was made (UTC).</param>
/// <param name="TrainedThrough">Last day of load history used, inclusive (the day before the issue day).</param>
/// <param name="TrainingDays">Days the model was trained on.</param>
/// <param name="Station">Weather station whose temperatures it used; null when none.</param>
/// <param name="UsesTemperature">True when the model used temperature features.</param>
public sealed record StoredForecast(string Area, DateOnly Day, double[] Kw, string ModelVersion, DateTimeOffset IssuedAt, DateOnly TrainedThrough, int TrainingDays, string? Station, bool UsesTemperature);

/// <summary>
/// Forecasts by area and day (PK area, RK yyyyMMdd). A run writes each area-day with one upsert: a retried or repeated
/// run replaces it with the same values (training is deterministic), so nothing is ever half-written.
/// </summary>
public sealed class ForecastStore(ForecastStorage storage)
{
    public async Task SaveAsync(StoredForecast forecast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        TableEntity entity = new(forecast.Area, Row(forecast.Day))
        {
            ["Kw"] = ForecastStorage.Pack(forecast.Kw),
            ["ModelVersion"] = forecast.ModelVersion,
            ["IssuedAt"] = forecast.IssuedAt,
            ["TrainedThrough"] = Row(forecast.TrainedThrough),
            ["TrainingDays"] = forecast.TrainingDays,
            ["Station"] = forecast.Station,
            ["UsesTemperature"] = forecast.UsesTemperature,
        };
        await storage.Forecasts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredForecast?> FindAsync(string area, DateOnly day, CancellationToken cancellationToken)
    {
        var found = await storage.Forecasts.GetEntityIfExistsAsync<TableEntity>(area, Row(day), cancellationToken: cancellationToken);
        if (!found.HasValue || ForecastStorage.Unpack(found.Value!.GetBinary("Kw")) is not { } kw)
        {
            return null;
        }

        TableEntity e = found.Value;
        return new StoredForecast(area, day, [.. kw.Select(v => Math.Round(v, 3))], e.GetString("ModelVersion") ?? "unknown", e.GetDateTimeOffset("IssuedAt") ?? default,
            DateOnly.TryParseExact(e.GetString("TrainedThrough"), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly through) ? through : default,
            e.GetInt32("TrainingDays") ?? 0, e.GetString("Station"), e.GetBoolean("UsesTemperature") ?? false);
    }

    static string Row(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
