using FsCheck;
using FsCheck.Xunit;
using MeterToCash.Domain.Load;

namespace MeterToCash.Domain.Tests.Load;

public class LoadRateCalculatorTests
{
    [Fact]
    public void Compute_HandWorkedInterval_GivesKwAndRate()
    {
        // 400 kVA × 0.9 = 360 kW. 75 kWh in 15 minutes = 300 kW; 300 ÷ 360 = 0.83333… → 0.8333.
        LoadRatePoint[] points = LoadRateCalculator.Compute([75m, null, 90m], 15, LoadRateCalculator.CapacityKw(400m, LoadRateSettings.Default));

        Assert.Equal(new LoadRatePoint(0, 75m, 300m, 0.8333m), points[0]);
        Assert.Equal(new LoadRatePoint(1, null, null, null), points[1]);
        Assert.Equal(new LoadRatePoint(2, 90m, 360m, 1m), points[2]); // exactly full load
    }

    [Fact]
    public void Compute_RateOnHalfStep_RoundsHalfAwayFromZero()
    {
        // Capacity 100 kW; 0.0123450 × 100 kW × 0.25 h = 0.308625 kWh → 1.2345 kW → rate 0.012345 → 0.0123 would be banker's; away from zero: 0.0123 (4 dp: 0.01234|5 → 0.0124 is the 5th digit).
        LoadRatePoint point = LoadRateCalculator.Compute([0.308625m], 15, 100m)[0];

        Assert.Equal(1.235m, point.Kw); // 1.2345 kW → 3 dp half away from zero
        Assert.Equal(0.0123m, point.Rate); // 0.012345 → 4 dp: the 5th decimal is 4, so it rounds down
    }

    [Fact]
    public void CapacityKw_RatedNotPositive_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadRateCalculator.CapacityKw(0m, LoadRateSettings.Default));

    [Theory]
    [InlineData(0, 0.8, 1.0, 4)]
    [InlineData(1.1, 0.8, 1.0, 4)]
    [InlineData(0.9, 1.0, 1.0, 4)]
    [InlineData(0.9, 0.8, 1.0, 0)]
    [InlineData(0.9, 0.8, 11, 4)]
    public void Settings_OutOfRange_Throws(double pf, double heavy, double overload, int intervals) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadRateSettings((decimal)pf, (decimal)heavy, (decimal)overload, intervals));

    [Property(MaxTest = 200)]
    public bool Compute_RateTimesCapacity_IsKwWithinRounding(PositiveInt energyMilli, PositiveInt kvaTens)
    {
        decimal kwh = energyMilli.Get / 1000m, capacity = LoadRateCalculator.CapacityKw(kvaTens.Get * 10m, LoadRateSettings.Default);
        LoadRatePoint p = LoadRateCalculator.Compute([kwh], 15, capacity)[0];
        // kW is exact to 3 dp (kWh × 4), and rate × capacity differs from it by at most half a rate step of capacity.
        return p.Kw == kwh * 4 && Math.Abs((p.Rate!.Value * capacity) - (kwh * 4)) <= capacity * 0.00005m;
    }
}
