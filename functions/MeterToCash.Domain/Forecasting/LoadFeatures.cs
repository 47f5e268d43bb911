namespace MeterToCash.Domain.Forecasting;

/// <summary>
/// The features of one 15-minute slot of a forecast day, as the gradient-boosted model reads them. A day-ahead
/// forecast is issued during day D−1 for day D, when the latest complete day is D−2; so every lag is at least two days
/// old ("yesterday" is the issue day's yesterday), and a backtest builds its features the same way.
/// Loads are divided by the area's recent level (mean of D−8…D−2), so the model learns shapes and ratios that carry
/// over between areas of different size and between seasons; the forecast multiplies the level back.
/// </summary>
public static class LoadFeatures
{
    /// <summary>Days between the target day and the latest day whose load a feature may use.</summary>
    public const int MinLagDays = 2;

    /// <summary>Days whose mean is the recent level: D−8 … D−2, both inclusive.</summary>
    public const int LevelDays = 7;

    /// <summary>How far back the same-kind day is looked for (a holiday's last holiday may be weeks ago).</summary>
    public const int SameKindSearchDays = 35;

    /// <summary>Names of the features, in the order of <see cref="Build"/>'s vector. The version tag of a model names this list.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "slot", "hourSin", "hourCos", "dayOfWeek", "isWorkday", "isWeekend", "isHoliday", "isMakeUpWorkday",
        "lag2", "lag7", "lag7Smoothed", "lag14", "sameKind", "sameKindSmoothed", "lag2DayMean", "lag7DayMean",
        "temperature", "temperatureDayMean", "temperatureDelta7", "temperatureDayMeanDelta7", "hasTemperature",
    ];

    /// <summary>Number of features.</summary>
    public static int Count => Names.Count;

    /// <summary>
    /// The recent level of a target day: the mean load of D−8 … D−2 over their valid slots, kW. When that week has less
    /// than a day of values (a gap in the history), the window reaches further back, to D−35 at most, until it holds
    /// <see cref="LevelDays"/> days with values; NaN when there are none.
    /// </summary>
    public static double Level(AreaLoadSeries series, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(series);
        double sum = 0;
        int n = 0, daysWithValues = 0;
        for (int back = MinLagDays; back <= SameKindSearchDays && (back < MinLagDays + LevelDays || (n < AreaLoadSeries.SlotsPerDay && daysWithValues < LevelDays)); back++)
        {
            daysWithValues += series.ValidSlots(day.AddDays(-back)) > 0 ? 1 : 0;
            DateOnly d = day.AddDays(-back);
            for (int s = 0; s < AreaLoadSeries.SlotsPerDay; s++)
            {
                double v = series.Load(d, s);
                if (!double.IsNaN(v))
                {
                    sum += v;
                    n++;
                }
            }
        }

        return n < AreaLoadSeries.SlotsPerDay ? double.NaN : sum / n;
    }

    /// <summary>
    /// The latest day at least <paramref name="minBack"/> days before <paramref name="day"/> of the same kind whose load
    /// has at least 90 of 96 slots, searching <see cref="SameKindSearchDays"/> days back; null when there is none.
    /// </summary>
    public static DateOnly? SameKindDay(AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, DateOnly day, int minBack)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(kinds);
        LoadDayKind kind = kinds(day);
        for (int back = minBack; back <= SameKindSearchDays; back++)
        {
            DateOnly d = day.AddDays(-back);
            if (kinds(d) == kind && series.ValidSlots(d) >= 90)
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>
    /// The 96 feature vectors of a target day (NaN-free: a missing lag falls back to the next best one, a missing
    /// temperature to 0 with <c>hasTemperature</c> = 0), and the level they are relative to; null when the day has no level
    /// (no load at all in D−8…D−2).
    /// </summary>
    /// <param name="series">History (and, for a backtest or training, the day itself: its load is never read here).</param>
    /// <param name="kinds">Day kinds from the holiday calendar.</param>
    /// <param name="day">The target day.</param>
    /// <param name="useTemperature">False when the model is trained without temperature (no weather series).</param>
    public static (float[][] Vectors, double Level)? Build(AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, DateOnly day, bool useTemperature)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(kinds);
        double level = Level(series, day);
        if (double.IsNaN(level) || level <= 0)
        {
            return null;
        }

        LoadDayKind kind = kinds(day);
        DateOnly lag2 = day.AddDays(-2), lag7 = day.AddDays(-7), lag14 = day.AddDays(-14);
        DateOnly? sameKind = SameKindDay(series, kinds, day, MinLagDays);
        double lag2Mean = Or(series.DayMean(lag2), 1.0 * level) / level;
        double lag7Mean = Or(series.DayMean(lag7), lag2Mean * level) / level;
        double tDayMean = useTemperature ? series.DayMeanTemperature(day) : double.NaN;
        double tDayMean7 = useTemperature ? series.DayMeanTemperature(lag7) : double.NaN;
        var vectors = new float[AreaLoadSeries.SlotsPerDay][];
        for (int s = 0; s < AreaLoadSeries.SlotsPerDay; s++)
        {
            double angle = 2 * Math.PI * s / AreaLoadSeries.SlotsPerDay;
            double l2 = series.Load(lag2, s) / level;
            double l7 = series.Load(lag7, s) / level;
            double l14 = series.Load(lag14, s) / level;
            double sk = sameKind is { } k ? series.Load(k, s) / level : double.NaN;
            double skSmooth = sameKind is { } k2 ? Smoothed(series, k2, s) / level : double.NaN;
            double l7Smooth = Smoothed(series, lag7, s) / level;
            sk = Or(sk, Or(l7, Or(l2, 1.0)));
            l7 = Or(l7, sk);
            l2 = Or(l2, l7);
            l14 = Or(l14, l7);
            l7Smooth = Or(l7Smooth, l7);
            skSmooth = Or(skSmooth, sk);
            double t = useTemperature ? series.Temperature(day, s) : double.NaN;
            double t7 = useTemperature ? series.Temperature(lag7, s) : double.NaN;
            bool hasT = !double.IsNaN(t);
            vectors[s] =
            [
                s, (float)Math.Sin(angle), (float)Math.Cos(angle), (float)(int)day.DayOfWeek,
                kind == LoadDayKind.Workday ? 1 : 0, kind == LoadDayKind.Weekend ? 1 : 0, kind == LoadDayKind.Holiday ? 1 : 0, kind == LoadDayKind.MakeUpWorkday ? 1 : 0,
                (float)l2, (float)l7, (float)l7Smooth, (float)l14, (float)sk, (float)skSmooth, (float)lag2Mean, (float)lag7Mean,
                hasT ? (float)t : 0f,
                hasT ? (float)Or(tDayMean, t) : 0f,
                hasT && !double.IsNaN(t7) ? (float)(t - t7) : 0f,
                hasT && !double.IsNaN(tDayMean7) ? (float)(Or(tDayMean, t) - tDayMean7) : 0f,
                hasT ? 1f : 0f,
            ];
        }

        return (vectors, level);
    }

    /// <summary>Mean of slots s−1, s, s+1 of a day over the valid ones (the day's ends use two); NaN when none is valid.</summary>
    static double Smoothed(AreaLoadSeries series, DateOnly day, int slot)
    {
        double sum = 0;
        int n = 0;
        for (int s = Math.Max(0, slot - 1); s <= Math.Min(AreaLoadSeries.SlotsPerDay - 1, slot + 1); s++)
        {
            double v = series.Load(day, s);
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    static double Or(double value, double fallback) => double.IsNaN(value) ? fallback : value;
}
