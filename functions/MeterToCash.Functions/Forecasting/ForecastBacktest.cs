using MeterToCash.Domain.Forecasting;

namespace MeterToCash.Functions.Forecasting;

/// <summary>One held-out day of a backtest.</summary>
/// <param name="Day">China-local day.</param>
/// <param name="Kind">Its day kind.</param>
/// <param name="ModelMape">The model's MAPE on the day's scored points, percent.</param>
/// <param name="NaiveMape">Seasonal naive's MAPE on the same points, percent.</param>
/// <param name="ActualPeakKw">Largest actual slot load, kW.</param>
/// <param name="ModelPeakKw">Largest forecast slot load, kW.</param>
/// <param name="NaivePeakKw">Largest naive slot load, kW.</param>
public sealed record BacktestDay(DateOnly Day, LoadDayKind Kind, double ModelMape, double NaiveMape, double ActualPeakKw, double ModelPeakKw, double NaivePeakKw);

/// <summary>What a backtest found.</summary>
/// <param name="HeldOutFrom">First held-out day, inclusive.</param>
/// <param name="HeldOutTo">Last held-out day, inclusive.</param>
/// <param name="Model">The model's accuracy.</param>
/// <param name="Naive">Seasonal naive's accuracy on the same points.</param>
/// <param name="Ratio">Model MAPE ÷ naive MAPE, rounded to 0.001 (the goal is ≤ 0.8).</param>
/// <param name="UsesTemperature">Whether the models used temperature.</param>
/// <param name="Trainings">Models trained (one per held-out week).</param>
/// <param name="TrainingMilliseconds">Total training time, ms.</param>
/// <param name="Days">Per-day figures.</param>
public sealed record BacktestResult(DateOnly HeldOutFrom, DateOnly HeldOutTo, ForecastAccuracy Model, ForecastAccuracy Naive, double Ratio, bool UsesTemperature, int Trainings, long TrainingMilliseconds, IReadOnlyList<BacktestDay> Days);

/// <summary>
/// Scores the day-ahead model against seasonal naive on held-out weeks at the end of a series: for each held-out week
/// a model is trained on the <see cref="LoadForecaster.TrainingWindowDays"/> days before the week starts, then
/// forecasts each day of the week with features from actuals at least two days old (as it would in operation, where
/// the held-out days before it have happened). Temperature features use the series' temperature for the day itself,
/// i.e. a perfect weather forecast; in operation the stored weather forecast stands in.
/// </summary>
public static class ForecastBacktest
{
    /// <summary>Fewest days of history a backtest needs before its first held-out day.</summary>
    public const int MinHistoryDays = LoadFeatures.MinLagDays + LoadFeatures.LevelDays + LoadForecaster.MinTrainingDays + 7;

    /// <summary>
    /// Runs a backtest over the last <paramref name="weeks"/> × 7 days of the series (ending on its last day with at least
    /// 90 valid slots); null with a reason when the series is too short.
    /// </summary>
    public static (BacktestResult? Result, string? Problem) Run(AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, int weeks)
    {
        ArgumentNullException.ThrowIfNull(series);
        DateOnly? last = series.Days.LastOrDefault(d => series.ValidSlots(d) >= 90);
        if (series.FirstDay is not { } first || last is not { } end || end == default)
        {
            return (null, "The series has no day with at least 90 of 96 slots.");
        }

        DateOnly heldFrom = end.AddDays(1 - (weeks * 7));
        if (heldFrom.DayNumber - first.DayNumber < MinHistoryDays)
        {
            return (null, $"The series covers {first:yyyy-MM-dd}–{end:yyyy-MM-dd}: {weeks} held-out week(s) need at least {MinHistoryDays} days of history before {heldFrom:yyyy-MM-dd}.");
        }

        List<(double[] Model, double[] Naive, double[] Actual, DateOnly Day)> days = [];
        int trainings = 0;
        long trainingMs = 0;
        bool usesTemperature = false;
        for (int w = 0; w < weeks; w++)
        {
            DateOnly weekStart = heldFrom.AddDays(7 * w);
            TrainedLoadModel? trained = LoadForecaster.Train(series, kinds, weekStart.AddDays(-LoadForecaster.TrainingWindowDays), weekStart.AddDays(-1));
            if (trained is null)
            {
                return (null, $"Too few complete days before {weekStart:yyyy-MM-dd} to train a model (at least {LoadForecaster.MinTrainingDays}).");
            }

            trainings++;
            trainingMs += trained.TrainingMilliseconds;
            usesTemperature |= trained.UsesTemperature;
            for (DateOnly d = weekStart; d < weekStart.AddDays(7); d = d.AddDays(1))
            {
                double[] actual = [.. Enumerable.Range(0, AreaLoadSeries.SlotsPerDay).Select(s => series.Load(d, s))];
                double[] forecast = LoadForecaster.Predict(trained, series, kinds, d) ?? [.. Enumerable.Repeat(double.NaN, AreaLoadSeries.SlotsPerDay)];
                days.Add((forecast, SeasonalNaive.Forecast(series, kinds, d), actual, d));
            }
        }

        bool[][] scored = [.. days.Select(d => ForecastAccuracy.ScorablePoints(d.Actual, d.Model, d.Naive))];
        ForecastAccuracy model = ForecastAccuracy.Score([.. days.Select(d => (d.Model, d.Actual))], (d, s) => scored[d][s]);
        ForecastAccuracy naive = ForecastAccuracy.Score([.. days.Select(d => (d.Naive, d.Actual))], (d, s) => scored[d][s]);
        List<BacktestDay> perDay = [];
        for (int i = 0; i < days.Count; i++)
        {
            int index = i;
            ForecastAccuracy m = ForecastAccuracy.Score([(days[i].Model, days[i].Actual)], (_, s) => scored[index][s]);
            ForecastAccuracy n = ForecastAccuracy.Score([(days[i].Naive, days[i].Actual)], (_, s) => scored[index][s]);
            perDay.Add(new BacktestDay(days[i].Day, kinds(days[i].Day), m.Mape, n.Mape, Max(days[i].Actual), Max(days[i].Model), Max(days[i].Naive)));
        }

        double ratio = naive.Mape > 0 ? Math.Round(model.Mape / naive.Mape, 3) : double.NaN;
        return (new BacktestResult(heldFrom, end, model, naive, ratio, usesTemperature, trainings, trainingMs, perDay), null);
    }

    static double Max(double[] values)
    {
        double[] valid = [.. values.Where(v => !double.IsNaN(v))];
        return valid.Length == 0 ? double.NaN : Math.Round(valid.Max(), 3);
    }
}
