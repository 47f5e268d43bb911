using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Billing;

/// <summary>Builders for billing inputs: meters, midnight register reads and 15-minute day curves.</summary>
internal static class BillingTestData
{
    public const MeterRegisters TotalOnly = MeterRegisters.ActiveImportTotal;
    public const MeterRegisters PeakValley = MeterRegisters.ActiveImportTotal | MeterRegisters.ActiveImportPeak | MeterRegisters.ActiveImportValley;

    public static readonly MeterId A = new("MTR-A"), B = new("MTR-B");

    /// <summary>Peak from 08:00 to 22:00 China time, valley otherwise, every day.</summary>
    public static readonly Func<DateOnly, Func<DateTimeOffset, TouBand>> PeakEightToTwentyTwo =
        _ => start => start.ToOffset(ChinaTime.Offset).Hour is >= 8 and < 22 ? TouBand.Peak : TouBand.Valley;

    public static Meter Meter(MeterId id, DateOnly install, DateOnly? removal = null, int ct = 1, int pt = 1, MeterRegisters registers = TotalOnly) =>
        new(id, "Maker", ct, pt, registers, install, removal);

    public static ServicePoint Point(params Meter[] meters) =>
        new("SP-1", "1 Test Road", 0.38m, 10_000m, "AREA-1", meters, []);

    public static BillingPeriod Period(DateOnly start, DateOnly end) => new(start, end);

    public static BillingInput Input(
        BillingPeriod period,
        ServicePoint point,
        IReadOnlyList<MeterBillingData> data,
        bool timeOfUse = false,
        Func<DateOnly, Func<DateTimeOffset, TouBand>>? classifier = null) =>
        new(period, [point], data, timeOfUse, classifier, 630m, 0m);

    /// <summary>A register read at China-local 00:00 of <paramref name="day"/>, meter side.</summary>
    public static RegisterReading Read(MeterId meter, DateOnly day, decimal value, RegisterBand band = RegisterBand.Total, MeterChannel channel = MeterChannel.ActiveImport, ReadingQuality quality = ReadingQuality.Valid) =>
        new(meter, channel, band, ChinaTime.DayStart(day), value, MeterChannels.UnitOf(channel), quality, 6);

    /// <summary>A 15-minute curve whose slot i holds value(i) with quality(i); null values leave the slot empty.</summary>
    public static DayCurve Curve(MeterId meter, DateOnly day, Func<int, decimal?> value, MeterChannel channel = MeterChannel.ActiveImport, Func<int, ReadingQuality>? quality = null)
    {
        var updates = new List<CurveUpdate>();
        for (int i = 0; i < 96; i++)
        {
            if (value(i) is decimal v)
            {
                updates.Add(new CurveUpdate(i, v, quality?.Invoke(i) ?? ReadingQuality.Valid));
            }
        }

        return DayCurve.Empty(meter, channel, day, 15).Merge([.. updates]).Curve;
    }

    /// <summary>Curves with the same value in every slot for each day of [start, end).</summary>
    public static IEnumerable<DayCurve> FlatCurves(MeterId meter, DateOnly start, DateOnly end, decimal perSlot, MeterChannel channel = MeterChannel.ActiveImport)
    {
        for (DateOnly day = start; day < end; day = day.AddDays(1))
        {
            yield return Curve(meter, day, _ => perSlot, channel);
        }
    }

    public static MeterBillingData Data(MeterId meter, IEnumerable<RegisterReading>? reads = null, IEnumerable<DayCurve>? curves = null) =>
        new(meter, [.. reads ?? []], [.. curves ?? []]);
}
