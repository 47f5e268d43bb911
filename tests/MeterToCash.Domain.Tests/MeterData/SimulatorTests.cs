using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Simulator;

namespace MeterToCash.Domain.Tests.MeterData;

public class SimulatorTests
{
    private static readonly DateOnly Monday = new(2026, 11, 2);

    private static DateTimeOffset Local(DateOnly day, int hour) => ChinaTime.DayStart(day).AddHours(hour);

    private static readonly SimulatedMeter[] Meters =
    [
        new(new MeterId("R1"), CustomerClass.Residential, 8),
        new(new MeterId("C1"), CustomerClass.Commercial, 120),
        new(new MeterId("I1"), CustomerClass.Industrial, 2400),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(4000)]
    public void Day_TransformerRatedMeter_RegistersPrimaryEnergyDividedByCtPt(double multiplier)
    {
        SimulatedMeter primary = new(new MeterId("I2"), CustomerClass.Industrial, 12_000);
        SimulatedMeter rated = primary with { Multiplier = multiplier };

        decimal primaryDay = CurveGenerator.Day(primary, Monday, seed: 3).Sum(r => r.Value);
        decimal meterSideDay = CurveGenerator.Day(rated, Monday, seed: 3).Sum(r => r.Value);

        // Each value is rounded to 0.001 kWh on the meter side, so the day agrees within 96 half-units times the ratio.
        Assert.InRange(meterSideDay * (decimal)multiplier, primaryDay - (0.048m * (decimal)multiplier), primaryDay + (0.048m * (decimal)multiplier));
        Assert.True(primaryDay > 5_000m, $"a factory day should be thousands of kWh, was {primaryDay}");
    }

    [Theory]
    [InlineData(CustomerClass.Residential, 20, 3, 0)]
    [InlineData(CustomerClass.Commercial, 12, 3, 0)]
    [InlineData(CustomerClass.Commercial, 12, 12, 5)]
    [InlineData(CustomerClass.Industrial, 14, 14, 6)]
    [InlineData(CustomerClass.Industrial, 14, 4, 0)]
    public void Shape_PeakVersusOffPeak_PeakHigher(CustomerClass customerClass, int peakHour, int offPeakHour, int offPeakDayShift)
    {
        double peak = LoadProfile.Shape(customerClass, Local(Monday, peakHour));
        double offPeak = LoadProfile.Shape(customerClass, Local(Monday.AddDays(offPeakDayShift), offPeakHour));

        Assert.True(peak > offPeak * 1.5, $"{peak} vs {offPeak}");
    }

    [Fact]
    public void CutAndRestore_Meters_GaspThenSilenceThenRestoreAndReadingsResume()
    {
        var simulation = new HeadEndSimulation(Meters, seed: 3, FaultOptions.None);
        DateTimeOffset at = Local(Monday, 10);

        SimulatedDelivery cut = simulation.Cut(["R1", "C1", "NOT-SIMULATED"], at);
        SimulatedDelivery again = simulation.Cut(["R1"], at.AddMinutes(1));
        SimulatedDelivery silent = simulation.Tick(at);
        SimulatedDelivery restored = simulation.Restore(["R1", "C1", "I1"], at.AddMinutes(30));
        SimulatedDelivery back = simulation.Tick(at.AddMinutes(30));

        Assert.Equal([("R1", MeterEventKind.PowerOff), ("C1", MeterEventKind.PowerOff)], cut.Events.Select(e => (e.Meter.Value, e.Kind)));
        Assert.Empty(again.Events);
        Assert.Equal(["I1"], silent.Intervals.Select(i => i.Meter.Value).Distinct());
        Assert.Equal([("R1", MeterEventKind.PowerRestored), ("C1", MeterEventKind.PowerRestored)], restored.Events.Select(e => (e.Meter.Value, e.Kind)));
        Assert.Equal(["C1", "I1", "R1"], back.Intervals.Select(i => i.Meter.Value).Distinct().Order());
        Assert.Empty(simulation.CutOff);
    }

