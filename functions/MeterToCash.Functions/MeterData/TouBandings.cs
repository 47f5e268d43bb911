using System.Collections.Concurrent;
using MeterToCash.Domain.Calendar;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.Tariffs;

namespace MeterToCash.Functions.MeterData;

/// <summary>How one meter's day is split into TOU bands, as stored with its month-to-date entry.</summary>
/// <param name="Key">Names the banding (tariff, version, day type, provisional mark), e.g. <c>SH-COM-TOU@v1/Workday</c>; <see cref="DefaultKey"/> when no tariff applies.</param>
/// <param name="Provisional">True when the day's year has no published holiday calendar and the plain weekday/weekend rule was used.</param>
/// <param name="Classify">The band of a slot, given its start.</param>
public sealed record MeterDayBanding(string Key, bool Provisional, Func<DateTimeOffset, TouBand> Classify)
{
    /// <summary>The key of days banded by <see cref="DefaultTouClassifier"/>: no tariff was in force for the meter that day.</summary>
    public const string DefaultKey = "default";

    /// <summary>The banding of a day no tariff governs.</summary>
    public static MeterDayBanding Default { get; } = new(DefaultKey, false, DefaultTouClassifier.Classify);
}

/// <summary>
/// Resolves the banding of a meter's day: the tariff assigned to its service point that day (archive), that tariff's
/// version in force (catalogue) and the day type (holiday calendar). Catalogue and calendar are cached by their owners;
/// this keeps the compiled banding per (tariff, day) as long as neither the tariff nor the calendar object changed, so
/// ingestion pays a dictionary look-up per curve.
/// </summary>
public sealed class TouBandings(TariffCatalog catalog, HolidayCalendars calendars)
{
    /// <summary>How month-to-date and usage answers are banded, as the API states it.</summary>
    public const string Description = "each meter's tariff in force that day: its version's band hours for the holiday calendar's day type (provisional: the plain weekday/weekend rule while the year has no published calendar); a day without a tariff: "
        + DefaultTouClassifier.Description;

    const int MaxCached = 100_000;

    readonly ConcurrentDictionary<(string Code, DateOnly Day), (Tariff Tariff, HolidayCalendar? Calendar, MeterDayBanding Banding)> cache = new();

    /// <summary>The banding of <paramref name="location"/>'s meter on <paramref name="day"/>; <see cref="MeterDayBanding.Default"/> when the meter is unknown, has no tariff that day, or the tariff has no version in force.</summary>
    public async Task<MeterDayBanding> ForAsync(MeterLocation? location, DateOnly day, CancellationToken cancellationToken)
    {
        if (location?.TariffOn(day) is not { } code || await catalog.GetAsync(code, cancellationToken) is not { } tariff)
        {
            return MeterDayBanding.Default;
        }

        HolidayCalendar? calendar = await calendars.GetAsync(day.Year, cancellationToken);
        if (cache.TryGetValue((code, day), out var cached) && ReferenceEquals(cached.Tariff, tariff) && ReferenceEquals(cached.Calendar, calendar))
        {
            return cached.Banding;
        }

        MeterDayBanding banding = DayBanding.For(tariff, day, calendar) is { } resolved
            ? new MeterDayBanding(resolved.Key, resolved.Provisional, resolved.BandOf)
            : MeterDayBanding.Default;
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }

        cache[(code, day)] = (tariff, calendar, banding);
        return banding;
    }
}
