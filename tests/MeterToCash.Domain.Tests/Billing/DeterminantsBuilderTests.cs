using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Billing.BillingTestData;

namespace MeterToCash.Domain.Tests.Billing;

public class DeterminantsBuilderTests
{
    private static readonly DateOnly Jul1 = new(2025, 7, 1), Jul2 = new(2025, 7, 2), Jul3 = new(2025, 7, 3), Jul4 = new(2025, 7, 4);
    private static readonly DateOnly Installed = new(2020, 1, 1);

    [Fact]
    public void Build_RegistersAndCurvesOfTheSameDays_GiveTheSameBandsFromEitherPath()
    {
        // Two days, 0.25 kWh in each of 96 slots: 24 kWh a day. Classifier: peak 08–22 (56 slots), valley otherwise (40 slots).
        // Per day peak 56 × 0.25 = 14, valley 40 × 0.25 = 10; two days: peak 28, valley 20, total 48 kWh.
        // Registers over the same two days: total 1000.00 → 1048.00, peak 400.00 → 428.00, valley 600.00 → 620.00.
        var meter = Meter(A, Installed, registers: PeakValley);
        RegisterReading[] reads =
        [
            Read(A, Jul1, 1000.00m), Read(A, Jul3, 1048.00m),
            Read(A, Jul1, 400.00m, RegisterBand.Peak), Read(A, Jul3, 428.00m, RegisterBand.Peak),
            Read(A, Jul1, 600.00m, RegisterBand.Valley), Read(A, Jul3, 620.00m, RegisterBand.Valley),
        ];
        DayCurve[] curves = [.. FlatCurves(A, Jul1, Jul3, 0.25m)];

        DeterminantsResult byRegisters = DeterminantsBuilder.Build(Input(Period(Jul1, Jul3), Point(meter), [Data(A, reads, curves)], true, PeakEightToTwentyTwo));
        DeterminantsResult byCurves = DeterminantsBuilder.Build(Input(Period(Jul1, Jul3), Point(meter), [Data(A, curves: curves)], true, PeakEightToTwentyTwo));

        Assert.Equal(EnergySource.Registers, Assert.Single(byRegisters.Sources).ActiveSource);
        Assert.Equal(6, byRegisters.Sources[0].ReadsUsed.Count);
        Assert.Equal(EnergySource.Intervals, Assert.Single(byCurves.Sources).ActiveSource);
        Assert.Equal([Jul1, Jul2], byCurves.Sources[0].CurveDaysUsed);
        foreach (DeterminantsResult result in new[] { byRegisters, byCurves })
        {
            BillDeterminants d = result.Determinants!;
            Assert.Equal(48.00m, d.TotalKwh);
            Assert.Equal(new BandEnergy(0m, 28.00m, 0m, 20.00m), d.Bands);
        }
    }

