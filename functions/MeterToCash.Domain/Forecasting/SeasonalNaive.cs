namespace MeterToCash.Domain.Forecasting;

/// <summary>
/// The benchmark every forecast is scored against: a day's load is the load of the latest day of the same kind at least
/// a week before it (<see cref="LoadFeatures.SameKindDay"/> from 7 days back: a workday Monday takes last Monday; a
/// Monday after a holiday takes the last workday before that holiday Monday; a holiday takes the last holiday within
/// <see cref="LoadFeatures.SameKindSearchDays"/> days, else the same weekday a week before).
/// </summary>
public static class SeasonalNaive
{
    /// <summary>Days back the naive forecast starts looking: a week.</summary>
    public const int MinBackDays = 7;

    /// <summary>The naive forecast of a day, 96 values in kW (NaN where the reference day has a gap).</summary>
    public static double[] Forecast(AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(series);
        DateOnly reference = LoadFeatures.SameKindDay(series, kinds, day, MinBackDays) ?? day.AddDays(-MinBackDays);
        return [.. Enumerable.Range(0, AreaLoadSeries.SlotsPerDay).Select(s => series.Load(reference, s))];
    }
}
