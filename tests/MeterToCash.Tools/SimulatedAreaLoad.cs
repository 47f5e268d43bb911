using System.Globalization;
using System.Text;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using MeterToCash.Simulator;
using nietras.SeparatedValues;

namespace MeterToCash.Tools;

/// <summary>
/// The load of a simulated transformer area without the pipeline: the sum over the area's low-voltage demo meters (from
/// <see cref="DemoUtility.ArchiveCsv"/>) of the simulator's primary-side curves (<see cref="CurveGenerator"/>, with
/// the weather of <see cref="SimulatedWeather"/>), as kW per China-local 15-minute slot, with the station temperature.
/// The forecast benchmark and tests backtest on it; <c>tools area-series</c> writes it as the CSV an operator uploads.
/// </summary>
public static class SimulatedAreaLoad
{
    /// <summary>
    /// The simulated customer meters behind an area's transformer: its low-voltage customers
    /// (<see cref="MeterToCash.Domain.Archive.ServicePoint.IsLowVoltage"/>, the load rate's and the forecast's definition
    /// of an area's load; the demo's 10 kV customers are fed from the feeder). Primary side: CT×PT 1, so values are the
    /// customers' own kWh.
    /// </summary>
    public static IReadOnlyList<SimulatedMeter> Meters(DemoUtility demo, string areaCode)
    {
        ArgumentNullException.ThrowIfNull(demo);
        List<SimulatedMeter> meters = [];
        using SepReader reader = Sep.Reader().FromText(demo.ArchiveCsv());
        foreach (SepReader.Row row in reader)
        {
            if (row["area_code"].ToString() == areaCode && MeterToCash.Domain.Archive.ServicePoint.IsLowVoltage(decimal.Parse(row["supply_voltage_kv"].ToString(), CultureInfo.InvariantCulture)))
            {
                meters.Add(SimulatedMeter.Typical(row["meter_no"].ToString(), SimulatedMeter.ClassOf(row["class"].ToString())));
            }
        }

        return meters;
    }

    /// <summary>The area's observations for China-local days [<paramref name="from"/>, <paramref name="to"/>] (both inclusive), one per 15-minute slot.</summary>
    public static IEnumerable<LoadObservation> Observations(IReadOnlyList<SimulatedMeter> meters, DateOnly from, DateOnly to, int seed = 20261126)
    {
        ArgumentNullException.ThrowIfNull(meters);
        for (DateOnly day = from; day <= to; day = day.AddDays(1))
        {
            var kwh = new double[AreaLoadSeries.SlotsPerDay];
            foreach (SimulatedMeter meter in meters)
            {
                IntervalReading[] curve = CurveGenerator.Day(meter, day, seed);
                for (int s = 0; s < curve.Length; s++)
                {
                    kwh[s] += (double)curve[s].Value;
                }
            }

            DateTimeOffset start = ChinaTime.DayStart(day);
            for (int s = 0; s < kwh.Length; s++)
            {
                DateTimeOffset at = start.AddMinutes(s * AreaLoadSeries.SlotMinutes);
                yield return new LoadObservation(at, Math.Round(kwh[s] * 4, 3), Math.Round(SimulatedWeather.TemperatureC(at), 1));
            }
        }
    }

    /// <summary>Observations as the upload CSV: <c>timestamp,kw,temperature</c>, timestamps ISO 8601 with +08:00.</summary>
    public static string Csv(IEnumerable<LoadObservation> observations, bool withTemperature = true)
    {
        ArgumentNullException.ThrowIfNull(observations);
        StringBuilder csv = new(withTemperature ? "timestamp,kw,temperature\n" : "timestamp,kw\n");
        foreach (LoadObservation o in observations)
        {
            csv.Append(o.Instant.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append(',')
                .Append(o.Kw.ToString(CultureInfo.InvariantCulture));
            if (withTemperature)
            {
                csv.Append(',').Append(o.TemperatureC?.ToString(CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The demo station's weather for days [<paramref name="from"/>, <paramref name="to"/>] as the weather upload CSV: <c>timestamp,temperature,kind</c>, hourly, kind "forecast" from <paramref name="forecastFrom"/> on.</summary>
    public static string WeatherCsv(DateOnly from, DateOnly to, DateOnly forecastFrom)
    {
        StringBuilder csv = new("timestamp,temperature,kind\n");
        for (DateTimeOffset at = ChinaTime.DayStart(from); at < ChinaTime.DayStart(to.AddDays(1)); at = at.AddHours(1))
        {
            csv.Append(at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append(',')
                .Append(Math.Round(SimulatedWeather.TemperatureC(at), 1).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(ChinaTime.LocalDay(at) >= forecastFrom ? "forecast" : "observation").Append('\n');
        }

        return csv.ToString();
    }
}