    [Fact]
    public void ToMeterEvents_Delivery_OneDocumentPerMeterThatParsesToItsOwnItems()
    {
        var simulation = new HeadEndSimulation(Meters, seed: 3, FaultOptions.None);
        DateTimeOffset at = Local(Monday, 10);
        SimulatedDelivery delivery = simulation.Tick(at);
        SimulatedDelivery gasp = simulation.Cut(["C1"], at);
        SimulatedDelivery both = new([.. delivery.Intervals], [.. gasp.Events]);

        IReadOnlyList<(string PartitionKey, byte[] Body)> events = HeadEndSimulation.ToMeterEvents(both);

        Assert.Equal(["R1", "C1", "I1"], events.Select(e => e.PartitionKey));
        foreach ((string meter, byte[] body) in events)
        {
            MeterReadingBatch parsed = MeterReadingsJsonParser.Parse(body);
            Assert.Empty(parsed.Rejected);
            Assert.All(parsed.Intervals, i => Assert.Equal(meter, i.Meter.Value));
            Assert.All(parsed.Events, e => Assert.Equal(meter, e.Meter.Value));
            Assert.Equal(both.Intervals.Count(i => i.Meter.Value == meter), parsed.Intervals.Count);
        }

        Assert.Single(MeterReadingsJsonParser.Parse(events.Single(e => e.PartitionKey == "C1").Body).Events);
    }

    [Fact]
    public void Shape_SummerEvening_HigherThanSpringEvening() =>
        Assert.True(LoadProfile.Shape(CustomerClass.Residential, Local(new DateOnly(2026, 7, 20), 20)) > LoadProfile.Shape(CustomerClass.Residential, Local(new DateOnly(2026, 4, 20), 20)));

