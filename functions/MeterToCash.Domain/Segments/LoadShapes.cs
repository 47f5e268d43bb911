using System.Globalization;

namespace MeterToCash.Domain.Segments;

/// <summary>
/// Load shapes: an hourly profile is 24 shares of a day's energy by China-local hour (sum 1), so accounts of any size
/// compare by shape alone. A k-means centroid is named by where its energy lies.
/// </summary>
public static class LoadShapes
{
    /// <summary>Hours 08:00–21:59 (China local), the span where every sample tariff's peak and flat periods lie.</summary>
    public static double DaytimeEveningShare(IReadOnlyList<double> profile) => Share(profile, 8, 22);

    /// <summary>Share of energy in hours [<paramref name="from"/>, <paramref name="to"/>) (China local), 0–1.</summary>
    public static double Share(IReadOnlyList<double> profile, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(profile);
        double share = 0;
        for (int h = from; h < to; h++)
        {
            share += profile[h];
        }

        return share;
    }

    /// <summary>Normalises 24 hourly energies to shares; null when the total is not positive.</summary>
    public static double[]? Normalise(IReadOnlyList<double> hourlyKwh)
    {
        ArgumentNullException.ThrowIfNull(hourlyKwh);
        if (hourlyKwh.Count != 24)
        {
            throw new ArgumentException("A profile has 24 hours.", nameof(hourlyKwh));
        }

        double total = hourlyKwh.Sum();
        return total > 0 && double.IsFinite(total) ? [.. hourlyKwh.Select(v => v / total)] : null;
    }

    /// <summary>
    /// The name of a centroid: <c>around-the-clock</c> when its largest hour is less than twice its smallest (a flat
    /// day), else by its peak hour: <c>evening-peak</c> (17–23 h), <c>daytime</c> (8–16 h), <c>night</c> (0–7 h).
    /// </summary>
    public static string Name(IReadOnlyList<double> centroid)
    {
        ArgumentNullException.ThrowIfNull(centroid);
        double max = centroid.Max(), min = centroid.Min();
        if (min > 0 && max < 2 * min)
        {
            return "around-the-clock";
        }

        int peak = PeakHour(centroid);
        return peak switch { >= 17 => "evening-peak", >= 8 => "daytime", _ => "night" };
    }

    /// <summary>
    /// Two profiles nearer than this (<see cref="Distance"/>) are one load shape: it is about 1.4 percentage points of
    /// the day's energy moved from one hour to another. k-means with more clusters than the data has shapes splits a
    /// large group of alike accounts into parts that lie well within it; different shapes (a peak two hours later, a
    /// daytime against an evening day) lie 0.1 and more apart.
    /// </summary>
    public const double SameShapeDistance = 0.02;

    /// <summary>The Euclidean distance between two profiles of 24 hourly shares (0 for the same shape, at most √2).</summary>
    public static double Distance(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException("Both profiles need the same number of hours.", nameof(second));
        }

        double sum = 0;
        for (int h = 0; h < first.Count; h++)
        {
            sum += (first[h] - second[h]) * (first[h] - second[h]);
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The hour (0–23) with the largest share.</summary>
    public static int PeakHour(IReadOnlyList<double> profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        int peak = 0;
        for (int h = 1; h < profile.Count; h++)
        {
            peak = profile[h] > profile[peak] ? h : peak;
        }

        return peak;
    }

    /// <summary>A one-line description of a profile: peak hour, peak-to-average ratio, 08–22 h share.</summary>
    public static string Describe(IReadOnlyList<double> profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return string.Create(CultureInfo.InvariantCulture,
            $"peak hour {PeakHour(profile):D2}:00, peak {profile.Max() * 24:F2}× the hourly average, {DaytimeEveningShare(profile):P0} of energy between 08:00 and 22:00");
    }
}
