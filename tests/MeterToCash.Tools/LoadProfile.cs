using MeterToCash.Domain.MeterData;

// The head-end simulator's load profiles. They live in the Tools (namespace kept) so the simulator and the month seed
// (MonthSeed) shape curves with the same code; the simulator references the Tools.
namespace MeterToCash.Simulator;

/// <summary>Customer classes with distinct daily shapes.</summary>
public enum CustomerClass
{
    /// <summary>Households: low at night, morning bump, evening peak 18–22 h.</summary>
    Residential = 0,

    /// <summary>Shops and offices: daytime plateau 9–18 h on workdays, reduced at weekends.</summary>
    Commercial = 1,

    /// <summary>Factories: two shifts 8–24 h Monday–Saturday, base load otherwise.</summary>
    Industrial = 2,
}

/// <summary>
/// Deterministic load shapes. Shapes use <see cref="double"/> internally; emitted energies are decimals rounded to
/// 0.001 kWh. Time of day, weekday and season are taken in China local time.
/// </summary>
public static class LoadProfile
{
    /// <summary>
    /// Relative demand (mean ≈ 1 over a typical day) of a class at a local instant, including weekday and seasonal effects.
    /// </summary>
    public static double Shape(CustomerClass customerClass, DateTimeOffset instant)
    {
        DateTimeOffset local = instant.ToOffset(ChinaTime.Offset);
        double hour = local.Hour + (local.Minute / 60.0);
        bool weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        double daily = customerClass switch
        {
            CustomerClass.Residential => 0.45 + (0.35 * Bump(hour, 7.5, 1.2)) + (1.6 * Bump(hour, 20, 2.0)) + (weekend ? 0.25 * Bump(hour, 13, 3) : 0),
            CustomerClass.Commercial => weekend ? 0.35 + (0.5 * Plateau(hour, 10, 17)) : 0.25 + (1.7 * Plateau(hour, 9, 18)),
            _ => local.DayOfWeek == DayOfWeek.Sunday ? 0.3 : 0.3 + (1.4 * Plateau(hour, 8, 24)),
        };
        return daily * Season(customerClass, local.Month);
    }

    /// <summary>Seasonal multiplier: summer air conditioning (Jul–Aug) and winter heating (Dec–Feb) raise demand.</summary>
    public static double Season(CustomerClass customerClass, int month)
    {
        double summer = month is 7 or 8 ? 1.35 : month is 6 or 9 ? 1.15 : 1.0;
        double winter = month is 12 or 1 or 2 ? 1.2 : 1.0;
        return customerClass == CustomerClass.Industrial ? 1.0 + ((summer - 1.0) * 0.3) : summer * winter;
    }

    private static double Bump(double hour, double centre, double width) => Math.Exp(-Math.Pow((hour - centre) / width, 2));

    private static double Plateau(double hour, double from, double to) =>
        1.0 / (1.0 + Math.Exp(-(hour - from) * 3)) * (1.0 / (1.0 + Math.Exp((hour - to) * 3)));
}

/// <summary>A simulated meter.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="Class">Customer class.</param>
/// <param name="AverageKwhPerDay">Typical daily consumption, kWh on the primary (customer) side.</param>
/// <param name="Multiplier">The meter's CT × PT ratio from the archive: a transformer-rated meter registers the primary
/// energy divided by it, and ingestion multiplies it back.</param>
public sealed record SimulatedMeter(Domain.Common.MeterId Meter, CustomerClass Class, double AverageKwhPerDay, double Multiplier = 1)
{
    /// <summary>A meter with its class's typical daily consumption: 8 kWh residential, 120 kWh commercial, 12 MWh industrial.</summary>
    public static SimulatedMeter Typical(string meterNo, CustomerClass customerClass, double multiplier = 1) =>
        new(new Domain.Common.MeterId(meterNo), customerClass, customerClass switch { CustomerClass.Residential => 8, CustomerClass.Commercial => 120, _ => 12_000 }, multiplier);

    /// <summary>The load class of an archive customer class: Commercial, LargeIndustrial → Industrial, anything else residential.</summary>
    public static CustomerClass ClassOf(string? archiveClass) => archiveClass switch
    {
        "Commercial" => CustomerClass.Commercial,
        "LargeIndustrial" => CustomerClass.Industrial,
        _ => CustomerClass.Residential,
    };
}

/// <summary>Deterministic pseudo-random numbers keyed by (seed, text, number): the same inputs give the same output.</summary>
public static class DeterministicRandom
{
    /// <summary>A uniform value in [0, 1).</summary>
    public static double Uniform(int seed, string key, long index)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in key)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        ulong z = h ^ ((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)index * 0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}

/// <summary>Generates interval curves from the load profiles.</summary>
public static class CurveGenerator
{
    /// <summary>
    /// The 15-minute active-import values of one interval as the meter registers them: class shape × weather factor
    /// (<see cref="SimulatedWeather.LoadFactor"/> at the demo station's temperature) × daily average / 96 × noise (±15 %) ÷ CT×PT, rounded to 0.001 kWh half away from zero. Deterministic in (seed, meter, interval start).
    /// </summary>
    public static IntervalReading Interval(SimulatedMeter meter, DateTimeOffset start, int seed, int intervalMinutes = 15)
    {
        ArgumentNullException.ThrowIfNull(meter);
        double slotsPerDay = 1440.0 / intervalMinutes;
        double noise = 0.85 + (0.3 * DeterministicRandom.Uniform(seed, meter.Meter.Value, start.ToUnixTimeSeconds()));
        // Weather (SimulatedWeather): the demo station's temperature at the interval's start scales the class's load.
        double weather = SimulatedWeather.LoadFactor(meter.Class, SimulatedWeather.TemperatureC(start));
        double kwh = LoadProfile.Shape(meter.Class, start) * weather * meter.AverageKwhPerDay / slotsPerDay * noise / Math.Max(meter.Multiplier, 1);
        decimal value = decimal.Round((decimal)kwh, 3, MidpointRounding.AwayFromZero);
        return new IntervalReading(meter.Meter, MeterChannel.ActiveImport, start.ToUniversalTime(), intervalMinutes, value, EnergyUnit.Kwh, ReadingQuality.Valid);
    }

    /// <summary>All intervals of a China local day.</summary>
    public static IntervalReading[] Day(SimulatedMeter meter, DateOnly day, int seed, int intervalMinutes = 15)
    {
        DateTimeOffset start = ChinaTime.DayStart(day);
        return Enumerable.Range(0, 1440 / intervalMinutes).Select(i => Interval(meter, start.AddMinutes(i * intervalMinutes), seed, intervalMinutes)).ToArray();
    }
}
