using System.Collections.Concurrent;
using MeterToCash.Domain.Calendar;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Calendar;

/// <summary>
/// The published holiday calendars as other features read them, each year (and each year's absence) cached in memory for
/// <see cref="CalendarOptions.CacheSeconds"/>. A null answer means the year is not published: use
/// <see cref="PlainDayTypes"/> provisionally.
/// </summary>
public sealed class HolidayCalendars(CalendarStore store, TimeProvider time, IOptions<CalendarOptions> options)
{
    readonly ConcurrentDictionary<int, (HolidayCalendar? Calendar, DateTimeOffset Expires)> cache = new();

    /// <summary>The published calendar of <paramref name="year"/>, or null when none is published.</summary>
    public async Task<HolidayCalendar?> GetAsync(int year, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (cache.TryGetValue(year, out (HolidayCalendar? Calendar, DateTimeOffset Expires) entry) && entry.Expires > now)
        {
            return entry.Calendar;
        }

        HolidayCalendar? calendar = (await store.FindAsync(year, cancellationToken))?.Calendar;
        cache[year] = (calendar, now.AddSeconds(options.Value.CacheSeconds));
        return calendar;
    }

    /// <summary>Drops this instance's cached entry of a year, after it published the year.</summary>
    public void Forget(int year) => cache.TryRemove(year, out _);
}
