using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class IntervalValidatorTests
{
    public static TheoryData<string, decimal, VeeRules, ValueDisposition> SingleValueCases => new()
    {
        // name, value, rule expected to fail (None = all pass), disposition
        { "normal", 0.25m, VeeRules.None, ValueDisposition.Accepted },
        { "zero", 0m, VeeRules.None, ValueDisposition.Accepted },
        { "negative", -0.01m, VeeRules.NegativeConsumption, ValueDisposition.Rejected },
        { "spike", 5m, VeeRules.Spike, ValueDisposition.Suspect },
        { "just below spike factor", 0.99m, VeeRules.None, ValueDisposition.Accepted },
    };

    [Theory]
    [MemberData(nameof(SingleValueCases))]
    public void Validate_SingleValueAgainstFlatHistory_FailsExpectedRule(string name, decimal value, VeeRules expectedFail, ValueDisposition disposition)
    {
        ValidatedInterval result = IntervalValidator.Validate([Interval(40, value)], Context(FlatHistory()))[0];

        Assert.True(expectedFail == result.Failed, name);
        Assert.Equal(disposition, result.Disposition);
    }

    [Theory]
    [InlineData(-61, VeeRules.BeforeInstallation)]
    [InlineData(-59, VeeRules.None)]
    [InlineData(2, VeeRules.FutureTimestamp)]
    [InlineData(0, VeeRules.None)]
    public void Validate_DayRelativeToInstallAndNow_FlagsTimestampRules(int dayOffset, VeeRules expected)
    {
        IntervalReading reading = Interval(4, 0.1m, dayStart: DayStart.AddDays(dayOffset));

        ValidatedInterval result = IntervalValidator.Validate([reading], Context())[0];

        Assert.Equal(expected, result.Failed & ~VeeRules.OutOfOrder);
    }

    [Theory]
    [InlineData(0, VeeRules.None)]
    [InlineData(4, VeeRules.None)]
    [InlineData(6, VeeRules.FutureTimestamp)]
    public void Validate_IntervalEndingAroundNow_AllowsClockTolerance(int minutesPastEnd, VeeRules expected)
    {
        IntervalReading reading = Interval(10, 0.1m);
        DateTimeOffset now = reading.End.AddMinutes(-minutesPastEnd);

        Assert.Equal(expected, IntervalValidator.Validate([reading], Context(now: now))[0].Failed);
    }

    [Fact]
    public void Validate_AfterRemoval_Rejects()
    {
        IntervalSeriesContext context = Context() with { Meter = ArchiveEntry() with { RemovedAt = DayStart.AddHours(1) } };

        ValidatedInterval[] results = IntervalValidator.Validate([Interval(3, 0.1m), Interval(4, 0.1m)], context);

        Assert.Equal(VeeRules.None, results[0].Failed);
        Assert.Equal(VeeRules.AfterRemoval, results[1].Failed);
        Assert.Equal(ValueDisposition.Rejected, results[1].Disposition);
    }

    [Fact]
    public void Validate_SameKeyTwiceInDelivery_SecondIsDuplicate()
    {
        ValidatedInterval[] results = IntervalValidator.Validate([Interval(1, 0.1m), Interval(1, 0.1m), Interval(1, 0.3m)], Context());

        Assert.Equal(ValueDisposition.Accepted, results[0].Disposition);
        Assert.Equal(ValueDisposition.Duplicate, results[1].Disposition);
        Assert.Equal(ValueDisposition.Duplicate, results[2].Disposition);
    }

    [Theory]
    [InlineData("0.1", ReadingQuality.Valid, ValueDisposition.Duplicate)]
    [InlineData("0.2", ReadingQuality.Valid, ValueDisposition.Accepted)]
    [InlineData("0.1", ReadingQuality.Estimated, ValueDisposition.Accepted)]
    public void Validate_KeyAlreadyStored_DuplicateOnlyWhenIdentical(string value, ReadingQuality quality, ValueDisposition expected)
    {
        IntervalReading stored = Interval(1, 0.1m);

        ValidatedInterval result = IntervalValidator.Validate([Interval(1, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), quality)], Context([stored]))[0];

        Assert.Equal(expected, result.Disposition);
    }

    [Fact]
    public void Validate_LateBackfill_RecordsOutOfOrderButAccepts()
    {
        ValidatedInterval[] results = IntervalValidator.Validate([Interval(5, 0.1m), Interval(2, 0.1m)], Context([Interval(1, 0.1m)]));

        Assert.Equal(VeeOutcome.Pass, results[0].OutcomeOf(VeeRules.OutOfOrder));
        Assert.Equal(VeeOutcome.Fail, results[1].OutcomeOf(VeeRules.OutOfOrder));
        Assert.Equal(ValueDisposition.Accepted, results[1].Disposition);
    }

    [Theory]
    [InlineData(EnergyUnit.Kwh, 15, 0, false)]
    [InlineData(EnergyUnit.Kvarh, 15, 0, true)]
    [InlineData(EnergyUnit.Kwh, 30, 0, true)]
    [InlineData(EnergyUnit.Kwh, 15, 5, true)]
    public void Validate_UnitIntervalAndAlignment_FlagsMismatch(EnergyUnit unit, int minutes, int shiftMinutes, bool fails)
    {
        IntervalReading reading = Interval(8, 0.1m) with { Unit = unit, IntervalMinutes = minutes };
        reading = reading with { Start = reading.Start.AddMinutes(shiftMinutes) };

        ValidatedInterval result = IntervalValidator.Validate([reading], Context())[0];

        Assert.Equal(fails ? VeeOutcome.Fail : VeeOutcome.Pass, result.OutcomeOf(VeeRules.UnitChannelMismatch));
    }

    [Fact]
    public void Validate_TooLittleHistory_SpikeNotEvaluated()
    {
        ValidatedInterval result = IntervalValidator.Validate([Interval(40, 100m)], Context(FlatHistory(days: 0)))[0];

        Assert.Equal(VeeOutcome.NotEvaluated, result.OutcomeOf(VeeRules.Spike));
        Assert.Equal(ValueDisposition.Accepted, result.Disposition);
    }

    [Fact]
    public void Validate_FewSameDayValuesAndStoredReference_JudgesSpikeAgainstStoredReference()
    {
        // Live data: 44 values of the day stored, the 45th is ×50. The stored reference (a week's P95) judges it.
        IntervalReading[] sameDay = [.. Enumerable.Range(0, 44).Select(s => Interval(s, 0.2m))];
        IntervalSeriesContext context = Context(sameDay) with { StoredSpikeReference = new SpikeReference(0.3m) };

        ValidatedInterval[] results = IntervalValidator.Validate([Interval(44, 0.2m), Interval(45, 0.2m * 50)], context);

        Assert.Equal((VeeOutcome.Pass, VeeOutcome.Fail), (results[0].OutcomeOf(VeeRules.Spike), results[1].OutcomeOf(VeeRules.Spike)));
        Assert.Equal(ReadingQuality.Questionable, results[1].StoredQuality);
    }

    [Fact]
    public void Validate_FullDayOfHistoryAndStoredReference_JudgesAgainstTheHistory()
    {
        // The history's P95 is 0.2, so 1.1 is a spike; against the stored 0.3 it would not be (1.1 < 5 × 0.3).
        IntervalSeriesContext context = Context(FlatHistory(days: 1)) with { StoredSpikeReference = new SpikeReference(0.3m) };

        ValidatedInterval result = IntervalValidator.Validate([Interval(40, 1.1m)], context)[0];

        Assert.Equal(VeeOutcome.Fail, result.OutcomeOf(VeeRules.Spike));
    }

    [Fact]
    public void Validate_FewSameDayValuesAndNoStoredReference_SpikeNotEvaluated()
    {
        // A freshly installed meter: no stored reference yet, and too little of its own history.
        ValidatedInterval result = IntervalValidator.Validate([Interval(45, 10m)], Context([.. Enumerable.Range(0, 44).Select(s => Interval(s, 0.2m))]))[0];

        Assert.Equal(VeeOutcome.NotEvaluated, result.OutcomeOf(VeeRules.Spike));
        Assert.Equal(ReadingQuality.Valid, result.StoredQuality);
    }

    [Fact]
    public void Validate_FullDayOfQuestionableHistory_IsNotTrusted_StoredReferenceJudges()
    {
        // A day whose values were all flagged questionable would put the history's P95 at 2.0; the stored 0.2 judges instead.
        IntervalReading[] doubted = [.. FlatHistory(2m, days: 1).Select(h => h with { Quality = ReadingQuality.Questionable })];
        IntervalSeriesContext context = Context(doubted) with { StoredSpikeReference = new SpikeReference(0.2m) };

        ValidatedInterval result = IntervalValidator.Validate([Interval(40, 1.5m)], context)[0];

        Assert.Equal(VeeOutcome.Fail, result.OutcomeOf(VeeRules.Spike));
    }

    [Theory]
    [InlineData(95, false)]
    [InlineData(96, true)]
    public void Validate_ZeroRunReachingThreshold_FlagsProlongedZero(int zeroSlots, bool flagged)
    {
        // Zero run spanning the end of the previous day (stored) and the start of this day (delivered).
        IntervalReading[] history = Enumerable.Range(48, 48).Select(s => Interval(s, 0m, dayStart: DayStart.AddDays(-1))).ToArray();
        IntervalReading[] delivery = Enumerable.Range(0, zeroSlots - 48).Select(s => Interval(s, 0m)).Append(Interval(zeroSlots - 48, 0.3m)).ToArray();

        ValidatedInterval[] results = IntervalValidator.Validate(delivery, Context(history));

        Assert.Equal(flagged ? VeeOutcome.Fail : VeeOutcome.Pass, results[0].OutcomeOf(VeeRules.ProlongedZero));
        Assert.Equal(VeeOutcome.Pass, results[^1].OutcomeOf(VeeRules.ProlongedZero));
        Assert.Equal(flagged ? ReadingQuality.Questionable : ReadingQuality.Valid, results[0].StoredQuality);
    }

    [Fact]
    public void Validate_ZeroRunBrokenByGap_NotProlonged()
    {
        IntervalReading[] delivery = Enumerable.Range(0, 96).Where(s => s != 50).Select(s => Interval(s, 0m))
            .Concat(Enumerable.Range(0, 10).Select(s => Interval(s, 0m, dayStart: DayStart.AddDays(-1)))).ToArray();

        ValidatedInterval[] results = IntervalValidator.Validate(delivery, Context(now: DayStart.AddDays(2)));

        Assert.All(results, r => Assert.Equal(VeeOutcome.Pass, r.OutcomeOf(VeeRules.ProlongedZero)));
    }

    [Fact]
    public void Validate_ReadingOfOtherSeries_IsCallerBug() =>
        Assert.Throws<ArgumentException>(() => IntervalValidator.Validate([Interval(1, 1m) with { Meter = new MeterId("X") }], Context()));

    [Fact]
    public void Results_FailedValue_ListsEveryEvaluatedRuleByName()
    {
        ValidatedInterval result = IntervalValidator.Validate([Interval(1, -1m)], Context())[0];

        VeeRuleResult[] all = result.Results().ToArray();

        Assert.Contains(new VeeRuleResult(VeeRules.NegativeConsumption, VeeOutcome.Fail), all);
        Assert.Contains(new VeeRuleResult(VeeRules.Duplicate, VeeOutcome.Pass), all);
        Assert.DoesNotContain(all, r => r.Rule == VeeRules.Spike);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Validate_SameInputs_SameResults(int[] slots, int[] milliKwh)
    {
        int n = Math.Min(slots.Length, milliKwh.Length);
        IntervalReading[] delivery = Enumerable.Range(0, n).Select(i => Interval(Math.Abs(slots[i] % 96), milliKwh[i] / 1000m)).ToArray();
        IntervalSeriesContext context = Context(FlatHistory(days: 2));

        return IntervalValidator.Validate(delivery, context).SequenceEqual(IntervalValidator.Validate(delivery, context));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Validate_AnyOrderOfSlots_DuplicateExactlyWhereTheSlotCameEarlier(int[] slots)
    {
        IntervalReading[] delivery = slots.Select(s => Interval(Math.Abs(s % 96), 0.2m)).ToArray();

        ValidatedInterval[] results = IntervalValidator.Validate(delivery, Context());

        return results.Select((r, i) => r.Failed.HasFlag(VeeRules.Duplicate) == delivery.Take(i).Any(d => d.Start == delivery[i].Start)).All(ok => ok);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Validate_ZerosInAnyOrder_ProlongedZeroExactlyOnLongZeroRuns(int seed)
    {
        // A day with a few slots missing, mostly zeros, maybe shuffled: ProlongedZero is set on a value exactly when it
        // is a zero whose run of contiguous zero slots reaches the threshold.
        var random = new Random(seed);
        int[] present = Enumerable.Range(0, 96).Where(_ => random.NextDouble() < 0.9).ToArray();
        HashSet<int> zeros = [.. present.Where(_ => random.NextDouble() < 0.85)];
        int[] order = random.Next(2) == 0 ? present : [.. present.OrderBy(_ => random.Next())];
        IntervalReading[] delivery = order.Select(s => Interval(s, zeros.Contains(s) ? 0m : 0.3m)).ToArray();
        var options = new VeeOptions { ProlongedZero = TimeSpan.FromHours(2) };
        int threshold = (int)(options.ProlongedZero.TotalMinutes / 15);
        int RunLength(int slot)
        {
            int first = slot, last = slot;
            while (zeros.Contains(first - 1))
            {
                first--;
            }

            while (zeros.Contains(last + 1))
            {
                last++;
            }

            return last - first + 1;
        }

        ValidatedInterval[] results = IntervalValidator.Validate(delivery, Context(options: options));

        return results.Select((r, i) => r.Failed.HasFlag(VeeRules.ProlongedZero) == (zeros.Contains(order[i]) && RunLength(order[i]) >= threshold)).All(ok => ok);
    }
}
