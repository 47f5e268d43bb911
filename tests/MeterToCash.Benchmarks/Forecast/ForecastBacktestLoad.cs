using System.Diagnostics;
using System.Globalization;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Functions.Forecasting;
using MeterToCash.Tools;

namespace MeterToCash.Benchmarks.Forecast;

/// <summary>
/// The forecast figures of docs/benchmarks.md, in process (no storage: the model and the backtest are pure computation):
/// the backtest of every simulated area (MAPE and peak error next to seasonal naive over held-out weeks), and the time
/// to train one model per area for all areas, as the nightly forecast does.
/// </summary>
public static class ForecastBacktestLoad
{
    public static Task RunAsync(int areas, int days, int weeks, DateOnly end)
    {
        DemoUtility demo = new(customers: 1200, areas: 12);
        Func<DateOnly, LoadDayKind> kinds = LoadDayKinds.From(HolidayCalendarJson.ShippedYears.Select(HolidayCalendarJson.LoadShipped));
        DateOnly from = end.AddDays(1 - days);
        Console.WriteLine($"Simulated areas TA0001–TA{areas:D4} of the demo utility (1,200 customers over 12 areas), {from:yyyy-MM-dd}–{end:yyyy-MM-dd} ({days} days), {weeks} held-out weeks; {Environment.ProcessorCount} cores");
        Console.WriteLine("area     meters  model MAPE %  naive MAPE %  ratio  model peak %  naive peak %  trainings  train ms");
        double modelSum = 0, naiveSum = 0;
        List<AreaLoadSeries> all = [];
        for (int a = 1; a <= areas; a++)
        {
            string area = DemoUtility.AreaCode(((a - 1) % 12) + 1);
            var meters = SimulatedAreaLoad.Meters(demo, area);
            AreaLoadSeries series = AreaLoadSeries.FromObservations(SimulatedAreaLoad.Observations(meters, from, end, seed: 20261126 + a));
            all.Add(series);
            (BacktestResult? r, string? problem) = ForecastBacktest.Run(series, kinds, weeks);
            if (r is null)
            {
                Console.WriteLine($"{area}: {problem}");
                continue;
            }

            modelSum += r.Model.Mape;
            naiveSum += r.Naive.Mape;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{area,-8} {meters.Count,6}  {r.Model.Mape,12:F2}  {r.Naive.Mape,12:F2}  {r.Ratio,5:F3}  {r.Model.PeakError,12:F2}  {r.Naive.PeakError,12:F2}  {r.Trainings,9}  {r.TrainingMilliseconds,8}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean over areas: model {modelSum / areas:F2} %, naive {naiveSum / areas:F2} %, ratio of means {modelSum / naiveSum:F3}"));

        // Training time for all areas: one model per area on the nightly window ending on the last day.
        Stopwatch clock = Stopwatch.StartNew();
        long trainMs = 0;
        foreach (AreaLoadSeries series in all)
        {
            TrainedLoadModel? model = LoadForecaster.Train(series, kinds, end.AddDays(-LoadForecaster.TrainingWindowDays + 1), end);
            trainMs += model?.TrainingMilliseconds ?? 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training, all {areas} areas ({LoadForecaster.TrainingWindowDays}-day window, one thread each): {clock.ElapsedMilliseconds} ms wall, {trainMs / (double)areas:F0} ms per area"));
        return Task.CompletedTask;
    }
}
