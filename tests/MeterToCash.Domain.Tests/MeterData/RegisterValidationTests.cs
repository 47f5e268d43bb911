using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class RegisterValidationTests
{
    private static RegisterReading Read(decimal value, int hour, int? digits = 6) =>
        new(Meter, MeterChannel.ActiveImport, RegisterBand.Total, DayStart.AddHours(hour), value, EnergyUnit.Kwh, ReadingQuality.Valid, digits);

    [Theory]
    [InlineData("100", "150.5", 6, RegisterDeltaKind.Normal, "50.5")]
    [InlineData("100", "100", 6, RegisterDeltaKind.Normal, "0")]
    [InlineData("999990", "5", 6, RegisterDeltaKind.Rollover, "15")]
    [InlineData("99999.5", "0.5", 5, RegisterDeltaKind.Rollover, "1")]
    [InlineData("5000", "4000", 6, RegisterDeltaKind.Rollback, "-1000")]
    [InlineData("999990", "5", null, RegisterDeltaKind.Rollback, "-999985")]
    public void Delta_PreviousAndCurrent_ClassifiesRolloverAndRollback(string previous, string current, int? digits, RegisterDeltaKind kind, string delta)
    {
        RegisterDelta result = RegisterMath.Delta(Dec(previous), Dec(current), digits, 24_000m);

        Assert.Equal(kind, result.Kind);
        Assert.Equal(Dec(delta), result.Delta);
    }

    [Fact]
    public void Delta_WrapLargerThanPlausible_IsRollback() =>
        Assert.Equal(RegisterDeltaKind.Rollback, RegisterMath.Delta(900_000m, 100m, 6, 1_000m).Kind);

    [Theory]
    [InlineData("120", 2, VeeRules.None)]
    [InlineData("90", 2, VeeRules.RegisterRollback)]
    [InlineData("100", 0, VeeRules.Duplicate)]
    [InlineData("101", 0, VeeRules.Duplicate)]
    [InlineData("90", -2, VeeRules.OutOfOrder)]
    [InlineData("110", -2, VeeRules.OutOfOrder | VeeRules.RegisterRollback)]
    [InlineData("-1", 2, VeeRules.NegativeConsumption | VeeRules.RegisterRollback)]
    public void ValidateRegister_AgainstPrevious_FailsExpectedRules(string value, int hoursAfterPrevious, VeeRules expected)
    {
        RegisterReading previous = Read(100m, 10);

        ValidatedRegister result = IntervalValidator.ValidateRegister(Read(Dec(value), 10 + hoursAfterPrevious), previous, ArchiveEntry(), DayStart.AddDays(1), VeeOptions.Default);

        Assert.Equal(expected, result.Failed);
    }

    [Fact]
    public void ValidateRegister_Rollover_PassesWithWrappedDelta()
    {
        ValidatedRegister result = IntervalValidator.ValidateRegister(Read(3m, 12), Read(999_998m, 0), ArchiveEntry(), DayStart.AddDays(1), VeeOptions.Default);

        Assert.Equal(ValueDisposition.Accepted, result.Disposition);
        Assert.Equal(new RegisterDelta(RegisterDeltaKind.Rollover, 5m), result.Delta);
    }

    [Theory]
    [InlineData(48, VeeRules.FutureTimestamp)]
    [InlineData(-24 * 61, VeeRules.BeforeInstallation)]
    public void ValidateRegister_BadTimestamp_Rejected(int hour, VeeRules expected)
    {
        ValidatedRegister result = IntervalValidator.ValidateRegister(Read(1m, hour), null, ArchiveEntry(), DayStart.AddDays(1), VeeOptions.Default);

        Assert.Equal(expected, result.Failed);
        Assert.Equal(ValueDisposition.Rejected, result.Disposition);
    }

    [Fact]
    public void ValidateRegister_ReactiveUnitOnActiveChannel_Mismatch()
    {
        RegisterReading reading = Read(1m, 1) with { Unit = EnergyUnit.Kvarh };

        Assert.Equal(VeeRules.UnitChannelMismatch, IntervalValidator.ValidateRegister(reading, null, ArchiveEntry(), DayStart.AddDays(1), VeeOptions.Default).Failed);
    }

    [Theory]
    [InlineData("1.2", VeeOutcome.Pass)]
    [InlineData("1.24", VeeOutcome.Pass)]
    [InlineData("1.3", VeeOutcome.Fail)]
    public void CheckIntervalSum_FourSlotsAgainstRegister_ComparesWithTolerance(string registerAdvance, VeeOutcome expected)
    {
        IntervalReading[] intervals = [Interval(0, 0.3m), Interval(1, 0.3m), Interval(2, 0.3m), Interval(3, 0.3m)];
        RegisterReading from = Read(100m, 0);
        RegisterReading to = Read(100m + Dec(registerAdvance), 1);

        Assert.Equal(expected, IntervalValidator.CheckIntervalSum(from, to, intervals, 1m, VeeOptions.Default).Outcome);
    }

    [Fact]
    public void CheckIntervalSum_MissingSlot_NotEvaluated()
    {
        IntervalReading[] intervals = [Interval(0, 0.3m), Interval(2, 0.3m), Interval(3, 0.3m)];

        Assert.Equal(VeeOutcome.NotEvaluated, IntervalValidator.CheckIntervalSum(Read(0m, 0), Read(1.2m, 1), intervals, 1m, VeeOptions.Default).Outcome);
    }

    [Fact]
    public void CheckIntervalSum_Multiplier_ScalesRegisterDelta()
    {
        IntervalReading[] intervals = [Interval(0, 40m), Interval(1, 40m), Interval(2, 40m), Interval(3, 40m)];

        IntervalSumCheck check = IntervalValidator.CheckIntervalSum(Read(10m, 0), Read(14m, 1), intervals, 40m, VeeOptions.Default);

        Assert.Equal(VeeOutcome.Pass, check.Outcome);
        Assert.Equal(160m, check.RegisterDelta);
    }

    [Theory]
    [InlineData(-61, ArchiveDecision.BeforeInstallation)]
    [InlineData(0, ArchiveDecision.Accept)]
    [InlineData(5, ArchiveDecision.AfterRemoval)]
    public void Check_ArchiveDates_DecidesQuarantine(int days, ArchiveDecision expected) =>
        Assert.Equal(expected, MeterArchiveRules.Check(ArchiveEntry() with { RemovedAt = DayStart.AddDays(5) }, DayStart.AddDays(days)));

    [Fact]
    public void Check_UnknownMeter_Quarantined() => Assert.Equal(ArchiveDecision.UnknownMeter, MeterArchiveRules.Check(null, DayStart));

    [Theory]
    [InlineData("0.0125", "40", "100", false, "50")]
    [InlineData("0.0125", "40", "100", true, "0.0125")]
    [InlineData("0.00003", "1.5", "1", false, "0")]
    [InlineData("0.00007", "1", "1", false, "0.0001")]
    public void ToPrimary_CtPt_MultipliesAndRoundsToFourDecimals(string value, string ct, string pt, bool applied, string expected)
    {
        MeterArchiveEntry entry = ArchiveEntry() with { CtRatio = Dec(ct), PtRatio = Dec(pt), MultiplierAppliedByHeadEnd = applied };

        Assert.Equal(Dec(expected), MeterArchiveRules.ToPrimary(Dec(value), entry));
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
