using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class MonthToDateTests
{
    // Local hours 0–7 valley, 8–9 critical peak, 10–17 peak, rest flat.
    private static TouBand Classify(DateTimeOffset utc) => utc.ToOffset(ChinaTime.Offset).Hour switch
    {
        < 8 => TouBand.Valley,
        < 10 => TouBand.CriticalPeak,
        < 18 => TouBand.Peak,
        _ => TouBand.Flat,
    };

    private static MonthToDate Empty => MonthToDate.Empty(Meter, MeterChannel.ActiveImport, 2026, 11);

    [Fact]
    public void Apply_FullDayOfOnes_SplitsByBand()
    {
        DayCurve curve = FullCurve(Day, _ => 1m);

        MonthToDate totals = MonthToDateAccumulator.Apply(Empty, null, curve, Classify);

        Assert.Equal(new TouEnergy(CriticalPeak: 8m, Peak: 32m, Flat: 24m, Valley: 32m), totals.Energy);
        Assert.Equal(default, totals.EstimatedEnergy);
    }

    [Fact]
    public void Apply_ActualReplacesEstimate_MovesEnergyOutOfEstimated()
    {
        DayCurve estimated = Curve(Day, (0, 0.5m, ReadingQuality.Estimated));
        DayCurve actual = estimated.Merge([new CurveUpdate(0, 0.8m, ReadingQuality.Valid)]).Curve;

        MonthToDate totals = MonthToDateAccumulator.Apply(MonthToDateAccumulator.Apply(Empty, null, estimated, Classify), estimated, actual, Classify);

        Assert.Equal(0.8m, totals.Energy.Valley);
        Assert.Equal(0m, totals.EstimatedEnergy.Valley);
    }

    [Fact]
    public void Apply_UnchangedCurve_AddsNothing()
    {
        DayCurve curve = FullCurve(Day, _ => 1m);
        MonthToDate once = MonthToDateAccumulator.Apply(Empty, null, curve, Classify);

        Assert.Equal(once, MonthToDateAccumulator.Apply(once, curve, curve, Classify));
    }

    [Fact]
    public void Apply_CurveOfOtherMonth_IsCallerBug() =>
        Assert.Throws<ArgumentException>(() => MonthToDateAccumulator.Apply(Empty, null, FullCurve(new DateOnly(2026, 12, 1), _ => 1m), Classify));

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Apply_IncrementalMerges_EqualTotalOfFinalCurve(int[] slots, int[] values)
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15);
        MonthToDate totals = Empty;
        for (int i = 0; i < Math.Min(slots.Length, values.Length); i++)
        {
            ReadingQuality quality = values[i] % 3 == 0 ? ReadingQuality.Estimated : ReadingQuality.ManuallyEdited;
            DayCurve next = curve.Merge([new CurveUpdate(Math.Abs(slots[i] % 96), values[i] / 100m, quality)]).Curve;
            totals = MonthToDateAccumulator.Apply(totals, curve, next, Classify);
            curve = next;
        }

        return totals.Energy.Total == curve.Total();
    }
}
