using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Calendar;
using MeterToCash.Functions.Tariffs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.MeterData;

/// <summary>
/// Starts a recomputation of month-to-date bands when their banding changed for days already counted: a tariff version
/// published with an effective date that has passed (its days up to today), or a holiday calendar published or
/// corrected for a year that has begun. The recomputation first waits out the publishing feature's cache, so by the
/// time it reads, every instance bands with the new data. Each change is recomputed once: the instance id derives from
/// the change (tariff code and version; calendar year and revision).
/// </summary>
/// <remarks>
/// Started after the publish is stored. A tariff PUT repeated after a crash notifies again (the same id: started once).
/// A calendar host that dies between the two leaves the recomputation unstarted:
/// <c>POST /api/meter-data/recomputations</c> starts it by hand.
/// </remarks>
public sealed class DayTotalsRecomputeOnChange(
    TariffCatalog catalog,
    TimeProvider time,
    IOptions<CalendarOptions> calendarOptions,
    IOptions<TariffOptions> tariffOptions,
    ILogger<DayTotalsRecomputeOnChange> logger)
    : ICalendarChangeListener, ITariffChangeListener
{
    /// <summary>
    /// A code's first version changes no stored band: no meter could be assigned the code before it existed (the archive
    /// refuses unknown codes). A later one re-bands the days from its effective date.
    /// </summary>
    public async Task TariffPublishedAsync(string code, string version, DateOnly effectiveFrom, DurableTaskClient durable, CancellationToken ct)
    {
        if (await catalog.GetAsync(code, ct) is { Versions.Count: > 1 } && PastDays(effectiveFrom, DateOnly.MaxValue) is { } range)
        {
            DayTotalsRecomputeInput input = new(range.From, range.To, null, $"tariff {code} version {version}", tariffOptions.Value.CacheSeconds + CacheMarginSeconds);
            string id = await DayTotalsRecomputeWorkflow.StartForChangeAsync(durable, input, $"tariff:{code}:{version}", ct);
            logger.RecomputeStarted(id, range.From, range.To, input.Reason);
        }
    }

    /// <summary>Seconds added to a cache lifetime before the recomputation reads.</summary>
    const int CacheMarginSeconds = 5;

    public async Task CalendarPublishedAsync(int year, int revision, DurableTaskClient durable, CancellationToken ct)
    {
        if (PastDays(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)) is { } range)
        {
            // A first publish can only change days banded provisionally; a correction can change any day of the year.
            DayTotalsRecomputeInput input = new(range.From, range.To, null, $"calendar {year} revision {revision}", calendarOptions.Value.CacheSeconds + CacheMarginSeconds,
                OnlyIfProvisionalYear: revision == 1 ? year : null);
            string id = await DayTotalsRecomputeWorkflow.StartForChangeAsync(durable, input, $"calendar:{year}:{revision}", ct);
            logger.RecomputeStarted(id, range.From, range.To, input.Reason);
        }
    }

    /// <summary>The part of [from, to] up to today (China local) and within <see cref="DayTotalsRecomputeWorkflow.MaxDays"/> of it, or null when it has not begun.</summary>
    (DateOnly From, DateOnly To)? PastDays(DateOnly from, DateOnly to)
    {
        DateOnly today = ChinaTime.LocalDay(time.GetUtcNow());
        DateOnly oldest = today.AddDays(1 - DayTotalsRecomputeWorkflow.MaxDays);
        DateOnly first = from < oldest ? oldest : from, last = to > today ? today : to;
        return first <= last ? (first, last) : null;
    }
}
