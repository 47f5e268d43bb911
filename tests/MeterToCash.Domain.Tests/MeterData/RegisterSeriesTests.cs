using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class RegisterSeriesTests
{
    static readonly DateTimeOffset Now = DayStart.AddDays(10);

    static RegisterReading Read(decimal value, int hour, RegisterBand band = RegisterBand.Total, ReadingQuality quality = ReadingQuality.Valid) =>
        new(Meter, MeterChannel.ActiveImport, band, DayStart.AddHours(hour), value, EnergyUnit.Kwh, quality, 6);

    static RegisterCheck[] Validate(RegisterReading[] delivery, params RegisterReading[] stored) =>
        RegisterSeries.Validate(delivery, stored, ArchiveEntry(), Now, VeeOptions.Default);

    public static TheoryData<string, decimal, int, VeeRules, ValueDisposition, bool> AgainstStoredCases => new()
    {
        // name, value, hour (stored reads: 100 at 0 h, 200 at 48 h), failed rules, disposition, conflict
        { "after the last read", 250m, 72, VeeRules.None, ValueDisposition.Accepted, false },
        { "roll-back after the last read", 150m, 72, VeeRules.RegisterRollback, ValueDisposition.Rejected, false },
        { "identical redelivery", 200m, 48, VeeRules.Duplicate, ValueDisposition.Duplicate, false },
        { "other value at a stored instant", 201m, 48, VeeRules.Duplicate, ValueDisposition.Duplicate, true },
        { "back-fill between neighbours", 150m, 24, VeeRules.OutOfOrder, ValueDisposition.Accepted, false },
        { "back-fill above the later read", 250m, 24, VeeRules.OutOfOrder | VeeRules.RegisterRollback, ValueDisposition.Rejected, false },
        { "back-fill below the earlier read", 50m, 24, VeeRules.OutOfOrder | VeeRules.RegisterRollback, ValueDisposition.Rejected, false },
    };

    [Theory]
    [MemberData(nameof(AgainstStoredCases))]
    public void Validate_OneReadAgainstStored_FailsExpectedRules(string name, decimal value, int hour, VeeRules failed, ValueDisposition disposition, bool conflict)
    {
        RegisterCheck check = Validate([Read(value, hour)], Read(100m, 0), Read(200m, 48))[0];

        Assert.True(failed == check.Validated.Failed, $"{name}: {check.Validated.Failed}");
        Assert.Equal(disposition, check.Validated.Disposition);
        Assert.Equal(conflict, check.Conflict);
    }

    [Fact]
    public void Validate_DeliveryOutOfTimeOrder_JudgesEachReadAgainstTheOneBefore()
    {
        // Delivered newest first: the 24 h read becomes the previous read of the 48 h one.
        RegisterCheck[] checks = Validate([Read(130m, 48), Read(110m, 24)], Read(100m, 0));

        Assert.Equal(RegisterDeltaKind.Normal, checks[0].Validated.Delta!.Value.Kind);
        Assert.Equal(20m, checks[0].Validated.Delta!.Value.Delta);
        Assert.Equal(DayStart.AddHours(24), checks[0].Previous!.Value.ReadAt);
        Assert.Equal(10m, checks[1].Validated.Delta!.Value.Delta);
        Assert.All(checks, c => Assert.Equal(ValueDisposition.Accepted, c.Validated.Disposition));
    }

    [Fact]
    public void Validate_RejectedReadInDelivery_IsNotThePreviousOfTheNext()
    {
        // 90 is a roll-back and not stored, so 120 is measured from 100, not from 90.
        RegisterCheck[] checks = Validate([Read(90m, 24), Read(120m, 48)], Read(100m, 0));

        Assert.Equal(ValueDisposition.Rejected, checks[0].Validated.Disposition);
        Assert.Equal(20m, checks[1].Validated.Delta!.Value.Delta);
    }

    [Fact]
    public void Validate_SameInstantTwiceInDelivery_FirstWinsSecondIsConflict()
    {
        RegisterCheck[] checks = Validate([Read(110m, 24), Read(111m, 24)], Read(100m, 0));

        Assert.Equal(ValueDisposition.Accepted, checks[0].Validated.Disposition);
        Assert.Equal(ValueDisposition.Duplicate, checks[1].Validated.Disposition);
        Assert.True(checks[1].Conflict);
    }

    [Fact]
    public void Validate_RolloverWithDigits_AcceptedWithRolloverDelta()
    {
        RegisterCheck check = Validate([Read(5m, 24)], Read(999_990m, 0))[0];

        Assert.Equal(ValueDisposition.Accepted, check.Validated.Disposition);
        Assert.Equal(new RegisterDelta(RegisterDeltaKind.Rollover, 15m), check.Validated.Delta);
    }

    [Fact]
    public void Validate_OtherBandsStored_DoNotServeAsPrevious()
    {
        RegisterCheck check = Validate([Read(50m, 24, RegisterBand.Peak)], Read(100m, 0, RegisterBand.Total))[0];

        Assert.Null(check.Previous);
        Assert.Null(check.Validated.Delta);
        Assert.Equal(ValueDisposition.Accepted, check.Validated.Disposition);
    }

    [Fact]
    public void Validate_QualityDiffersAtStoredInstant_IsConflict() =>
        Assert.True(Validate([Read(200m, 48, quality: ReadingQuality.Estimated)], Read(200m, 48))[0].Conflict);

    [Theory]
    [InlineData(0, 24, 2, true)]
    [InlineData(0, 48, 2, true)]
    [InlineData(0, 72, 2, false)]
    [InlineData(0, 0, 2, false)]
    [InlineData(24, 0, 2, false)]
    [InlineData(1, 25, 2, false)]
    public void IsDayAlignedSpan_FromAndToHours_OnlyMidnightsWithinLimit(int fromHour, int toHour, int maxDays, bool expected) =>
        Assert.Equal(expected, RegisterSeries.IsDayAlignedSpan(DayStart.AddHours(fromHour), DayStart.AddHours(toHour), maxDays));

    [Fact]
    public void IsDayAlignedSpan_SecondsPastMidnight_IsNotAligned() =>
        Assert.False(RegisterSeries.IsDayAlignedSpan(DayStart, DayStart.AddDays(1).AddSeconds(1), 2));

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Validate_SameDeliveryAgainWithItsStoredReads_AllDuplicateAndNoConflict(int[] hours, int[] values)
    {
        // Any delivery (any order, roll-backs, repeats): once what it stored is stored, delivering it again changes nothing.
        RegisterReading[] delivery = [.. hours.Zip(values, (h, v) => Read(Math.Abs(v % 1000), Math.Abs(h % 200)))];
        RegisterCheck[] first = Validate(delivery);
        RegisterReading[] stored = [.. delivery.Where((_, i) => first[i].Validated.Disposition is ValueDisposition.Accepted or ValueDisposition.Suspect)];

        RegisterCheck[] again = Validate(delivery, stored);

        return again.Select((c, i) => (c, i)).All(x =>
            first[x.i].Validated.Disposition == ValueDisposition.Rejected
                ? x.c.Validated.Disposition != ValueDisposition.Accepted
                : x.c.Validated.Disposition == ValueDisposition.Duplicate && (x.c.Conflict == first[x.i].Conflict));
    }
}