    [Fact]
    public void Build_TotalRegisterOnlyWithoutCurves_UsesRegistersAndLeavesDemandUnknown()
    {
        // 1072.00 − 1000.00 = 72.00 kWh over three days; no curve, so no maximum demand.
        var meter = Meter(A, Installed);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, [Read(A, Jul1, 1000.00m), Read(A, Jul4, 1072.00m)])]));

        BillDeterminants d = result.Determinants!;
        Assert.Equal(72.00m, d.TotalKwh);
        Assert.Null(d.Bands);
        Assert.Null(d.MaximumDemandKw);
        Assert.Equal(630m, d.TransformerKva);
    }

    [Fact]
    public void Build_MeterExchangedMidPeriod_CountsOldMeterToRemovalAndNewMeterFromInstall()
    {
        // July: old meter A removed 16 July (exclusive), new meter B installed 16 July.
        // A: 5150.50 − 5000.00 = 150.50 kWh (1–15 July); B: 210.25 − 0.00 = 210.25 kWh (16–31 July); bill 360.75 kWh.
        DateOnly exchange = new(2025, 7, 16), aug1 = new(2025, 8, 1);
        var old = Meter(A, Installed, removal: exchange);
        var replacement = Meter(B, exchange);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(
            Period(Jul1, aug1),
            Point(old, replacement),
            [Data(A, [Read(A, Jul1, 5000.00m), Read(A, exchange, 5150.50m)]), Data(B, [Read(B, exchange, 0.00m), Read(B, aug1, 210.25m)])]));

        Assert.Equal(360.75m, result.Determinants!.TotalKwh);
        Assert.Collection(
            result.Sources,
            a => Assert.Equal((A, Jul1, exchange, 150.50m), (a.Meter, a.SpanStart, a.SpanEnd, a.Kwh)),
            b => Assert.Equal((B, exchange, aug1, 210.25m), (b.Meter, b.SpanStart, b.SpanEnd, b.Kwh)));
    }

    [Fact]
    public void Build_CtFortyPtHundred_MultipliesRegisterDifferencesByFourThousand()
    {
        // CT × PT = 40 × 100 = 4000. Total 123.75 − 120.50 = 3.25 → 13 000.00 kWh;
        // peak 51.40 − 50.10 = 1.30 → 5 200.00 kWh; valley 72.35 − 70.40 = 1.95 → 7 800.00 kWh; 5200 + 7800 = 13 000.
        var meter = Meter(A, Installed, ct: 40, pt: 100, registers: PeakValley);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, BandReads(72.35m))], true));

        BillDeterminants d = result.Determinants!;
        Assert.Equal(13_000.00m, d.TotalKwh);
        Assert.Equal(new BandEnergy(0m, 5_200.00m, 0m, 7_800.00m), d.Bands);
        Assert.Equal(4000, result.Sources[0].Multiplier);
    }

    [Fact]
    public void Build_BandRegistersOffByMoreThanTheScaledTolerance_HoldsWithBandSumMismatch()
    {
        // Valley 72.40 − 70.40 = 2.00 → 8 000; bands 5 200 + 8 000 = 13 200 vs total 13 000: gap 200 kWh
        // > 0.04 × 4000 = 160 kWh tolerance.
        var meter = Meter(A, Installed, ct: 40, pt: 100, registers: PeakValley);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, BandReads(72.40m))], true));

        Assert.True(result.IsHeld);
        Assert.Equal(HoldCode.BandSumMismatch, Assert.Single(result.Holds).Code);
    }

    [Fact]
    public void Build_BandRegistersOffWithinTheScaledTolerance_BillsTheSumOfTheBands()
    {
        // Valley 72.38 − 70.40 = 1.98 → 7 920; bands 5 200 + 7 920 = 13 120 vs total 13 000: gap 120 ≤ 160 passes,
        // and the bill's total is the sum of its bands (13 120) so the engine's own band-sum check holds.
        var meter = Meter(A, Installed, ct: 40, pt: 100, registers: PeakValley);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, BandReads(72.38m))], true));

        Assert.Equal(13_120.00m, result.Determinants!.TotalKwh);
        Assert.Equal(13_000.00m, result.Sources[0].ExactKwh);
    }

    [Fact]
    public void Build_BandRegistersOffWithinTheScaledTolerance_AreAcceptedByTheRater()
    {
        // The same 120 kWh gap at CT × PT 4000 is far above the engine's absolute 0.04 kWh band tolerance; billing the
        // sum of the bands keeps the determinants acceptable to TariffRater.
        var meter = Meter(A, Installed, ct: 40, pt: 100, registers: PeakValley);
        TariffLoadResult loaded = TariffJson.LoadSample("commercial-tou");
        Assert.True(loaded.IsSuccess);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, BandReads(72.38m))], true));
        RatingResult rated = new TariffRater(loaded.Tariff).Rate(result.Determinants!);

        Assert.True(rated.IsSuccess, string.Join("; ", rated.Errors));
    }

    [Fact]
    public void Build_OneSlotOfTwelveAndAHalfKwh_IsAMaximumDemandOfFiftyKw()
    {
        // 95 slots of 0.25 kWh and slot 50 (12:30) of 12.5 kWh: 12.5 kWh in 15 minutes × 4 = 50 kW.
        var meter = Meter(A, Installed);
        DayCurve curve = Curve(A, Jul1, i => i == 50 ? 12.5m : 0.25m);

        BillDeterminants d = DeterminantsBuilder.Build(Input(Period(Jul1, Jul2), Point(meter), [Data(A, curves: [curve])])).Determinants!;

        Assert.Equal(50m, d.MaximumDemandKw);
        Assert.Equal(EstimatedValues.None, d.Estimated);
    }

    [Fact]
    public void Build_MeterExchange_MaximumDemandIsTheLargestOverBothMeters()
    {
        // A on 1 July peaks at 5 kWh (20 kW), B on 2 July at 8 kWh (32 kW): the bill's maximum is 32 kW.
        var old = Meter(A, Installed, removal: Jul2);
        var replacement = Meter(B, Jul2);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(
            Period(Jul1, Jul3),
            Point(old, replacement),
            [Data(A, curves: [Curve(A, Jul1, i => i == 10 ? 5m : 1m)]), Data(B, curves: [Curve(B, Jul2, i => i == 70 ? 8m : 1m)])]));

        Assert.Equal(32m, result.Determinants!.MaximumDemandKw);
        Assert.Equal([20m, 32m], result.Sources.Select(s => s.MaximumDemandKw));
    }

    [Fact]
    public void Build_ReactiveRegistersAtCtFortyPtHundred_AreMultipliedToKvarh()
    {
        // Reactive 312.34 − 300.00 = 12.34 kvarh meter side × 4000 = 49 360.00 kvarh.
        var meter = Meter(A, Installed, ct: 40, pt: 100, registers: MeterRegisters.ActiveImportTotal | MeterRegisters.ReactiveImport);
        RegisterReading[] reads =
        [
            Read(A, Jul1, 120.50m), Read(A, Jul4, 123.75m),
            Read(A, Jul1, 300.00m, channel: MeterChannel.ReactiveImport), Read(A, Jul4, 312.34m, channel: MeterChannel.ReactiveImport),
        ];

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, reads)]));

        Assert.Equal(49_360.00m, result.Determinants!.ReactiveKvarh);
        Assert.Equal(EnergySource.Registers, result.Sources[0].ReactiveSource);
    }

    [Fact]
    public void Build_ReactiveReadsMissing_SumsTheReactiveCurves()
    {
        // Two days of 96 slots × 0.1 kvarh = 9.6 kvarh a day, 19.2 kvarh in all.
        var meter = Meter(A, Installed, registers: MeterRegisters.ActiveImportTotal | MeterRegisters.ReactiveImport);
        DayCurve[] curves = [.. FlatCurves(A, Jul1, Jul3, 0.25m), .. FlatCurves(A, Jul1, Jul3, 0.1m, MeterChannel.ReactiveImport)];

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul3), Point(meter), [Data(A, curves: curves)]));

        Assert.Equal(19.20m, result.Determinants!.ReactiveKvarh);
        Assert.Equal(EnergySource.Intervals, result.Sources[0].ReactiveSource);
    }

    [Fact]
    public void Build_MissingDayWithoutBoundaryReads_HoldsNamingTheDay()
    {
        var meter = Meter(A, Installed);
        DayCurve[] curves = [Curve(A, Jul1, _ => 0.25m), Curve(A, Jul3, _ => 0.25m)];

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, [Read(A, Jul1, 1000m)], curves)]));

        HoldReason hold = Assert.Single(result.Holds);
        Assert.Equal(HoldCode.MissingBoundaryReadsAndIncompleteCurves, hold.Code);
        Assert.Contains("2025-07-02", hold.Message, StringComparison.Ordinal);
        Assert.Null(result.Determinants);
    }

    [Fact]
    public void Build_CurveWithEmptySlots_Holds()
    {
        var meter = Meter(A, Installed);
        DayCurve gappy = Curve(A, Jul1, i => i is >= 10 and < 14 ? null : 0.25m);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul2), Point(meter), [Data(A, curves: [gappy])]));

        HoldReason hold = Assert.Single(result.Holds);
        Assert.Equal(HoldCode.MissingBoundaryReadsAndIncompleteCurves, hold.Code);
        Assert.Contains("4 of 96 slots empty", hold.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoMeterInServiceInThePeriod_Holds()
    {
        var later = Meter(A, new DateOnly(2025, 8, 1));

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(later), []));

        Assert.Equal(HoldCode.NoMeterInService, Assert.Single(result.Holds).Code);
    }

    [Fact]
    public void Build_EstimatedPeakSlot_FlagsEnergyAndDemandAndReportsTheShare()
    {
        // Slot 50 is estimated at 12.5 kWh, 95 slots read at 0.25: total 23.75 + 12.5 = 36.25 kWh,
        // estimated share 12.5 / 36.25 = 0.344827… → 0.3448; the 50 kW maximum is the estimated slot.
        var meter = Meter(A, Installed);
        DayCurve curve = Curve(A, Jul1, i => i == 50 ? 12.5m : 0.25m, quality: i => i == 50 ? ReadingQuality.Estimated : ReadingQuality.Valid);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul2), Point(meter), [Data(A, curves: [curve])]));

        Assert.Equal(36.25m, result.Determinants!.TotalKwh);
        Assert.Equal(EstimatedValues.ActiveEnergy | EstimatedValues.MaximumDemand, result.Determinants.Estimated);
        Assert.Equal(0.3448m, result.EstimatedShare);
    }

    [Fact]
    public void Build_CurveSumEndingInHalfACent_RoundsHalfAwayFromZeroOncePerMeter()
    {
        // 95 × 0.0013 + 0.0015 = 0.1235 + 0.0015 = 0.1250 kWh → 0.13 (half away from zero; banker's would give 0.12).
        var meter = Meter(A, Installed);
        DayCurve curve = Curve(A, Jul1, i => i == 0 ? 0.0015m : 0.0013m);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul2), Point(meter), [Data(A, curves: [curve])]));

        Assert.Equal(0.1250m, result.Sources[0].ExactKwh);
        Assert.Equal(0.13m, result.Determinants!.TotalKwh);
    }

    [Fact]
    public void Build_NationalDayHolidayFromCurves_HasNoPeakThroughTheCalendarClassifier()
    {
        // 1 Oct 2025 is a holiday: the commercial sample's non-summer holiday windows are valley 22–06 (8 h) and flat 06–22 (16 h).
        // 0.25 kWh per slot = 1 kWh an hour: valley 8, flat 16, total 24 kWh.
        DateOnly holiday = new(2025, 10, 1);

        BillDeterminants d = BuildOneCommercialDay(holiday);

        Assert.Equal(new BandEnergy(0m, 0m, 16.00m, 8.00m), d.Bands);
        Assert.Equal(24.00m, d.TotalKwh);
    }

    [Fact]
    public void Build_MakeUpSaturdayFromCurves_IsBandedAsAWorkdayThroughTheCalendarClassifier()
    {
        // 11 Oct 2025 is a make-up working Saturday: non-summer workday windows valley 22–06 (8 h), flat 06–08, 11–18, 21–22
        // (2 + 7 + 1 = 10 h), peak 08–11, 18–21 (3 + 3 = 6 h). At 1 kWh an hour: peak 6, flat 10, valley 8.
        DateOnly makeUp = new(2025, 10, 11);

        BillDeterminants d = BuildOneCommercialDay(makeUp);

        Assert.Equal(new BandEnergy(0m, 6.00m, 10.00m, 8.00m), d.Bands);
    }

    [Fact]
    public void Build_BandsWantedFromCurvesWithoutClassifier_Holds()
    {
        var meter = Meter(A, Installed);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul2), Point(meter), [Data(A, curves: FlatCurves(A, Jul1, Jul2, 0.25m))], true));

        Assert.Equal(HoldCode.NoDayClassifier, Assert.Single(result.Holds).Code);
    }

    [Fact]
    public void Build_TwoMetersOfOnePointOnTheSameDay_Holds()
    {
        var first = Meter(A, Installed);
        var second = Meter(B, Jul2);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(
            Period(Jul1, Jul3),
            Point(first, second),
            [Data(A, curves: FlatCurves(A, Jul1, Jul3, 0.25m)), Data(B, curves: FlatCurves(B, Jul2, Jul3, 0.25m))]));

        Assert.Equal(HoldCode.OverlappingMeters, Assert.Single(result.Holds).Code);
    }

    [Fact]
    public void Build_RegisterBelowItsStartWithoutRollover_HoldsWithRollback()
    {
        var meter = Meter(A, Installed);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, [Read(A, Jul1, 1000m), Read(A, Jul4, 900m)])]));

        Assert.Equal(HoldCode.RegisterRollback, Assert.Single(result.Holds).Code);
    }

    [Fact]
    public void Build_RegisterRolledOverPastSixDigits_CountsTheWrappedEnergy()
    {
        // Six digits wrap at 1 000 000: 1 000 000 − 999 990.00 + 15.50 = 25.50 kWh.
        var meter = Meter(A, Installed);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Jul1, Jul4), Point(meter), [Data(A, [Read(A, Jul1, 999_990.00m), Read(A, Jul4, 15.50m)])]));

        Assert.Equal(25.50m, result.Determinants!.TotalKwh);
    }

    private static RegisterReading[] BandReads(decimal valleyEnd) =>
    [
        Read(A, Jul1, 120.50m), Read(A, Jul4, 123.75m),
        Read(A, Jul1, 50.10m, RegisterBand.Peak), Read(A, Jul4, 51.40m, RegisterBand.Peak),
        Read(A, Jul1, 70.40m, RegisterBand.Valley), Read(A, Jul4, valleyEnd, RegisterBand.Valley),
    ];

    private static BillDeterminants BuildOneCommercialDay(DateOnly day)
    {
        TariffLoadResult loaded = TariffJson.LoadSample("commercial-tou");
        Assert.True(loaded.IsSuccess);
        HolidayCalendar calendar = HolidayCalendarJson.LoadShipped(2025);
        Func<DateOnly, Func<DateTimeOffset, TouBand>> classifier = d => DayBanding.For(loaded.Tariff, d, calendar)!.BandOf;
        var meter = Meter(A, Installed);

        DeterminantsResult result = DeterminantsBuilder.Build(Input(
            Period(day, day.AddDays(1)),
            Point(meter),
            [Data(A, curves: FlatCurves(A, day, day.AddDays(1), 0.25m))],
            true,
            classifier));

        Assert.False(result.IsHeld, string.Join("; ", result.Holds));
        return result.Determinants!;
    }
}
