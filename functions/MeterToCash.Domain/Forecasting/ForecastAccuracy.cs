namespace MeterToCash.Domain.Forecasting;

/// <summary>
/// Accuracy of a set of day forecasts against their actuals, scored on the same points for every method compared.
/// </summary>
/// <param name="Mape">Mean absolute percentage error over the scored points, percent (0–∞), rounded to 0.01.</param>
/// <param name="PeakError">Mean over the scored days of |forecast day maximum − actual day maximum| ÷ actual day maximum, percent, rounded to 0.01.</param>
/// <param name="Points">Slots scored.</param>
/// <param name="Days">Days scored.</param>
public sealed record ForecastAccuracy(double Mape, double PeakError, int Points, int Days)
{
    /// <summary>
    /// A point is scored when its actual and every compared forecast exist and the actual is at least
    /// <see cref="MinShareOfDayMean"/> of its day's mean actual: near-zero loads (an area switched off) make percentage
    /// errors meaningless.
    /// </summary>
    public const double MinShareOfDayMean = 0.05;

    /// <summary>
    /// Scores each day's forecast against its actual (96 kW values each) on the points that
    /// <paramref name="scored"/> admits.
    /// </summary>
    public static ForecastAccuracy Score(IReadOnlyList<(double[] Forecast, double[] Actual)> days, Func<int, int, bool> scored)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(scored);
        double ape = 0, peak = 0;
        int points = 0, scoredDays = 0;
        for (int d = 0; d < days.Count; d++)
        {
            (double[] f, double[] a) = days[d];
            double maxF = double.NegativeInfinity, maxA = double.NegativeInfinity;
            int dayPoints = 0;
            for (int s = 0; s < a.Length; s++)
            {
                if (!scored(d, s))
                {
                    continue;
                }

                ape += Math.Abs(f[s] - a[s]) / a[s];
                maxF = Math.Max(maxF, f[s]);
                maxA = Math.Max(maxA, a[s]);
                points++;
                dayPoints++;
            }

            if (dayPoints > 0)
            {
                peak += Math.Abs(maxF - maxA) / maxA;
                scoredDays++;
            }
        }

        return points == 0
            ? new ForecastAccuracy(double.NaN, double.NaN, 0, 0)
            : new ForecastAccuracy(Math.Round(100 * ape / points, 2), Math.Round(100 * peak / scoredDays, 2), points, scoredDays);
    }

    /// <summary>The points every forecast of a day can be scored on: actual present and at least <see cref="MinShareOfDayMean"/> of the day's mean, every forecast present.</summary>
    public static bool[] ScorablePoints(double[] actual, params double[][] forecasts)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(forecasts);
        double[] valid = [.. actual.Where(v => !double.IsNaN(v))];
        double floor = valid.Length == 0 ? double.PositiveInfinity : MinShareOfDayMean * valid.Average();
        return [.. actual.Select((a, s) => !double.IsNaN(a) && a > 0 && a >= floor && forecasts.All(f => !double.IsNaN(f[s])))];
    }
}