    [Fact]
    public void Day_SameSeed_IdenticalAndRoundedToWattHours()
    {
        IntervalReading[] first = CurveGenerator.Day(Meters[0], Monday, seed: 7);
        IntervalReading[] second = CurveGenerator.Day(Meters[0], Monday, seed: 7);
        IntervalReading[] other = CurveGenerator.Day(Meters[0], Monday, seed: 8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(96, first.Length);
        Assert.All(first, r => Assert.True(r.Value >= 0m && decimal.Round(r.Value, 3) == r.Value));
    }

    [Fact]
    public void Day_DailyTotal_CloseToConfiguredAverage()
    {
        decimal total = CurveGenerator.Day(Meters[0], Monday, seed: 1).Sum(r => r.Value);

        Assert.InRange(total, 8m * 0.6m, 8m * 1.6m);
    }

    [Fact]
    public void Tick_NoFaults_OneValuePerMeterThatParsesAndValidatesClean()
    {
        var simulation = new HeadEndSimulation(Meters, 1, FaultOptions.None);
        DateTimeOffset slot = Local(Monday, 10);

        SimulatedDelivery delivery = simulation.Tick(slot);
        MeterReadingBatch parsed = MeterReadingsJsonParser.Parse(HeadEndSimulation.ToJson(delivery));

        Assert.Equal(3, delivery.Intervals.Count);
        Assert.Empty(parsed.Rejected);
        Assert.Equal(delivery.Intervals, parsed.Intervals);
        Assert.All(parsed.Intervals, r => Assert.Equal(slot, r.Start));
    }

    [Theory]
    [InlineData("gap", 0)]
    [InlineData("duplicate", 6)]
    [InlineData("tamper", 3)]
    public void Tick_CertainFault_Injected(string fault, int expected)
    {
        FaultOptions options = fault switch
        {
            "gap" => new FaultOptions { Gap = 1 },
            "duplicate" => new FaultOptions { Duplicate = 1 },
            _ => new FaultOptions { Tamper = 1 },
        };

        SimulatedDelivery delivery = new HeadEndSimulation(Meters, 1, options).Tick(Local(Monday, 10));

        Assert.Equal(expected, fault == "tamper" ? delivery.Events.Count(e => e.Kind == MeterEventKind.CoverOpen) : delivery.Intervals.Count);
    }

    [Fact]
    public void Tick_Spike_FiftyTimesCleanValue()
    {
        DateTimeOffset slot = Local(Monday, 10);

        IntervalReading clean = new HeadEndSimulation(Meters, 1, FaultOptions.None).Tick(slot).Intervals[0];
        IntervalReading spiked = new HeadEndSimulation(Meters, 1, new FaultOptions { Spike = 1 }).Tick(slot).Intervals[0];

        Assert.Equal(clean.Value * 50m, spiked.Value);
    }

    [Fact]
    public void Tick_SpikeAgainstTheReferenceOfACleanWeek_IsFlaggedInEverySlot()
    {
        // The demo's case: a week of a month seeded cleanly gives each meter its stored spike reference, and the live
        // ×50 spikes of a later winter day are judged against it one interval at a time, whatever the slot and class.
        DateOnly live = new(2026, 12, 3);
        foreach (SimulatedMeter meter in Meters)
        {
            IntervalReading[] week = [.. Enumerable.Range(23, 7).SelectMany(d => CurveGenerator.Day(meter, new DateOnly(2026, 11, d), seed: 20261126))];
            SpikeReference reference = SpikeReference.FromHistory(week, VeeOptions.Default)!.Value;
            var spiking = new HeadEndSimulation([meter], 1, new FaultOptions { Spike = 1 });
            var archive = new MeterArchiveEntry(meter.Meter, "A1", ChinaTime.DayStart(live).AddDays(-60), null);

            for (int slot = 0; slot < 96; slot++)
            {
                DateTimeOffset start = ChinaTime.DayStart(live).AddMinutes(15 * slot);
                IntervalReading spike = spiking.Tick(start).Intervals[0];
                IntervalSeriesContext context = new(archive, MeterChannel.ActiveImport, start.AddHours(1), [], VeeOptions.Default, reference);

                Assert.True(IntervalValidator.Validate([spike], context)[0].Failed.HasFlag(VeeRules.Spike), $"{meter.Class} slot {slot}: {spike.Value} against {reference.Level}");
            }
        }
    }

    [Fact]
    public void Tick_LateValues_ArriveLateIntervalsLater()
    {
        var simulation = new HeadEndSimulation(Meters, 1, new FaultOptions { Late = 1, LateIntervals = 4 });
        DateTimeOffset slot = Local(Monday, 10);

        SimulatedDelivery delivery = simulation.Tick(slot);

        Assert.Equal(3, delivery.Intervals.Count);
        Assert.All(delivery.Intervals, r => Assert.Equal(slot.AddHours(-1), r.Start));
    }

    [Fact]
    public void Tick_TypicalFaultsOverADay_VeeSeesDuplicatesAndGaps()
    {
        SimulatedMeter[] meters = Enumerable.Range(0, 40).Select(i => new SimulatedMeter(new MeterId($"M{i}"), (CustomerClass)(i % 3), 10)).ToArray();
        var simulation = new HeadEndSimulation(meters, 3, FaultOptions.Typical);
        List<IntervalReading> all = Enumerable.Range(0, 96).SelectMany(s => simulation.Tick(ChinaTime.DayStart(Monday).AddMinutes(15 * s)).Intervals).ToList();

        int duplicates = all.Count - all.Select(r => r.Key).Distinct().Count();
        int distinctSlots = all.Where(r => ChinaTime.LocalDay(r.Start) == Monday).Select(r => r.Key).Distinct().Count();

        Assert.InRange(duplicates, 1, all.Count / 20);
        Assert.InRange(distinctSlots, (40 * 96) - 400, (40 * 96) - 1);
    }
}
