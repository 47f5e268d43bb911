using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class SpikeReferenceTests
{
    [Fact]
    public void FromCurves_TwoDaysOfHundredthsUpToOne_IsNearestRankNinetyFifthPercentile()
    {
        // 192 values 0.01 … 0.96, then 0.01 … 0.96 again: nearest rank ⌈0.95 × 192⌉ = 183 of the sorted values, which
        // pair up (0.01, 0.01, 0.02, 0.02, …), so it is the 92nd distinct value.
        DayCurve[] curves = [FullCurve(Day.AddDays(-2), s => (s + 1) / 100m), FullCurve(Day.AddDays(-1), s => (s + 1) / 100m)];

        SpikeReference? reference = SpikeReference.FromCurves(curves, VeeOptions.Default);

        Assert.Equal(new SpikeReference(0.92m), reference);
    }

    [Fact]
    public void FromCurves_OneSlotShortOfTheMinimum_HasNone()
    {
        DayCurve day = Curve(Day, [.. Enumerable.Range(0, 95).Select(s => (s, 0.2m, ReadingQuality.Valid))]);

        Assert.Null(SpikeReference.FromCurves([day], VeeOptions.Default));
        Assert.NotNull(SpikeReference.FromCurves([day], VeeOptions.Default with { SpikeMinimumHistory = 95 }));
    }

    [Fact]
    public void FromCurves_FullDayOfWhichOneQuestionable_TooFewTrustedValues()
    {
        DayCurve day = Curve(Day, [.. Enumerable.Range(0, 96).Select(s => (s, 0.2m, s == 7 ? ReadingQuality.Questionable : ReadingQuality.Valid))]);

        Assert.Null(SpikeReference.FromCurves([day], VeeOptions.Default));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool FromHistory_EstimatedOrQuestionableValuesOfAnySize_NeverChangeTheReference(int[] milliKwh, bool questionable)
    {
        ReadingQuality untrusted = questionable ? ReadingQuality.Questionable : ReadingQuality.Estimated;
        IntervalReading[] trusted = FlatHistory(days: 2).Select((h, i) => h with { Value = (i % 17) / 10m }).ToArray();
        IntervalReading[] extra = milliKwh.Select((v, i) => Interval(i % 96, Math.Abs((long)v) / 1000m, untrusted, DayStart.AddDays(-3 - (i / 96)))).ToArray();

        return SpikeReference.FromHistory(trusted, VeeOptions.Default) == SpikeReference.FromHistory([.. trusted, .. extra], VeeOptions.Default);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool FromHistory_EnoughTrustedValues_LevelIsOneOfThemWithAtLeastNinetyFivePercentAtOrBelow(int[] milliKwh, int seed)
    {
        var random = new Random(seed);
        decimal[] values = [.. milliKwh.Select(v => Math.Abs((long)v) / 1000m), .. Enumerable.Range(0, 96).Select(_ => random.Next(0, 5000) / 1000m)];
        IntervalReading[] history = values.Select((v, i) => Interval(i % 96, v, ReadingQuality.Valid, DayStart.AddDays(-1 - (i / 96)))).ToArray();

        decimal level = SpikeReference.FromHistory(history, VeeOptions.Default)!.Value.Level;

        return values.Contains(level) && values.Count(v => v <= level) >= 0.95m * values.Length && values.Count(v => v < level) < 0.95m * values.Length;
    }

    [Theory]
    [InlineData(true, true, "history")]
    [InlineData(false, true, "stored")]
    [InlineData(true, false, "history")]
    [InlineData(false, false, "none")]
    public void ForSeries_HistoryFirstThenStored_ElseNone(bool hasHistory, bool hasStored, string expected)
    {
        SpikeReference? ofHistory = hasHistory ? new SpikeReference(0.2m) : null, stored = hasStored ? new SpikeReference(0.7m) : null;

        SpikeReference? chosen = SpikeReference.ForSeries(ofHistory, stored);

        Assert.Equal(expected switch { "history" => ofHistory, "stored" => stored, _ => null }, chosen);
    }

    [Theory]
    [InlineData("1.0", "5.0", false)] // exactly the factor: not above it
    [InlineData("1.0", "5.0001", true)]
    [InlineData("0.05", "0.55", false)] // 11 × the level, but exactly the minimum excess above it
    [InlineData("0.05", "0.5501", true)]
    [InlineData("0", "0.5001", true)]
    public void IsExceededBy_FactorAndExcessBothStrict(string level, string value, bool spike)
    {
        var reference = new SpikeReference(decimal.Parse(level, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(spike, reference.IsExceededBy(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), VeeOptions.Default));
    }

    [Fact]
    public void New_NegativeLevel_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeReference(-0.01m));
}
