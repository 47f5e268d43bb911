using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class EstimatorTests
{
    private static readonly IReadOnlyDictionary<DateOnly, DayCurve> NoHistory = new Dictionary<DateOnly, DayCurve>();

    private static DayCurve CurveWithGap(int from, int toInclusive, Func<int, decimal> value)
    {
        CurveUpdate[] updates = Enumerable.Range(0, 96).Where(s => s < from || s > toInclusive)
            .Select(s => new CurveUpdate(s, value(s), ReadingQuality.Valid)).ToArray();
        return DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).Merge(updates).Curve;
    }

    [Theory]
    // gap slots, left value, right value, expected estimates (interpolated on a straight line, rounded to 0.001)
    [InlineData(10, 10, "1", "2", new[] { "1.5" })]
    [InlineData(10, 12, "1", "2", new[] { "1.25", "1.5", "1.75" })]
    [InlineData(10, 11, "0", "1", new[] { "0.333", "0.667" })]
    [InlineData(10, 17, "2", "2", new[] { "2", "2", "2", "2", "2", "2", "2", "2" })]
    public void EstimateGaps_ShortGap_InterpolatesLinearly(int from, int to, string left, string right, string[] expected)
    {
        DayCurve curve = CurveWithGap(from, to, s => s < from ? Dec(left) : Dec(right));

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, NoHistory, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Equal(expected.Select(Dec), result.Updates.Select(u => u.Value));
        Assert.All(result.Updates, u => Assert.Equal(EstimationMethod.LinearInterpolation, u.Method));
        Assert.All(result.Updates, u => Assert.Equal(ReadingQuality.Estimated, u.Quality));
        Assert.Empty(result.Unestimated);
    }

    [Fact]
    public void EstimateGaps_GapAtMidnight_UsesNeighbouringDays()
    {
        DayCurve curve = CurveWithGap(0, 0, _ => 3m);
        DayCurve previous = FullCurve(Day.AddDays(-1), _ => 1m);

        EstimationResult result = Estimator.EstimateGaps(curve, previous, null, NoHistory, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Equal([new CurveUpdate(0, 2m, ReadingQuality.Estimated, VeeRules.Gap, EstimationMethod.LinearInterpolation)], result.Updates);
    }

    [Theory]
    [InlineData(8, EstimationMethod.LinearInterpolation)]
    [InlineData(9, EstimationMethod.SameWeekdayProfile)]
    public void EstimateGaps_GapLengthAroundTwoHours_SwitchesMethod(int gapSlots, EstimationMethod expected)
    {
        DayCurve curve = CurveWithGap(20, 20 + gapSlots - 1, _ => 1m);
        var history = new Dictionary<DateOnly, DayCurve> { [Day.AddDays(-7)] = FullCurve(Day.AddDays(-7), _ => 4m) };

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, history, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Equal(gapSlots, result.Updates.Count);
        Assert.All(result.Updates, u => Assert.Equal(expected, u.Method));
    }

    [Fact]
    public void EstimateGaps_LongGap_AveragesSameWeekdayOfPreviousWeeks()
    {
        DayCurve curve = CurveWithGap(30, 59, _ => 1m);
        var history = new Dictionary<DateOnly, DayCurve>
        {
            [Day.AddDays(-7)] = FullCurve(Day.AddDays(-7), s => s),
            [Day.AddDays(-14)] = FullCurve(Day.AddDays(-14), s => s + 1),
            [Day.AddDays(-1)] = FullCurve(Day.AddDays(-1), _ => 1000m), // not the same weekday: ignored
        };

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, history, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Equal(Enumerable.Range(30, 30).Select(s => s + 0.5m), result.Updates.Select(u => u.Value));
        Assert.All(result.Updates, u => Assert.Equal(EstimationMethod.SameWeekdayProfile, u.Method));
    }

    [Fact]
    public void EstimateGaps_NoSameWeekday_FallsBackToSimilarDayType()
    {
        DayCurve curve = CurveWithGap(30, 59, _ => 1m);
        var history = new Dictionary<DateOnly, DayCurve>
        {
            [Day.AddDays(-3)] = FullCurve(Day.AddDays(-3), _ => 2m), // Friday: workday like Monday
            [Day.AddDays(-4)] = FullCurve(Day.AddDays(-4), _ => 4m), // Thursday
            [Day.AddDays(-1)] = FullCurve(Day.AddDays(-1), _ => 100m), // Sunday: other day type
        };

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, history, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.All(result.Updates, u => Assert.Equal((EstimationMethod.SimilarDayProfile, 3m), (u.Method, u.Value)));
    }

    [Fact]
    public void EstimateGaps_NoReference_LeavesSlotsUnestimated()
    {
        DayCurve curve = CurveWithGap(30, 59, _ => 1m);

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, NoHistory, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Empty(result.Updates);
        Assert.Equal(Enumerable.Range(30, 30), result.Unestimated);
    }

    [Fact]
    public void EstimateGaps_SlotsNotYetDue_AreNotGaps()
    {
        DayCurve curve = CurveWithGap(40, 95, _ => 1m);

        EstimationResult result = Estimator.EstimateGaps(curve, null, null, NoHistory, curve.SlotStart(42), EstimationOptions.Default);

        Assert.Equal([40, 41], result.Unestimated);
    }

    [Fact]
    public void EstimateGaps_EstimatedNeighbour_IsNotUsedForInterpolation()
    {
        DayCurve withHole = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15)
            .Merge(Enumerable.Range(0, 96).Where(s => s is not (10 or 11 or 12)).Select(s => new CurveUpdate(s, 1m, ReadingQuality.Valid)).Append(new CurveUpdate(12, 9m, ReadingQuality.Estimated)).ToArray()).Curve;

        EstimationResult result = Estimator.EstimateGaps(withHole, null, null, NoHistory, DayStart.AddDays(1), EstimationOptions.Default);

        Assert.Empty(result.Updates);
        Assert.Equal([10, 11], result.Unestimated);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool EstimateGaps_MergedIntoCurve_NeverOverwritesActual(bool[] present, int[] values)
    {
        var updates = new List<CurveUpdate>();
        for (int s = 0; s < 96 && s < present.Length; s++)
        {
            if (present[s])
            {
                updates.Add(new CurveUpdate(s, values.Length > s ? Math.Abs(values[s] % 100_000) / 1000m : 0m, ReadingQuality.Valid));
            }
        }

        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).Merge(updates.ToArray()).Curve;
        var history = new Dictionary<DateOnly, DayCurve> { [Day.AddDays(-7)] = FullCurve(Day.AddDays(-7), s => s / 10m) };

        EstimationResult estimation = Estimator.EstimateGaps(curve, null, null, history, DayStart.AddDays(1), EstimationOptions.Default);
        DayCurve merged = curve.Merge(estimation.Updates.ToArray()).Curve;

        bool actualsKept = Enumerable.Range(0, 96).All(s => !curve.Slots[s].HasValue || merged.Slots[s] == curve.Slots[s]);
        bool estimatesFlagged = Enumerable.Range(0, 96).All(s => curve.Slots[s].HasValue
            || (merged.Slots[s].Quality == ReadingQuality.Estimated && merged.Slots[s].OutcomeOf(VeeRules.Gap) == VeeOutcome.Estimated));
        return actualsKept && estimatesFlagged;
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
