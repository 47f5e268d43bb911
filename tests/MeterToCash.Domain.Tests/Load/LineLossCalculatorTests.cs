using FsCheck;
using FsCheck.Xunit;
using MeterToCash.Domain.Load;

namespace MeterToCash.Domain.Tests.Load;

public class LineLossCalculatorTests
{
    static readonly DateOnly Day = new(2026, 11, 20);
    static readonly LineLossSettings Settings = LineLossSettings.Default;

    [Fact]
    public void Compute_HandWorkedDay_IsNormalWithRoundedRate()
    {
        // Master 1,234.5 kWh, customers 1,180.2 kWh: loss 54.3 kWh; 54.3 ÷ 1,234.5 = 0.043985… → 0.0440.
        LineLossDay d = LineLossCalculator.Compute(new LineLossInput(Day, true, 1234.5m, 96, 10, 960, 1180.2m), Settings);

        Assert.Equal((LineLossClass.Normal, 54.3m, 0.0440m, 1m, 1m), (d.Class, d.LossKwh!.Value, d.LossRate!.Value, d.MasterCompleteness, d.CustomerCompleteness));
    }

    [Theory]
    [InlineData(100, 90, LineLossClass.Normal)]     // exactly 10 %: normal is inclusive
    [InlineData(100, 89.99, LineLossClass.High)]    // 10.01 %
    [InlineData(100, 100, LineLossClass.Normal)]    // 0 %
    [InlineData(100, 100.01, LineLossClass.Negative)] // −0.01 %
    public void Compute_AtBoundaries_Classifies(double master, double customers, LineLossClass expected) =>
        Assert.Equal(expected, LineLossCalculator.Compute(new LineLossInput(Day, true, (decimal)master, 96, 2, 192, (decimal)customers), Settings).Class);

    [Theory]
    [InlineData(false, 100, 96, 2, 192, "no-master-meter")]
    [InlineData(true, 100, 96, 0, 0, "no-customer-meters")]
    [InlineData(true, 100, 91, 2, 192, "master-incomplete")]    // 91/96 = 0.9479 < 0.95
    [InlineData(true, 100, 96, 2, 182, "customers-incomplete")] // 182/192 = 0.9479
    [InlineData(true, 0, 96, 2, 192, "master-zero")]
    public void Compute_NotComputable_SaysWhy(bool hasMaster, double master, int masterValues, int meters, int values, string reason)
    {
        LineLossDay d = LineLossCalculator.Compute(new LineLossInput(Day, hasMaster, (decimal)master, masterValues, meters, values, 50m), Settings);

        Assert.Equal((LineLossClass.NotComputable, reason, (decimal?)null), (d.Class, d.Reason, d.LossRate));
    }

    [Fact]
    public void Compute_CompletenessAtThreshold_IsComputable()
    {
        // 0.95 × 20 meters × 96 = 1,824 values: exactly the threshold, which is inclusive.
        LineLossDay d = LineLossCalculator.Compute(new LineLossInput(Day, true, 100m, 96, 20, 1824, 95m), Settings);

        Assert.Equal((LineLossClass.Normal, 0.95m), (d.Class, d.CustomerCompleteness));
    }

    [Property(MaxTest = 300)]
    public bool Compute_Computable_RateIsLossOverMasterRoundedAndClassAgrees(PositiveInt masterCenti, NonNegativeInt customersCenti)
    {
        decimal master = masterCenti.Get / 100m, customers = customersCenti.Get / 100m;
        LineLossDay d = LineLossCalculator.Compute(new LineLossInput(Day, true, master, 96, 1, 96, customers), Settings);
        decimal exact = (master - customers) / master;
        LineLossClass expected = d.LossRate < 0 ? LineLossClass.Negative : d.LossRate <= Settings.NormalMaxShare ? LineLossClass.Normal : LineLossClass.High;
        return d.LossKwh == master - customers && Math.Abs(d.LossRate!.Value - exact) <= 0.00005m && d.Class == expected;
    }
}
