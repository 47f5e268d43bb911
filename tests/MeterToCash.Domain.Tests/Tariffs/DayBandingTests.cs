using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Tariffs;

public class DayBandingTests
{
    private const int SlotsPerHour = 4;

    private static readonly HolidayCalendar Cn2025 = HolidayCalendarJson.LoadShipped(2025);
    private static readonly Tariff Commercial = LoadTariff("commercial-tou");
    private static readonly Tariff Residential = LoadTariff("shanghai-residential-tou");

    [Fact]
    public void BandOf_CommercialSummerWorkday_CountsSlotsOfTheSampleWindows()
    {
        DateOnly day = new(2025, 7, 15);
        DayBanding banding = DayBanding.For(Commercial, day, Cn2025)!;

        Dictionary<TouBand, int> slots = CountSlots(banding);

        Assert.Equal(DayType.Workday, banding.DayType);
        // Sample summer windows: critical peak 12–14; peak 08–12, 14–15, 18–21; flat 06–08, 15–18, 21–22; valley 22–06.
        Assert.Equal(2 * SlotsPerHour, slots[TouBand.CriticalPeak]);
        Assert.Equal((4 + 1 + 3) * SlotsPerHour, slots[TouBand.Peak]);
        Assert.Equal((2 + 3 + 1) * SlotsPerHour, slots[TouBand.Flat]);
        Assert.Equal(8 * SlotsPerHour, slots[TouBand.Valley]);
    }

    [Fact]
    public void BandOf_ResidentialDay_IsPeakFromSixToTwentyTwoAndValleyOtherwise()
    {
        DayBanding banding = DayBanding.For(Residential, new DateOnly(2025, 3, 10), Cn2025)!;

        Dictionary<TouBand, int> slots = CountSlots(banding);

        Assert.Equal(16 * SlotsPerHour, slots[TouBand.Peak]);
        Assert.Equal(8 * SlotsPerHour, slots[TouBand.Valley]);
        Assert.Equal(TouBand.Peak, banding.BandOf(Local(banding.Day, 6, 0)));
        Assert.Equal(TouBand.Valley, banding.BandOf(Local(banding.Day, 5, 45)));
        Assert.Equal(TouBand.Valley, banding.BandOf(Local(banding.Day, 22, 0)));
    }

    [Fact]
    public void BandOf_CommercialNationalDayHoliday_HasNoPeakWhereTheWorkdayAfterHasOne()
    {
        DateOnly holiday = new(2025, 10, 1), workday = new(2025, 10, 9);
        DayBanding onHoliday = DayBanding.For(Commercial, holiday, Cn2025)!;
        DayBanding onWorkday = DayBanding.For(Commercial, workday, Cn2025)!;

        Assert.Equal(DayType.Holiday, onHoliday.DayType);
        Assert.Equal(DayOfWeek.Wednesday, holiday.DayOfWeek);
        Assert.DoesNotContain(TouBand.Peak, Bands(onHoliday));
        Assert.DoesNotContain(TouBand.CriticalPeak, Bands(onHoliday));
        Assert.Contains(TouBand.Peak, Bands(onWorkday));
    }

    [Fact]
    public void BandOf_MakeUpSaturday_IsBandedLikeAnOrdinaryWorkday()
    {
        DateOnly makeUp = new(2025, 10, 11), ordinary = new(2025, 10, 9), plainSaturday = new(2025, 10, 18);
        Assert.Equal(DayOfWeek.Saturday, makeUp.DayOfWeek);

        DayBanding banding = DayBanding.For(Commercial, makeUp, Cn2025)!;

        Assert.Equal(DayType.Workday, banding.DayType);
        Assert.Equal(Bands(DayBanding.For(Commercial, ordinary, Cn2025)!), Bands(banding));
        Assert.NotEqual(Bands(DayBanding.For(Commercial, plainSaturday, Cn2025)!), Bands(banding));
    }

