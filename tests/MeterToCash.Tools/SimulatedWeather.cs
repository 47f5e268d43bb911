using MeterToCash.Domain.MeterData;

// Part of the head-end simulator's load model (see LoadProfile.cs): the weather that drives the simulated load, so the
// load forecast has a temperature series to learn from and the demo has one to load into PUT /api/weather/{station}.
namespace MeterToCash.Simulator;

/// <summary>
/// A deterministic temperature series for the simulated areas' weather station (one station: all simulated areas share
/// the weather), and how temperature moves each class's load. Temperatures are °C at a China-local instant: a seasonal
/// mean (about 6 °C mid-January, 28 °C late July, as in Shanghai), a daily cycle (±4 °C, warmest at 15:00), and a
/// day-to-day weather anomaly (fronts) that persists from one day to the next (an AR(1) process with coefficient 0.7,
/// standard deviation about 2.8 °C), deterministic in the seed.
/// </summary>
public static class SimulatedWeather
{
    /// <summary>The weather seed of the demo station: the simulator and the month seed share one weather.</summary>
    public const int DemoSeed = 20261204;

    /// <summary>The station code the demo areas map to (Forecast__DefaultStation in local.settings.sample.json).</summary>
    public const string DemoStation = "SIM-SH";

    const double Persistence = 0.7;
    const int AnomalyMemoryDays = 20;

    /// <summary>Air temperature at an instant, °C (not rounded).</summary>
    public static double TemperatureC(DateTimeOffset instant, int seed = DemoSeed)
    {
        DateTimeOffset local = instant.ToOffset(ChinaTime.Offset);
        double hour = local.Hour + (local.Minute / 60.0);
        double seasonal = 17 + (11 * Math.Cos(2 * Math.PI * (local.DayOfYear - 200) / 365.25));
        double daily = 4 * Math.Cos(2 * Math.PI * (hour - 15) / 24);
        return seasonal + daily + Anomaly(DateOnly.FromDateTime(local.DateTime), seed);
    }

    /// <summary>The day's weather anomaly, °C: Σ 0.7^k · u(day − k) over 20 days, u uniform in [−3.5, 3.5).</summary>
    public static double Anomaly(DateOnly day, int seed = DemoSeed)
    {
        double anomaly = 0, weight = 1;
        for (int k = 0; k < AnomalyMemoryDays; k++, weight *= Persistence)
        {
            anomaly += weight * 7 * (DeterministicRandom.Uniform(seed, "weather", day.DayNumber - k) - 0.5);
        }

        return anomaly;
    }

    /// <summary>
    /// The load multiplier of a class at a temperature (1 between 14 °C and 24 °C): air conditioning adds 4 % per °C above
    /// 24 °C for households (3 % shops, 1 % factories), heating 3 % per °C below 14 °C (2 % shops, 0.5 % factories).
    /// </summary>
    public static double LoadFactor(CustomerClass customerClass, double temperatureC)
    {
        (double cooling, double heating) = customerClass switch
        {
            CustomerClass.Residential => (0.04, 0.03),
            CustomerClass.Commercial => (0.03, 0.02),
            _ => (0.01, 0.005),
        };
        return 1 + (cooling * Math.Max(0, temperatureC - 24)) + (heating * Math.Max(0, 14 - temperatureC));
    }
}
