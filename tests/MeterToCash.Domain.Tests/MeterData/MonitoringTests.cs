using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.TestData;

namespace MeterToCash.Domain.Tests.MeterData;

public class MonitoringTests
{
    private static readonly DateTimeOffset T0 = DayStart.AddHours(10);

    private static MeterReportState Up(int i) => new(new MeterId("M" + i), T0.AddMinutes(-5), null, null);

    private static MeterReportState Gasped(int i, int minutes) => new(new MeterId("M" + i), T0.AddMinutes(minutes - 10), T0.AddMinutes(minutes), null);

    private static MeterReportState Restored(int i, int gasp, int restore) => new(new MeterId("M" + i), T0.AddMinutes(restore), T0.AddMinutes(gasp), T0.AddMinutes(restore));

    [Theory]
    // meters up, meters down (gasp minute offsets), expected decision, expected start offset
    [InlineData(10, new int[0], OutageDecisionKind.None, null)]
    [InlineData(6, new[] { 1, 2, 3, 4 }, OutageDecisionKind.None, null)]
    [InlineData(5, new[] { 4, 1, 3, 2, 5 }, OutageDecisionKind.Open, 5)]
    [InlineData(2, new[] { 3, 1, 2, 7, 9, 8 }, OutageDecisionKind.Open, 7)]
    [InlineData(1, new[] { 1 }, OutageDecisionKind.None, null)]
    public void Evaluate_NoOpenOutage_OpensWhenShareReached(int up, int[] gasps, OutageDecisionKind expected, int? startMinute)
    {
        var meters = Enumerable.Range(0, up).Select(Up).Concat(gasps.Select((g, i) => Gasped(100 + i, g))).ToList();

        OutageDecision decision = AreaOutageDetector.Evaluate(meters, null, T0.AddMinutes(10), OutageOptions.Default);

        Assert.Equal(expected, decision.Kind);
        Assert.Equal(startMinute is { } m ? T0.AddMinutes(m) : null, decision.StartedAt);
        Assert.Equal(up + gasps.Length, decision.MetersTotal);
    }

    [Fact]
    public void Evaluate_SilentMeters_CountAsDownAfterSilenceWindow()
    {
        var meters = Enumerable.Range(0, 4).Select(i => new MeterReportState(new MeterId("M" + i), T0, null, null)).ToList();

        Assert.Equal(OutageDecisionKind.None, AreaOutageDetector.Evaluate(meters, null, T0.AddMinutes(59), OutageOptions.Default).Kind);
        Assert.Equal(OutageDecisionKind.Open, AreaOutageDetector.Evaluate(meters, null, T0.AddMinutes(60), OutageOptions.Default).Kind);
    }

    [Fact]
    public void Evaluate_MostMetersRestored_ClosesWithDurationToLastReturn()
    {
        var open = new AreaOutage("A1", T0);
        List<MeterReportState> meters =
        [
            .. Enumerable.Range(0, 8).Select(i => Restored(i, 0, 30 + i) with { LastReportAt = T0.AddMinutes(115) }),
            Restored(8, 0, 90) with { LastReportAt = T0.AddMinutes(115) },
            new(new MeterId("M9"), T0.AddMinutes(110), null, null),
        ];

        OutageDecision decision = AreaOutageDetector.Evaluate(meters, open, T0.AddMinutes(120), OutageOptions.Default);

        Assert.Equal(OutageDecisionKind.Close, decision.Kind);
        Assert.Equal(TimeSpan.FromMinutes(90), decision.Duration);
    }

    [Fact]
    public void Evaluate_RestoredWithoutRestoreEvents_EndsWhenObserved()
    {
        var open = new AreaOutage("A1", T0);
        var meters = Enumerable.Range(0, 5).Select(i => new MeterReportState(new MeterId("M" + i), T0.AddMinutes(50), null, null)).ToList();

        OutageDecision decision = AreaOutageDetector.Evaluate(meters, open, T0.AddMinutes(55), OutageOptions.Default);

        Assert.Equal((OutageDecisionKind.Close, TimeSpan.FromMinutes(55)), (decision.Kind, decision.Duration));
    }

