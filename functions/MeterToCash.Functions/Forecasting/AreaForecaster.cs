using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Functions.Calendar;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Forecasting;

/// <summary>What forecasting one area did.</summary>
/// <param name="Area">Transformer area.</param>
/// <param name="Forecast">The stored forecast, or null when the area's history is too short.</param>
/// <param name="Reason">Why there is no forecast; null when there is one.</param>
public sealed record AreaForecastOutcome(string Area, StoredForecast? Forecast, string? Reason);

/// <summary>
/// Makes and stores one area's day-ahead forecast: reads its load history and its station's temperatures, trains the
/// model on the <see cref="LoadForecaster.TrainingWindowDays"/> days through the day before the issue day (target − 2,
/// the latest complete day) and predicts the target day with the weather forecast stored for it.
/// </summary>
public sealed class AreaForecaster(AreaLoadReader loads, WeatherStore weather, HolidayCalendars calendars, ForecastStore forecasts, IOptions<ForecastOptions> options)
{
    /// <summary>Days before the first training day the features look back (same-kind day search).</summary>
    const int LookbackDays = LoadFeatures.SameKindSearchDays;

    /// <summary>Forecasts <paramref name="target"/> for an area and stores it; answers what it did.</summary>
    public async Task<AreaForecastOutcome> ForecastAsync(string area, DateOnly target, DateTimeOffset issuedAt, CancellationToken cancellationToken)
    {
        DateOnly through = target.AddDays(-LoadFeatures.MinLagDays);
        DateOnly trainFrom = through.AddDays(1 - LoadForecaster.TrainingWindowDays);
        (AreaLoadSeries series, string? station) = await HistoryAsync(area, trainFrom.AddDays(-LookbackDays), through, target, cancellationToken);
        Func<DateOnly, LoadDayKind> kinds = await KindsAsync(trainFrom.AddDays(-LookbackDays), target, cancellationToken);
        TrainedLoadModel? model = LoadForecaster.Train(series, kinds, trainFrom, through);
        if (model is null)
        {
            return new AreaForecastOutcome(area, null, $"fewer than {LoadForecaster.MinTrainingDays} complete days of load in {trainFrom:yyyy-MM-dd}–{through:yyyy-MM-dd}");
        }

        if (LoadForecaster.Predict(model, series, kinds, target) is not { } kw)
        {
            return new AreaForecastOutcome(area, null, $"no load in the week before {through:yyyy-MM-dd} to set the level");
        }

        StoredForecast stored = new(area, target, [.. kw.Select(v => Math.Round(v, 3))], model.Version, issuedAt, through, model.TrainingDays, station, model.UsesTemperature);
        await forecasts.SaveAsync(stored, cancellationToken);
        return new AreaForecastOutcome(area, stored, null);
    }

    /// <summary>Load of [<paramref name="from"/>, <paramref name="through"/>] and temperatures of [<paramref name="from"/>, <paramref name="target"/>], and the station.</summary>
    public async Task<(AreaLoadSeries Series, string? Station)> HistoryAsync(string area, DateOnly from, DateOnly through, DateOnly target, CancellationToken cancellationToken)
    {
        AreaLoadSeries series = new();
        await loads.ReadIntoAsync(series, area, from, through, cancellationToken);
        string? station = options.Value.StationOf(area);
        if (station is not null)
        {
            foreach ((DateOnly day, double[] temps) in await weather.RangeAsync(station, from, target, cancellationToken))
            {
                series.SetTemperature(day, temps);
            }
        }

        return (series, station);
    }

    /// <summary>Day kinds from the published holiday calendars of the years of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task<Func<DateOnly, LoadDayKind>> KindsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        List<HolidayCalendar> found = [];
        for (int year = from.Year; year <= to.Year; year++)
        {
            if (await calendars.GetAsync(year, cancellationToken) is { } calendar)
            {
                found.Add(calendar);
            }
        }

        return LoadDayKinds.From(found);
    }
}
