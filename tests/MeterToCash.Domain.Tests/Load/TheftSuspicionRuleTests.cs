using MeterToCash.Domain.Load;

namespace MeterToCash.Domain.Tests.Load;

public class TheftSuspicionRuleTests
{
    static readonly LineLossSettings Settings = new(0.10m, 0.95m, 3, 7, 0.30m, 1.0m);
    static readonly DateOnly D0 = new(2026, 11, 1);

    static LineLossDay Day(int i, decimal master, decimal customers) =>
        LineLossCalculator.Compute(new LineLossInput(D0.AddDays(i), true, master, 96, 2, 192, customers), Settings);

    static LineLossDay Missing(int i) => LineLossCalculator.Compute(new LineLossInput(D0.AddDays(i), true, null, 0, 2, 192, 0), Settings);

    [Fact]
    public void Evaluate_ThreeHighDaysAfterNormal_NamesTheMeterWhoseConsumptionDropped()
    {
        // A: 10 kWh/day throughout. B: 20 kWh/day, then 5 (−75 %) while the loss rises from 6.25 % to 53.13 %.
        Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> kwh = [];
        List<LineLossDay> days = [];
        for (int i = 0; i < 6; i++)
        {
            decimal b = i < 3 ? 20m : 5m;
            kwh[D0.AddDays(i)] = new Dictionary<string, decimal> { ["A"] = 10m, ["B"] = b };
            days.Add(Day(i, 32m, 10m + b));
        }

        days.Insert(4, Missing(10)); // a not-computable day neither breaks nor extends the run

        TheftSuspicion s = TheftSuspicionRule.Evaluate(days, kwh, Settings)!;

        Assert.Equal((D0.AddDays(3), D0.AddDays(5), 3, 3), (s.FirstHighDay, s.ConfirmedDay, s.HighDays.Count, s.BaselineDays.Count));
        Assert.Equal((0.0625m, 0.5313m), (s.BaselineLossRate, s.RecentLossRate)); // 2/32; 17/32 = 0.53125 → 0.5313
        Assert.Equal([new SuspectMeter("B", 20m, 5m, 0.75m)], s.Suspects);
    }

    [Fact]
    public void Evaluate_OnlyTwoHighDays_IsNull()
    {
        List<LineLossDay> days = [Day(0, 32m, 30m), Day(1, 32m, 15m), Day(2, 32m, 15m)];

        Assert.Null(TheftSuspicionRule.Evaluate(days, new Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>>(), Settings));
    }

    [Fact]
    public void Evaluate_LatestDayNormalAgain_IsNull()
    {
        List<LineLossDay> days = [Day(0, 32m, 15m), Day(1, 32m, 15m), Day(2, 32m, 15m), Day(3, 32m, 30m)];

        Assert.Null(TheftSuspicionRule.Evaluate(days, new Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>>(), Settings));
    }

    [Fact]
    public void Evaluate_NoBaseline_RaisesWithoutNamingMeters()
    {
        List<LineLossDay> days = [Day(0, 32m, 15m), Day(1, 32m, 15m), Day(2, 32m, 15m)];

        TheftSuspicion s = TheftSuspicionRule.Evaluate(days, new Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>>(), Settings)!;

        Assert.Equal((0, (decimal?)null, 0), (s.BaselineDays.Count, s.BaselineLossRate, s.Suspects.Count));
    }

    [Fact]
    public void Evaluate_SmallMeterOrSmallDrop_IsNotNamed()
    {
        // C: 0.8 kWh/day baseline (below 1 kWh) dropping to 0; D: 10 → 7.5 (−25 % < 30 %).
        Dictionary<DateOnly, IReadOnlyDictionary<string, decimal>> kwh = [];
        List<LineLossDay> days = [];
        for (int i = 0; i < 5; i++)
        {
            kwh[D0.AddDays(i)] = new Dictionary<string, decimal> { ["C"] = i < 2 ? 0.8m : 0m, ["D"] = i < 2 ? 10m : 7.5m };
            days.Add(Day(i, 12m, i < 2 ? 11m : 7.5m));
        }

        Assert.Empty(TheftSuspicionRule.Evaluate(days, kwh, Settings)!.Suspects);
    }
}
