using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

internal static class TestData
{
    public static readonly MeterId Meter = new("M1");

    // 2026-11-02 is a Monday; local midnight is 2026-11-01T16:00Z.
    public static readonly DateOnly Day = new(2026, 11, 2);

    public static readonly DateTimeOffset DayStart = ChinaTime.DayStart(Day);

    public static MeterArchiveEntry ArchiveEntry(int? digits = 6) =>
        new(Meter, "A1", DayStart.AddDays(-60), null, MeterDigits: digits);

    public static IntervalReading Interval(int slot, decimal value, ReadingQuality quality = ReadingQuality.Valid, DateTimeOffset? dayStart = null) =>
        new(Meter, MeterChannel.ActiveImport, (dayStart ?? DayStart).AddMinutes(15 * slot), 15, value, EnergyUnit.Kwh, quality);

    public static IntervalSeriesContext Context(IReadOnlyList<IntervalReading>? history = null, DateTimeOffset? now = null, VeeOptions? options = null) =>
        new(ArchiveEntry(), MeterChannel.ActiveImport, now ?? DayStart.AddDays(1), history ?? [], options ?? VeeOptions.Default);

    /// <summary>Seven days of a flat 0.2 kWh history before <see cref="Day"/>.</summary>
    public static IntervalReading[] FlatHistory(decimal value = 0.2m, int days = 7)
    {
        var list = new List<IntervalReading>();
        for (int d = days; d >= 1; d--)
        {
            for (int s = 0; s < 96; s++)
            {
                list.Add(Interval(s, value, dayStart: DayStart.AddDays(-d)));
            }
        }

        return [.. list];
    }

    public static DayCurve Curve(DateOnly day, params (int Slot, decimal Value, ReadingQuality Quality)[] values)
    {
        DayCurve curve = DayCurve.Empty(Meter, MeterChannel.ActiveImport, day, 15);
        CurveUpdate[] updates = values.Select(v => new CurveUpdate(v.Slot, v.Value, v.Quality)).ToArray();
        return curve.Merge(updates).Curve;
    }

    public static DayCurve FullCurve(DateOnly day, Func<int, decimal> value)
    {
        CurveUpdate[] updates = Enumerable.Range(0, 96).Select(s => new CurveUpdate(s, value(s), ReadingQuality.Valid)).ToArray();
        return DayCurve.Empty(Meter, MeterChannel.ActiveImport, day, 15).Merge(updates).Curve;
    }
}
