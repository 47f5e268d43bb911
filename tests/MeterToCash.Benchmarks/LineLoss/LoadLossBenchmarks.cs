using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Load;

namespace MeterToCash.Benchmarks.LineLoss;

/// <summary>
/// The pure load-rate and line-loss computation of one day for 1,000 transformer areas × 96 intervals: per area the
/// load rate of every interval, its heavy/overload episodes and the day's line loss (<see cref="All"/>); and the
/// theft-suspicion rule over 14 days of 100 meters per area (<see cref="TheftRule"/>). The end-to-end read of the same
/// data, next to the raw read ceiling, is the load driver <c>load line-loss</c>.
/// </summary>
[MemoryDiagnoser]
public class LoadLossBenchmarks
{
    const int Areas = 1000, Slots = 96, Meters = 100, Days = 14;

    readonly LoadRateSettings loadRate = LoadRateSettings.Default;
    readonly LineLossSettings lineLoss = LineLossSettings.Default;
    decimal?[][] kwh = [];
    LineLossInput[] inputs = [];
    decimal[] capacity = [];
    List<LineLossDay>[] history = [];
    Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>>[] meterKwh = [];

    [GlobalSetup]
    public void Setup()
    {
        Random random = new(17);
        DateOnly day = new(2026, 11, 30);
        kwh = new decimal?[Areas][];
        inputs = new LineLossInput[Areas];
        capacity = new decimal[Areas];
        history = new List<LineLossDay>[Areas];
        meterKwh = new Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>>[Areas];
        string[] meterNames = [.. Enumerable.Range(0, Meters).Select(m => $"MTR{m:D9}")];
        for (int a = 0; a < Areas; a++)
        {
            capacity[a] = LoadRateCalculator.CapacityKw(400m, loadRate);
            kwh[a] = [.. Enumerable.Range(0, Slots).Select(_ => (decimal?)Math.Round((decimal)(random.NextDouble() * 100), 3))];
            decimal customers = kwh[a].Sum(v => v ?? 0);
            inputs[a] = new LineLossInput(day, true, customers * 1.05m, 96, Meters, Meters * Slots, customers);
            history[a] = [];
            meterKwh[a] = [];
            for (int d = 0; d < Days; d++)
            {
                DateOnly at = day.AddDays(d - Days + 1);
                Dictionary<string, decimal> perMeter = meterNames.ToDictionary(m => m, _ => Math.Round((decimal)(random.NextDouble() * 20), 3));
                decimal sum = perMeter.Values.Sum();
                meterKwh[a][at] = perMeter;
                history[a].Add(LineLossCalculator.Compute(new LineLossInput(at, true, sum * (d < 10 ? 1.05m : 1.2m), 96, Meters, Meters * Slots, sum), lineLoss));
            }
        }
    }

    /// <summary>Load rate, episodes and line loss of every area for one day.</summary>
    [Benchmark]
    public int All()
    {
        int found = 0;
        for (int a = 0; a < Areas; a++)
        {
            LoadRatePoint[] points = LoadRateCalculator.Compute(kwh[a], 15, capacity[a]);
            decimal?[] rates = new decimal?[points.Length];
            for (int s = 0; s < points.Length; s++)
            {
                rates[s] = points[s].Rate;
            }

            found += LoadEpisodeDetector.Find(rates, loadRate).Count;
            found += (int)LineLossCalculator.Compute(inputs[a], lineLoss).Class;
        }

        return found;
    }

    /// <summary>The theft-suspicion rule of every area over 14 days of 100 meters each.</summary>
    [Benchmark]
    public int TheftRule()
    {
        int named = 0;
        for (int a = 0; a < Areas; a++)
        {
            named += TheftSuspicionRule.Evaluate(history[a], meterKwh[a], lineLoss)?.Suspects.Count ?? 0;
        }

        return named;
    }
}