    [Fact]
    public void For_DayTheVersionChanges_UsesTheNewVersionFromThatDayAndTheOldOneBefore()
    {
        TariffVersion old = Commercial.Versions[0];
        TariffVersion flatFromJuly = old with { Version = "2025-07", EffectiveFrom = new DateOnly(2025, 7, 1), Schedule = null };
        Tariff tariff = Commercial with { Versions = [old, flatFromJuly] };

        DayBanding before = DayBanding.For(tariff, new DateOnly(2025, 6, 30), Cn2025)!;
        DayBanding from = DayBanding.For(tariff, new DateOnly(2025, 7, 1), Cn2025)!;

        Assert.Same(old, before.Version);
        Assert.Same(flatFromJuly, from.Version);
        Assert.Contains(TouBand.Peak, Bands(before));
        Assert.All(Bands(from), b => Assert.Equal(TouBand.Flat, b));
        Assert.Equal($"{tariff.Id}@{old.Version}/Workday", before.Key);
        Assert.Equal($"{tariff.Id}@2025-07/Workday", from.Key);
    }

    [Fact]
    public void For_DayBeforeTheFirstVersion_IsNull()
    {
        DateOnly dayBefore = Commercial.Versions[0].EffectiveFrom.AddDays(-1);

        Assert.Null(DayBanding.For(Commercial, dayBefore, null));
    }

    [Fact]
    public void For_NoCalendar_IsProvisionalByWeekday()
    {
        DateOnly newYear = new(2025, 1, 1);
        Assert.Equal(DayOfWeek.Wednesday, newYear.DayOfWeek);

        DayBanding provisional = DayBanding.For(Commercial, newYear, null)!;
        DayBanding published = DayBanding.For(Commercial, newYear, Cn2025)!;

        Assert.True(provisional.Provisional);
        Assert.Equal(DayType.Workday, provisional.DayType);
        Assert.EndsWith("~p", provisional.Key, StringComparison.Ordinal);
        Assert.False(published.Provisional);
        Assert.Equal(DayType.Holiday, published.DayType);
        Assert.NotEqual(provisional.Key, published.Key);
    }

    [Fact]
    public void For_CalendarOfAnotherYear_Throws()
    {
        Assert.Throws<ArgumentException>(() => DayBanding.For(Commercial, new DateOnly(2026, 3, 2), Cn2025));
    }

    [Fact]
    public void BandOf_SlotStartInUtc_IsBandedByItsChinaLocalTime()
    {
        DayBanding banding = DayBanding.For(Residential, new DateOnly(2025, 3, 10), Cn2025)!;

        // 22:00 UTC on the 9th is 06:00 China time on the 10th, the first peak minute.
        Assert.Equal(TouBand.Peak, banding.BandOf(new DateTimeOffset(2025, 3, 9, 22, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TouBand.Valley, banding.BandOf(new DateTimeOffset(2025, 3, 9, 21, 45, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void BandOf_SlotOfAnotherDay_Throws()
    {
        DayBanding banding = DayBanding.For(Residential, new DateOnly(2025, 3, 10), Cn2025)!;

        Assert.Throws<ArgumentOutOfRangeException>(() => banding.BandOf(ChinaTime.DayStart(new DateOnly(2025, 3, 11))));
    }

    private static Tariff LoadTariff(string sample)
    {
        TariffLoadResult result = TariffJson.LoadSample(sample);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Tariff;
    }

    private static DateTimeOffset Local(DateOnly day, int hour, int minute) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), ChinaTime.Offset);

    /// <summary>The band of each of the day's 96 15-minute slots, in order; slot starts are given in UTC.</summary>
    private static TouBand[] Bands(DayBanding banding)
    {
        DateTimeOffset start = ChinaTime.DayStart(banding.Day);
        return [.. Enumerable.Range(0, 24 * SlotsPerHour).Select(i => banding.BandOf(start.AddMinutes(15 * i)))];
    }

    private static Dictionary<TouBand, int> CountSlots(DayBanding banding)
    {
        Dictionary<TouBand, int> counts = Enum.GetValues<TouBand>().ToDictionary(b => b, _ => 0);
        foreach (TouBand band in Bands(banding))
        {
            counts[band]++;
        }

        return counts;
    }
}