    [Fact]
    public void Evaluate_SomeStillDown_ContinuesOutage()
    {
        var open = new AreaOutage("A1", T0);
        List<MeterReportState> meters = [.. Enumerable.Range(0, 7).Select(i => Restored(i, 0, 30)), Gasped(7, 0), Gasped(8, 0), Up(9)];

        OutageDecision decision = AreaOutageDetector.Evaluate(meters, open, T0.AddMinutes(45), OutageOptions.Default);

        Assert.Equal((OutageDecisionKind.Continue, 2), (decision.Kind, decision.MetersDown));
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData(0, 5, null, 5)]
    [InlineData(10, 5, null, null)]
    [InlineData(0, 5, 8, null)]
    [InlineData(-70, null, null, -70)]
    public void DownSince_ReportGaspRestore_Decides(int? report, int? gasp, int? restore, int? expected)
    {
        DateTimeOffset? At(int? m) => m is { } v ? T0.AddMinutes(v) : null;
        var state = new MeterReportState(new MeterId("M1"), At(report), At(gasp), At(restore));

        Assert.Equal(At(expected), state.DownSince(T0.AddMinutes(10), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(-600, 0, null)] // data about 10 h ago arrived just now (a back-fill): not silent
    [InlineData(0, -60, -60)]   // current data, but nothing has arrived for an hour: silent since the arrival
    [InlineData(-600, -59, null)]
    public void DownSince_ArrivalsTracked_JudgesSilenceOnArrival(int report, int arrival, int? expected)
    {
        DateTimeOffset now = T0.AddMinutes(10);
        var state = new MeterReportState(new MeterId("M1"), now.AddMinutes(report), null, null, now.AddMinutes(arrival));

        Assert.Equal(expected is { } e ? now.AddMinutes(e) : null, state.DownSince(now, TimeSpan.FromHours(1)));
    }

    private static AlarmCondition Tamper(int minute, AlarmSeverity? severity = null) =>
        new(new AlarmKey(AlarmKind.Tamper, "M1"), T0.AddMinutes(minute), severity, "cover");

    [Fact]
    public void Raise_NoExisting_OpensWithKindDefaults()
    {
        Alarm alarm = AlarmRules.Raise(null, Tamper(0));

        Assert.Equal(new Alarm(new AlarmKey(AlarmKind.Tamper, "M1"), AlarmState.Open, AlarmSeverity.Major, Department.RevenueProtection, T0, T0, 1, null, null, null, "cover"), alarm);
    }

    [Theory]
    [InlineData(5, null, 2, AlarmSeverity.Major)]
    [InlineData(5, AlarmSeverity.Critical, 2, AlarmSeverity.Critical)]
    [InlineData(5, AlarmSeverity.Info, 2, AlarmSeverity.Major)]
    [InlineData(0, null, 1, AlarmSeverity.Major)]
    [InlineData(-5, AlarmSeverity.Critical, 1, AlarmSeverity.Major)]
    public void Raise_LiveAlarm_DeduplicatesAndEscalates(int minute, AlarmSeverity? severity, int occurrences, AlarmSeverity expectedSeverity)
    {
        Alarm open = AlarmRules.Raise(null, Tamper(0));

        Alarm updated = AlarmRules.Raise(open, Tamper(minute, severity));

        Assert.Equal((AlarmState.Open, occurrences, expectedSeverity, T0), (updated.State, updated.Occurrences, updated.Severity, updated.OpenedAt));
    }

    [Fact]
    public void Lifecycle_OpenAcknowledgeClose_TransitionsAndRejectsInvalid()
    {
        Alarm open = AlarmRules.Raise(null, Tamper(0));

        AlarmTransition ack = AlarmRules.Acknowledge(open, "op1", T0.AddMinutes(1));
        AlarmTransition close = AlarmRules.Close(ack.Alarm, T0.AddMinutes(30));
        AlarmTransition closeAgain = AlarmRules.Close(close.Alarm, T0.AddMinutes(31));
        AlarmTransition ackClosed = AlarmRules.Acknowledge(close.Alarm, "op2", T0.AddMinutes(32));

        Assert.Equal((true, AlarmState.Acknowledged, "op1"), (ack.Succeeded, ack.Alarm.State, ack.Alarm.AcknowledgedBy));
        Assert.Equal((true, AlarmState.Closed, TimeSpan.FromMinutes(30)), (close.Succeeded, close.Alarm.State, close.Alarm.Duration(T0.AddDays(1))));
        Assert.False(closeAgain.Succeeded);
        Assert.False(ackClosed.Succeeded);
        Assert.Same(close.Alarm, ackClosed.Alarm);
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(30, false)]
    [InlineData(10, false)]
    public void Raise_ClosedAlarm_ReopensOnlyForLaterObservation(int minute, bool reopens)
    {
        Alarm closed = AlarmRules.Close(AlarmRules.Raise(null, Tamper(0)), T0.AddMinutes(30)).Alarm;

        Alarm after = AlarmRules.Raise(closed, Tamper(minute));

        Assert.Equal(reopens ? (AlarmState.Open, T0.AddMinutes(minute)) : (AlarmState.Closed, T0), (after.State, after.OpenedAt));
    }

    [Theory]
    [InlineData(MeterEventKind.PowerOff, false, AlarmKind.MeterPowerOff)]
    [InlineData(MeterEventKind.CoverOpen, false, AlarmKind.Tamper)]
    [InlineData(MeterEventKind.TerminalCoverOpen, false, AlarmKind.Tamper)]
    [InlineData(MeterEventKind.VoltageSag, false, AlarmKind.VoltageOutOfLimits)]
    [InlineData(MeterEventKind.VoltageSwell, false, AlarmKind.VoltageOutOfLimits)]
    [InlineData(MeterEventKind.PhaseLoss, false, AlarmKind.PhaseLoss)]
    [InlineData(MeterEventKind.ReverseEnergy, false, AlarmKind.ReverseEnergyWithoutGeneration)]
    [InlineData(MeterEventKind.ReverseEnergy, true, null)]
    [InlineData(MeterEventKind.ClockError, false, AlarmKind.ClockError)]
    [InlineData(MeterEventKind.PowerRestored, false, null)]
    public void ConditionOf_Event_MapsToAlarmKind(MeterEventKind kind, bool hasGeneration, AlarmKind? expected)
    {
        var e = new MeterEvent(Meter, kind, T0, "x");

        AlarmCondition? condition = AlarmRules.ConditionOf(e, ArchiveEntry() with { HasGeneration = hasGeneration });

        Assert.Equal(expected, condition?.Key.Kind);
    }

    [Fact]
    public void ClosedBy_PowerRestored_ClosesPowerOffAlarm() =>
        Assert.Equal(new AlarmKey(AlarmKind.MeterPowerOff, "M1"), AlarmRules.ClosedBy(new MeterEvent(Meter, MeterEventKind.PowerRestored, T0, "x")));

    [Theory]
    [InlineData(new[] { "0.5", "0.6", "0.4" }, new[] { "0", "0" }, true)]
    [InlineData(new[] { "0.5", "0.6", "0.4" }, new[] { "0", "0.01" }, false)]
    [InlineData(new[] { "0.05", "0.05" }, new[] { "0", "0" }, false)]
    [InlineData(new string[0], new[] { "0" }, false)]
    public void IsSuddenDropToZero_BaselineAndRecent_Detects(string[] baseline, string[] recent, bool expected) =>
        Assert.Equal(expected, ConsumptionRules.IsSuddenDropToZero(baseline.Select(Dec).ToArray(), recent.Select(Dec).ToArray(), 0.1m));

    [Fact]
    public void AreaDayVeeStatistics_CurvesAndRejections_CountsByQualityRuleAndMethod()
    {
        DateOnly day = new(2026, 11, 20);
        DayCurve curve = DayCurve.Empty(TestData.Meter, MeterChannel.ActiveImport, day, 15).Merge(
        [
            new CurveUpdate(0, 1m, ReadingQuality.Valid),
            new CurveUpdate(1, 9m, ReadingQuality.Questionable, VeeRules.Spike),
            new CurveUpdate(2, 1m, ReadingQuality.Estimated, VeeRules.Gap, EstimationMethod.LinearInterpolation),
            new CurveUpdate(3, 1m, ReadingQuality.Estimated),
        ]).Curve;
        Dictionary<string, int> expected = new() { [TestData.Meter.Value.ToUpperInvariant()] = 96, ["OTHER"] = 96 };

        AreaDayVeeStatistics s = AreaDayVeeStatistics.Compute([curve], expected, 2, new Dictionary<string, int> { ["Spike"] = 1, ["NegativeConsumption"] = 1 });

        Assert.Equal((192, 4, 1, 1, 2, 0, 2, 188), (s.Expected, s.Stored, s.Actual, s.Suspect, s.Estimated, s.Edited, s.Rejected, s.Missing));
        Assert.Equal(2, s.FailedByRule["Spike"]);
        Assert.Equal(1, s.FailedByRule["NegativeConsumption"]);
        Assert.Equal((1, 1), (s.EstimatedByMethod["LinearInterpolation"], s.EstimatedByMethod["None"]));
        Assert.Equal((0.3333m, 0.3333m, 0.1667m), (s.EstimatedShare, s.RejectedShare, s.SuspectShare));
    }

    [Fact]
    public void AreaDayVeeStatistics_Nothing_SharesAreZero()
    {
        AreaDayVeeStatistics s = AreaDayVeeStatistics.Compute([], new Dictionary<string, int>(), 0, new Dictionary<string, int>());

        Assert.Equal((0m, 0m, 0m, 0), (s.EstimatedShare, s.RejectedShare, s.SuspectShare, s.Missing));
    }

    [Theory]
    [InlineData(80, 96, 0, "0.5", 80)]   // the last 16 actual values are zero after a normal baseline
    [InlineData(81, 96, 0, "0.5", null)] // 15 zeros: too short
    [InlineData(80, 96, 0, "0.01", null)] // a baseline that was already near zero is not a drop
    [InlineData(70, 90, 0, "0.5", 70)]   // trailing empty slots (not yet delivered) do not break the run
    [InlineData(80, 96, 88, "0.5", null)] // an estimate inside the run: not a measured drop of 16
    public void SuddenDropToZeroSince_TrailingZeroRun_Detects(int zeroFrom, int deliveredTo, int estimatedSlot, string baselineValue, int? expectedSlot)
    {
        DateOnly day = new(2026, 11, 20);
        List<(int, decimal, ReadingQuality)> values = [];
        for (int s = 0; s < deliveredTo; s++)
        {
            values.Add((s, s >= zeroFrom ? 0m : 0.4m, s == estimatedSlot && estimatedSlot > 0 ? ReadingQuality.Estimated : ReadingQuality.Valid));
        }

        DayCurve curve = TestData.Curve(day, [.. values]);
        DayCurve[] baseline = [.. Enumerable.Range(1, 7).Select(d => TestData.FullCurve(day.AddDays(-d), _ => Dec(baselineValue)))];

        DateTimeOffset? since = ConsumptionRules.SuddenDropToZeroSince(curve, baseline, 16, 0.05m);

        Assert.Equal(expectedSlot is { } s2 ? curve.SlotStart(s2) : null, since);
    }

    [Theory]
    [InlineData(false, "0.5", true)]
    [InlineData(false, "0.01", false)]
    [InlineData(true, "5", false)]
    public void IsReverseEnergyWithoutGeneration_ExportAndGeneration_Detects(bool generation, string export, bool expected) =>
        Assert.Equal(expected, ConsumptionRules.IsReverseEnergyWithoutGeneration(ArchiveEntry() with { HasGeneration = generation }, Dec(export)));

    [Theory]
    [InlineData(47, false)]
    [InlineData(49, true)]
    public void IsProlongedNoRead_HoursSinceRead_Detects(int hours, bool expected) =>
        Assert.Equal(expected, ConsumptionRules.IsProlongedNoRead(T0, T0.AddHours(hours), TimeSpan.FromHours(48)));

    [Fact]
    public void IsProlongedNoRead_NeverRead_Detects() => Assert.True(ConsumptionRules.IsProlongedNoRead(null, T0, TimeSpan.FromHours(48)));

    [Fact]
    public void ReadSuccessRate_MixedMeters_CountsExpectedOnly()
    {
        MeterDayReadStatus[] meters =
        [
            new(new MeterId("A"), true, true, 0, 96),
            new(new MeterId("B"), true, false, 96, 96),
            new(new MeterId("C"), true, false, 95, 96),
            new(new MeterId("D"), false, false, 0, 96),
        ];

        ReadSuccessRate rate = ReadSuccessRate.Compute("A1", Day, meters);

        Assert.Equal((3, 2, 0.6667m), (rate.Expected, rate.Succeeded, rate.Rate));
    }

    [Fact]
    public void ReadSuccessRate_NoMeters_IsOne() => Assert.Equal(1m, ReadSuccessRate.Compute("A1", Day, []).Rate);

    [Fact]
    public void VeeStatistics_ValidatedDelivery_CountsByDispositionAndRule()
    {
        ValidatedInterval[] validated = IntervalValidator.Validate([Interval(1, 0.1m), Interval(1, 0.1m), Interval(2, -1m), Interval(3, 50m), Interval(4, 0.2m)], Context(FlatHistory()));

        VeeStatistics stats = VeeStatistics.From(validated, estimated: 5);

        Assert.Equal((5, 2, 1, 1, 1, 5), (stats.Validated, stats.Accepted, stats.Suspect, stats.Rejected, stats.Duplicates, stats.Estimated));
        Assert.Equal((1, 1, 1, 0), (stats.FailuresOf(VeeRules.Duplicate), stats.FailuresOf(VeeRules.NegativeConsumption), stats.FailuresOf(VeeRules.Spike), stats.FailuresOf(VeeRules.Gap)));
        Assert.Equal((0.2m, 0.625m), (stats.RejectedShare, stats.EstimatedShare));
        Assert.Equal(stats.Validated * 2, stats.Add(stats).Validated);
        Assert.Equal(2, stats.Add(stats).FailuresOf(VeeRules.Spike));
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}

public class AreaLoadTests
{
    [Fact]
    public void At_ThreeCurves_SumsSlotAndCountsEstimates()
    {
        DateOnly day = TestData.Day;
        DayCurve a = TestData.Curve(day, (4, 1.5m, ReadingQuality.Valid));
        DayCurve b = TestData.Curve(day, (4, 0.5m, ReadingQuality.Estimated));
        DayCurve c = TestData.Curve(day, (5, 9m, ReadingQuality.Valid));

        AreaLoad load = AreaLoad.At("A1", [a, b, c], TestData.DayStart.AddHours(1));

        Assert.Equal((2m, 2, 1, 8m), (load.Energy, load.MetersWithValue, load.MetersEstimated, load.AverageDemandKw));
    }
}
