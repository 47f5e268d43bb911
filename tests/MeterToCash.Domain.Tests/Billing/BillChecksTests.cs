using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Billing;

public class BillChecksTests
{
    // Months with usage 100, 200, 300 (zero months ignored): mean 200 kWh; too high above 600, too low below 40.
    private static readonly decimal[] History = [100m, 0m, 200m, 300m];

    [Fact]
    public void Evaluate_OrdinaryBill_PassesEveryCheck()
    {
        Assert.Empty(BillChecks.Evaluate(Bill(250m)));
    }

    [Fact]
    public void Evaluate_AboveThreeTimesTheMean_HoldsAsTooHigh()
    {
        Assert.Equal([HoldCode.UsageTooHigh], Codes(Bill(600.01m)));
        Assert.Empty(BillChecks.Evaluate(Bill(600m)));
    }

    [Fact]
    public void Evaluate_AboveTheClassCeilingWithoutHistory_HoldsAsTooHighForClass()
    {
        // Residential, 30 days, one service point: 100 kWh a day × 30 = 3,000 kWh.
        decimal ceiling = ClassUsage.CeilingKwh(MeterToCash.Domain.Archive.CustomerClass.Residential, 30, 1);
        BillCheckInput Input(decimal kwh) => new(kwh, [], occupied: true, new Money(100), 0m, "SH-RES-TOU") { ClassCeilingKwh = ceiling };

        Assert.Equal(3_000m, ceiling);
        Assert.Equal([HoldCode.UsageTooHighForClass], BillChecks.Evaluate(Input(3_000.01m)).Select(r => r.Code));
        Assert.Empty(BillChecks.Evaluate(Input(3_000m)));
    }

    [Fact]
    public void Evaluate_BelowAFifthOfTheMean_HoldsAsTooLow()
    {
        Assert.Equal([HoldCode.UsageTooLow], Codes(Bill(39.99m)));
        Assert.Empty(BillChecks.Evaluate(Bill(40m)));
    }

    [Fact]
    public void Evaluate_CustomFactors_AreUsedInsteadOfTheDefaults()
    {
        // High 2 × 200 = 400 exceeded by 401.
        var limits = new BillCheckLimits(2m, 0.5m, 0.3m);

        Assert.Equal([HoldCode.UsageTooHigh], Codes(Bill(401m), limits));
    }

    [Fact]
    public void Evaluate_ZeroUsageOnOccupiedAccount_HoldsOnceNotAlsoAsTooLow()
    {
        Assert.Equal([HoldCode.ZeroUsageOnOccupiedAccount], Codes(Bill(0m, occupied: true)));
        Assert.Equal([HoldCode.UsageTooLow], Codes(Bill(0m, occupied: false)));
    }

    [Fact]
    public void Evaluate_NegativeAmount_Holds()
    {
        Assert.Equal([HoldCode.NegativeAmount], Codes(Bill(250m, amount: new Money(-1))));
    }

    [Fact]
    public void Evaluate_EstimatedShareAboveThreeTenths_Holds()
    {
        Assert.Equal([HoldCode.EstimatedShareTooHigh], Codes(Bill(250m, estimatedShare: 0.3001m)));
        Assert.Empty(BillChecks.Evaluate(Bill(250m, estimatedShare: 0.3m)));
    }

    [Fact]
    public void Evaluate_NoTariff_Holds()
    {
        Assert.Equal([HoldCode.MissingTariff], Codes(Bill(250m, tariff: " ")));
    }

    [Fact]
    public void Evaluate_NoMonthWithUsage_SkipsTheUsageComparison()
    {
        Assert.Empty(BillChecks.Evaluate(new BillCheckInput(5_000m, [0m, 0m], true, new Money(100), 0m, "T")));
    }

    [Fact]
    public void BillCheckLimits_HighNotAboveLow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillCheckLimits(0.2m, 0.2m, 0.3m));
    }

    private static BillCheckInput Bill(decimal kwh, bool occupied = true, Money? amount = null, decimal estimatedShare = 0m, string? tariff = "commercial-tou") =>
        new(kwh, History, occupied, amount ?? new Money(12_345), estimatedShare, tariff);

    private static HoldCode[] Codes(BillCheckInput input, BillCheckLimits? limits = null) =>
        [.. BillChecks.Evaluate(input, limits).Select(r => r.Code)];
}
