using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Forecasting;

/// <summary>
/// An area's load history on the China-local 15-minute grid (96 slots a day, UTC+8 all year: China has no daylight
/// saving, so every day has 96 slots), with the temperature beside it. Missing values are <see cref="double.NaN"/>:
/// real data has gaps, and the forecast and its scoring skip or fill them explicitly rather than read them as zero.
/// </summary>
public sealed class AreaLoadSeries
{
    /// <summary>Slots in a day.</summary>
    public const int SlotsPerDay = 96;

    /// <summary>Minutes per slot.</summary>
    public const int SlotMinutes = 15;

    /// <summary>Longest run of missing slots inside a day (4 = one hour) that <see cref="FromObservations"/> fills by linear interpolation.</summary>
    public const int MaxInterpolatedSlots = 4;

    readonly SortedDictionary<DateOnly, double[]> load = [];
    readonly Dictionary<DateOnly, double[]> temperature = [];

    /// <summary>Days that have at least one load value, ascending.</summary>
    public IEnumerable<DateOnly> Days => load.Keys;

    /// <summary>The first day with a load value; null when the series is empty.</summary>
    public DateOnly? FirstDay => load.Count == 0 ? null : load.Keys.First();

    /// <summary>The last day with a load value; null when the series is empty.</summary>
    public DateOnly? LastDay => load.Count == 0 ? null : load.Keys.Last();

    /// <summary>True when some slot has a temperature.</summary>
    public bool HasTemperature => temperature.Count > 0;

    /// <summary>Load of a slot, kW, or NaN when missing.</summary>
    public double Load(DateOnly day, int slot) => load.TryGetValue(day, out double[]? values) ? values[slot] : double.NaN;

    /// <summary>Temperature of a slot, °C, or NaN when missing.</summary>
    public double Temperature(DateOnly day, int slot) => temperature.TryGetValue(day, out double[]? values) ? values[slot] : double.NaN;

    /// <summary>Number of slots of a day that have a load value (0–96).</summary>
    public int ValidSlots(DateOnly day) => load.TryGetValue(day, out double[]? values) ? values.Count(v => !double.IsNaN(v)) : 0;

    /// <summary>Mean load of a day over its valid slots, kW; NaN when it has none.</summary>
    public double DayMean(DateOnly day)
    {
        if (!load.TryGetValue(day, out double[]? values))
        {
            return double.NaN;
        }

        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Mean temperature of a day over its valid slots, °C; NaN when it has none.</summary>
    public double DayMeanTemperature(DateOnly day)
    {
        if (!temperature.TryGetValue(day, out double[]? values))
        {
            return double.NaN;
        }

        double[] valid = [.. values.Where(v => !double.IsNaN(v))];
        return valid.Length == 0 ? double.NaN : valid.Average();
    }

    /// <summary>Sets a day's load (96 values, kW, NaN for missing); a day with no value at all is removed.</summary>
    /// <exception cref="ArgumentException">Not 96 values, or a value negative or infinite.</exception>
    public void SetLoad(DateOnly day, IReadOnlyList<double> kw)
    {
        double[] values = Checked(kw, nameof(kw), allowNegative: false);
        if (values.All(double.IsNaN))
        {
            load.Remove(day);
        }
        else
        {
            load[day] = values;
        }
    }

    /// <summary>Sets a day's temperature (96 values, °C, NaN for missing); a day with no value at all is removed.</summary>
    /// <exception cref="ArgumentException">Not 96 values, or a value infinite.</exception>
    public void SetTemperature(DateOnly day, IReadOnlyList<double> celsius)
    {
        double[] values = Checked(celsius, nameof(celsius), allowNegative: true);
        if (values.All(double.IsNaN))
        {
            temperature.Remove(day);
        }
        else
        {
            temperature[day] = values;
        }
    }

    /// <summary>
    /// Builds a series from observations at any resolution: each is placed in the China-local 15-minute slot its instant
    /// falls in, several in one slot are averaged (5-minute data), and a run of at most
    /// <see cref="MaxInterpolatedSlots"/> missing slots between two values of the same day is filled linearly (hourly
    /// data, short outages; at the day's ends with the nearest value). Longer gaps stay missing.
    /// </summary>
    public static AreaLoadSeries FromObservations(IEnumerable<LoadObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        Dictionary<DateOnly, (double[] Kw, int[] KwN, double[] T, int[] TN)> days = [];
        foreach (LoadObservation o in observations)
        {
            if (!double.IsFinite(o.Kw) || o.Kw < 0 || (o.TemperatureC is { } t0 && !double.IsFinite(t0)))
            {
                throw new ArgumentException($"Observation at {o.Instant:O} has a load that is negative or not finite, or a temperature that is not finite.", nameof(observations));
            }

            DateOnly day = ChinaTime.LocalDay(o.Instant);
            int slot = ChinaTime.MinuteOfDay(o.Instant) / SlotMinutes;
            if (!days.TryGetValue(day, out var acc))
            {
                acc = (new double[SlotsPerDay], new int[SlotsPerDay], new double[SlotsPerDay], new int[SlotsPerDay]);
                days[day] = acc;
            }

            acc.Kw[slot] += o.Kw;
            acc.KwN[slot]++;
            if (o.TemperatureC is { } t)
            {
                acc.T[slot] += t;
                acc.TN[slot]++;
            }
        }

        AreaLoadSeries series = new();
        foreach ((DateOnly day, var acc) in days)
        {
            series.SetLoad(day, Interpolated(Enumerable.Range(0, SlotsPerDay).Select(s => acc.KwN[s] == 0 ? double.NaN : acc.Kw[s] / acc.KwN[s]).ToArray(), MaxInterpolatedSlots));
            series.SetTemperature(day, Interpolated(Enumerable.Range(0, SlotsPerDay).Select(s => acc.TN[s] == 0 ? double.NaN : acc.T[s] / acc.TN[s]).ToArray(), MaxInterpolatedSlots));
        }

        return series;
    }

    /// <summary>
    /// Fills runs of at most <paramref name="maxRun"/> NaN values between two values linearly, and such runs at either
    /// end with the nearest value; returns the same array.
    /// </summary>
    public static double[] Interpolated(double[] values, int maxRun)
    {
        ArgumentNullException.ThrowIfNull(values);
        int last = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                continue;
            }

            int gap = i - last - 1;
            if (last >= 0 && gap > 0 && gap <= maxRun)
            {
                for (int k = 1; k <= gap; k++)
                {
                    values[last + k] = values[last] + ((values[i] - values[last]) * k / (gap + 1));
                }
            }

            else if (last < 0 && i > 0 && i <= maxRun)
            {
                // A short run at the start of the day takes the first value (hourly data starting at 00:15, say).
                Array.Fill(values, values[i], 0, i);
            }

            last = i;
        }

        if (last >= 0 && last < values.Length - 1 && values.Length - 1 - last <= maxRun)
        {
            // A short run at the end takes the last value (hourly data ends at 23:00, its last three slots follow it).
            Array.Fill(values, values[last], last + 1, values.Length - 1 - last);
        }

        return values;
    }

    static double[] Checked(IReadOnlyList<double> values, string name, bool allowNegative)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count != SlotsPerDay)
        {
            throw new ArgumentException($"A day has {SlotsPerDay} values, not {values.Count}.", name);
        }

        double[] copy = [.. values];
        if (copy.Any(v => double.IsInfinity(v) || (!allowNegative && v < 0)))
        {
            throw new ArgumentException(allowNegative ? "Values must be finite or NaN." : "Values must be finite and not negative, or NaN.", name);
        }

        return copy;
    }
}
