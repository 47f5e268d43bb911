using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class DayCurveTests
{
    private const ReadingQuality V = ReadingQuality.Valid;
    private const ReadingQuality Q = ReadingQuality.Questionable;
    private const ReadingQuality E = ReadingQuality.Estimated;
    private const ReadingQuality M = ReadingQuality.ManuallyEdited;

    [Theory]
    [InlineData(true, V, true)]
    [InlineData(true, E, true)]
    [InlineData(true, M, true)]
    [InlineData(true, Q, false)]
    [InlineData(false, V, false)]
    [InlineData(false, Q, false)]
    public void CountsTowardLoad_ByPresenceAndQuality_OnlyTrustedValuesCount(bool hasValue, ReadingQuality quality, bool counts) =>
        Assert.Equal(counts, new CurveSlot(hasValue, hasValue ? 2.5m : 0m, quality, 1, VeeRules.None, EstimationMethod.None).CountsTowardLoad);

    [Theory]
    // existing value/quality (null = empty), incoming value/quality, outcome, resulting value/quality
    [InlineData(null, V, 1.0, V, MergeOutcome.Inserted, 1.0, V)]
    [InlineData(1.0, V, 1.0, V, MergeOutcome.Unchanged, 1.0, V)]
    [InlineData(1.0, E, 2.0, V, MergeOutcome.Replaced, 2.0, V)]
    [InlineData(1.0, E, 1.0, V, MergeOutcome.Replaced, 1.0, V)]
    [InlineData(1.0, V, 2.0, E, MergeOutcome.KeptExisting, 1.0, V)]
    [InlineData(1.0, V, 2.0, V, MergeOutcome.ConflictRejected, 1.0, V)]
    [InlineData(1.0, Q, 2.0, Q, MergeOutcome.ConflictRejected, 1.0, Q)]
    [InlineData(1.0, Q, 2.0, V, MergeOutcome.Replaced, 2.0, V)]
    [InlineData(1.0, V, 2.0, Q, MergeOutcome.KeptExisting, 1.0, V)]
    [InlineData(1.0, E, 2.0, E, MergeOutcome.Replaced, 2.0, E)]
    [InlineData(1.0, V, 2.0, M, MergeOutcome.Replaced, 2.0, M)]
    [InlineData(1.0, M, 2.0, M, MergeOutcome.Replaced, 2.0, M)]
    [InlineData(1.0, M, 2.0, V, MergeOutcome.KeptExisting, 1.0, M)]
    public void Merge_ExistingAndIncoming_FollowsPolicy(double? existing, ReadingQuality existingQuality, double incoming, ReadingQuality incomingQuality, MergeOutcome outcome, double result, ReadingQuality resultQuality)
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15);
        if (existing is { } e)
        {
            curve = curve.Merge([new CurveUpdate(7, (decimal)e, existingQuality)]).Curve;
        }

        CurveMergeResult merged = curve.Merge([new CurveUpdate(7, (decimal)incoming, incomingQuality)]);

        Assert.Equal(outcome, merged.Outcomes[0]);
        Assert.Equal(((decimal)result, resultQuality), (merged.Curve.Slots[7].Value, merged.Curve.Slots[7].Quality));
        Assert.Equal(outcome == MergeOutcome.Replaced ? 1 : 0, merged.Curve.History.Count);
    }

    [Fact]
    public void Merge_ActualReplacesEstimate_KeepsEstimateInHistoryAndBumpsVersion()
    {
        DayCurve estimated = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15)
            .Merge([new CurveUpdate(3, 0.5m, E, VeeRules.Gap, EstimationMethod.LinearInterpolation)]).Curve;

        DayCurve actual = estimated.Merge([new CurveUpdate(3, 0.7m, V)]).Curve;

        Assert.Equal(new CurveSlot(true, 0.7m, V, 2, VeeRules.None, EstimationMethod.None), actual.Slots[3]);
        Assert.Equal([new CurveRevision(3, 1, 0.5m, E, VeeRules.Gap, EstimationMethod.LinearInterpolation)], actual.History);
    }

    [Fact]
    public void Merge_ReplayOfSupersededEstimate_DoesNotFlipBack()
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15)
            .Merge([new CurveUpdate(3, 0.5m, E)]).Curve
            .Merge([new CurveUpdate(3, 0.6m, E)]).Curve;

        CurveMergeResult replay = curve.Merge([new CurveUpdate(3, 0.5m, E)]);

        Assert.Equal(MergeOutcome.Unchanged, replay.Outcomes[0]);
        Assert.Same(curve, replay.Curve);
    }

    [Theory]
    [InlineData(-1, "1")]
    [InlineData(96, "1")]
    [InlineData(0, "0.00001")]
    [InlineData(0, "1000000000001")]
    public void Merge_BadSlotOrValue_Invalid(int slot, string value)
    {
        CurveMergeResult merged = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15)
            .Merge([new CurveUpdate(slot, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), V)]);

        Assert.Equal(MergeOutcome.Invalid, merged.Outcomes[0]);
        Assert.False(merged.Changed);
    }

    [Fact]
    public void Merge_ManyRevisions_StopsAtLimit()
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15);
        var outcomes = new List<MergeOutcome>();
        for (int i = 0; i <= DayCurve.MaxRevisionsPerSlot + 1; i++)
        {
            CurveMergeResult r = curve.Merge([new CurveUpdate(0, i, M)]);
            outcomes.Add(r.Outcomes[0]);
            curve = r.Curve;
        }

        Assert.Equal(MergeOutcome.RevisionLimitReached, outcomes[^1]);
        Assert.Equal(DayCurve.MaxRevisionsPerSlot, curve.History.Count);
    }

    [Fact]
    public void EmptyCount_ActualAndEstimatedSlotsFilled_CountsOnlyTheGaps()
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15)
            .Merge([new CurveUpdate(0, 0.1m, V), new CurveUpdate(1, 0.2m, E, VeeRules.Gap, EstimationMethod.LinearInterpolation), new CurveUpdate(95, 0m, V)]).Curve;

        Assert.Equal(96 - 3, curve.EmptyCount());
        Assert.Equal(96, DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).EmptyCount());
    }

    [Theory]
    [InlineData(15, 96)]
    [InlineData(30, 48)]
    [InlineData(60, 24)]
    public void Empty_Interval_HasSlotsForWholeDay(int minutes, int slots) =>
        Assert.Equal(slots, DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, minutes).SlotCount);

    [Theory]
    [InlineData(0, true, 0)]
    [InlineData(15 * 95, true, 95)]
    [InlineData(15 * 96, false, -1)]
    [InlineData(-15, false, -1)]
    [InlineData(7, false, -1)]
    public void TryGetSlot_Start_MapsToLocalDayGrid(int minutesAfterMidnight, bool ok, int slot)
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15);

        Assert.Equal(ok, curve.TryGetSlot(DayStart.AddMinutes(minutesAfterMidnight), out int actual));
        Assert.Equal(slot, actual);
    }

    [Fact]
    public void Encode_WorstCaseDay_FitsTableBinaryLimit()
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15);
        for (int round = 0; round <= DayCurve.MaxRevisionsPerSlot; round++)
        {
            CurveUpdate[] updates = Enumerable.Range(0, 96)
                .Select(s => new CurveUpdate(s, -999_999_999_999.9999m + round, M, (VeeRules)0xFFFF, EstimationMethod.None)).ToArray();
            curve = curve.Merge(updates).Curve;
        }

        byte[] bytes = curve.Encode();

        Assert.Equal(96 * DayCurve.MaxRevisionsPerSlot, curve.History.Count);
        Assert.True(bytes.Length < DayCurve.MaxEncodedBytes, $"{bytes.Length} bytes");
        Assert.True(DayCurve.TryDecode(Meter, MeterChannel.ActiveImport, Day, bytes, out DayCurve? decoded));
        Assert.Equal(curve, decoded);
    }

    [Fact]
    public void Encode_FullDayOfActuals_IsCompact()
    {
        byte[] bytes = FullCurve(Day, s => 0.1m + (s * 0.001m)).Encode();

        // 3 header + 12 bitmap + 96 × (status, version, value ≤ 3 bytes) + history count.
        Assert.InRange(bytes.Length, 15 + (96 * 3), 15 + (96 * 5) + 1);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'M' })]
    [InlineData(new byte[] { (byte)'M', 2, 15 })]
    [InlineData(new byte[] { (byte)'M', 1, 16 })]
    [InlineData(new byte[] { (byte)'X', 1, 15 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 0, 0, 0x80, 0 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 1, 0, 0, 0, 0, 1, 2 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 0, 0, 0, 1, 0, 0, 0, 2 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 0, 0, 0, 1, 24, 0, 1, 2 })]
    [InlineData(new byte[] { (byte)'M', 1, 60, 0, 0, 0, 1, 0, 0x20, 1, 2 })]
    public void TryDecode_CorruptBytes_ReturnsFalse(byte[] data) =>
        Assert.False(DayCurve.TryDecode(Meter, MeterChannel.ActiveImport, Day, data, out _));

    [Fact]
    public void TryDecode_EmptyHourlyCurve_Decodes()
    {
        Assert.True(DayCurve.TryDecode(Meter, MeterChannel.ActiveImport, Day, [(byte)'M', 1, 60, 0, 0, 0, 0], out DayCurve? curve));
        Assert.Equal(DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 60), curve);
    }

    public static Arbitrary<CurveUpdate[]> Updates() =>
        Gen.Choose(0, 95).SelectMany(slot => Gen.Choose(-2_000_000, 2_000_000).SelectMany(value =>
            Gen.Elements(V, Q, E, M).Select(q => new CurveUpdate(slot, value / 1000m, q, q == E ? VeeRules.Gap : VeeRules.None, q == E ? EstimationMethod.SameWeekdayProfile : EstimationMethod.None))))
        .ArrayOf().ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(DayCurveTests)])]
    public bool Merge_SameDeliveryTwice_SecondIsNoChange(CurveUpdate[] first, CurveUpdate[] delivery)
    {
        DayCurve start = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).Merge(first).Curve;

        DayCurve once = start.Merge(delivery).Curve;
        CurveMergeResult twice = once.Merge(delivery);

        return twice.Curve.Equals(once) && !twice.Changed;
    }

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(DayCurveTests)])]
    public bool Merge_AnyUpdates_ActualNeverReplacedByEstimate(CurveUpdate[] first, CurveUpdate[] delivery)
    {
        DayCurve before = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).Merge(first).Curve;
        CurveUpdate[] estimates = delivery.Select(u => u with { Quality = E }).ToArray();

        DayCurve after = before.Merge(estimates).Curve;

        return Enumerable.Range(0, 96).All(s => !before.Slots[s].HasValue || before.Slots[s].Quality == E || after.Slots[s] == before.Slots[s]);
    }

    [FsCheck.Xunit.Property(MaxTest = 300, Arbitrary = [typeof(DayCurveTests)])]
    public bool Encode_ThenDecode_RoundTrips(CurveUpdate[] first, CurveUpdate[] second)
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, Day, 15).Merge(first).Curve.Merge(second).Curve;

        return DayCurve.TryDecode(Meter, MeterChannel.ActiveImport, Day, curve.Encode(), out DayCurve? decoded) && curve.Equals(decoded);
    }

    [FsCheck.Xunit.Property(MaxTest = 1000)]
    public bool TryDecode_ArbitraryBytes_NeverThrows(byte[] data, bool withHeader)
    {
        byte[] input = withHeader ? [(byte)'M', 1, 15, .. data] : data;
        bool ok = DayCurve.TryDecode(Meter, MeterChannel.ActiveImport, Day, input, out DayCurve? decoded);
        return ok == (decoded is not null);
    }
}

public class DayCurveEncodingTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(20, false)]
    [InlineData(4096, true)]
    public void TryEncode_DestinationSize_WritesSameBytesAsEncodeOrNothing(int size, bool ok)
    {
        DayCurve curve = TestData.FullCurve(TestData.Day, s => s * 0.01m);
        byte[] expected = curve.Encode();
        var destination = new byte[size];

        Assert.Equal(ok, curve.TryEncode(destination, out int written));
        Assert.Equal(ok ? expected : [], destination[..written]);
    }
}
