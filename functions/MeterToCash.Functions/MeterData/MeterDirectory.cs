using System.Collections.Concurrent;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.MeterData;

/// <summary>Where a meter is in the archive: its account, transformer area and the facts VEE and CT/PT need.</summary>
/// <param name="AccountNo">Account holding the meter.</param>
/// <param name="AreaCode">Transformer area of the meter's service point (the curve partition).</param>
/// <param name="Entry">The archive entry in the domain's terms (meter number in key form).</param>
/// <param name="Tariffs">The tariff assignments of the meter's service point (from inclusive, to exclusive), which band its energy.</param>
public sealed record MeterLocation(string AccountNo, string AreaCode, MeterArchiveEntry Entry, IReadOnlyList<TariffAssignment> Tariffs)
{
    /// <summary>The code of the tariff assigned on a China-local day, or null when none is.</summary>
    public string? TariffOn(DateOnly day)
    {
        foreach (TariffAssignment assignment in Tariffs)
        {
            if (day >= assignment.EffectiveFrom && (assignment.EffectiveTo is null || day < assignment.EffectiveTo))
            {
                return assignment.TariffCode;
            }
        }

        return null;
    }
}

/// <summary>
/// Resolves meter numbers to <see cref="MeterLocation"/> through <see cref="ArchiveStore"/>, caching answers (also
/// "unknown") for <see cref="MeterDataOptions.MeterCacheSeconds"/>: ingestion resolves every meter of every delivery,
/// and an uncached resolution costs three table reads (meter index, account index, customer).
/// <para>
/// <see cref="ResolveManyAsync"/> resolves a delivery's meters: a delivery is mostly one transformer area, so after the
/// first uncached meter is resolved the whole area's customers are read with one partition query and their meters
/// cached, instead of three reads per meter. Only meters that exactly one customer of the listing holds are taken
/// from it; the rest (e.g. a meter caught mid-move between two accounts) are resolved one by one with the index check.
/// </para>
/// </summary>
public sealed class MeterDirectory(ArchiveStore archive, TimeProvider time, IOptions<MeterDataOptions> options)
{
    readonly ConcurrentDictionary<string, (MeterLocation? Location, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTimeOffset> warmedAreas = new(StringComparer.Ordinal);

    /// <summary>
    /// One meter number per run of equal ones: a delivery lists a meter's values together, and upper-casing and hashing
    /// 96 copies of the same number per meter was a visible share of a delivery's CPU.
    /// </summary>
    static IEnumerable<string> Runs(IEnumerable<string> meterNumbers)
    {
        string? last = null;
        foreach (string meterNo in meterNumbers)
        {
            if (!string.Equals(meterNo, last, StringComparison.Ordinal))
            {
                last = meterNo;
                yield return meterNo;
            }
        }
    }

    /// <summary>Resolves many meters (key form or not); the answer is keyed by <see cref="MeterDataKeys.Meter"/>.</summary>
    public async Task<Dictionary<string, MeterLocation?>> ResolveManyAsync(IEnumerable<string> meterNumbers, CancellationToken cancellationToken)
    {
        Dictionary<string, MeterLocation?> found = new(StringComparer.Ordinal);
        List<string> missing = [];
        DateTimeOffset now = time.GetUtcNow();
        foreach (string key in Runs(meterNumbers).Select(MeterDataKeys.Meter).Distinct(StringComparer.Ordinal))
        {
            if (cache.TryGetValue(key, out var cached) && cached.Expires > now)
            {
                found[key] = cached.Location;
            }
            else
            {
                missing.Add(key);
            }
        }

        // One at a time: each miss may bring its whole area into the cache, and the meters after it are then hits.
        foreach (string key in missing)
        {
            if (cache.TryGetValue(key, out var cached) && cached.Expires > now)
            {
                found[key] = cached.Location;
                continue;
            }

            MeterLocation? location = await ResolveAsync(key, cancellationToken);
            found[key] = location;
            if (location is not null)
            {
                await WarmAreaAsync(location.AreaCode, cancellationToken);
            }
        }

        return found;
    }

    /// <summary>Caches every meter the customers of <paramref name="areaCode"/> hold, once per cache lifetime.</summary>
    async Task WarmAreaAsync(string areaCode, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (warmedAreas.TryGetValue(areaCode, out DateTimeOffset until) && until > now)
        {
            return;
        }

        warmedAreas[areaCode] = now.AddSeconds(options.Value.MeterCacheSeconds);
        Dictionary<string, List<MeterLocation>> held = new(StringComparer.Ordinal);
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> customers, token) = await archive.ListAsync(areaCode, null, null, 1000, token, cancellationToken);
            foreach (Customer customer in customers)
            {
                foreach (ServicePoint point in customer.ServicePoints)
                {
                    foreach (Meter meter in point.Meters)
                    {
                        string key = MeterDataKeys.Meter(meter.MeterNo.Value);
                        if (!held.TryGetValue(key, out List<MeterLocation>? holders))
                        {
                            held[key] = holders = [];
                        }

                        holders.Add(Location(customer.AccountNo, point, meter, key));
                    }
                }
            }
        }
        while (token is not null);

        DateTimeOffset expires = now.AddSeconds(options.Value.MeterCacheSeconds);
        foreach ((string key, List<MeterLocation> holders) in held)
        {
            if (holders.Count == 1 && cache.Count < options.Value.MeterCacheSize)
            {
                cache[key] = (holders[0], expires);
            }
        }
    }

    public async Task<MeterLocation?> ResolveAsync(string meterNo, CancellationToken cancellationToken)
    {
        string key = MeterDataKeys.Meter(meterNo);
        DateTimeOffset now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Location;
        }

        MeterLocation? location = await LoadAsync(key, cancellationToken);
        if (cache.Count >= options.Value.MeterCacheSize)
        {
            // Bounded memory with no bookkeeping on the hot path: dropping everything costs one re-read per meter.
            cache.Clear();
        }

        cache[key] = (location, now.AddSeconds(options.Value.MeterCacheSeconds));
        return location;
    }

    async Task<MeterLocation?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        // Three reads, not five: the holder check (meter index checked against the customer) already loads the customer.
        if (await archive.MeterHolderAsync(key, cancellationToken) is not { } stored)
        {
            // Not a customer's: perhaps a transformer area's master meter (考核表). Its curves are stored in its area's
            // partition like a customer meter's, with no account and no tariff; readers that sum customers skip it by
            // number (the area record names it).
            return await archive.MasterMeterAreaAsync(key, cancellationToken) is { MasterMeter: { } master } area
                ? new MeterLocation(string.Empty, area.Code, new MeterArchiveEntry(new MeterId(key), area.Code, ChinaTime.DayStart(master.InstallDate), null, master.CtRatio, master.PtRatio), [])
                : null;
        }

        string accountNo = stored.Customer.AccountNo;
        foreach (ServicePoint point in stored.Customer.ServicePoints)
        {
            foreach (Meter meter in point.Meters)
            {
                if (string.Equals(meter.MeterNo.Value, key, StringComparison.OrdinalIgnoreCase))
                {
                    return Location(accountNo, point, meter, key);
                }
            }
        }

        return null;
    }

    // Archive dates are China-local days, install inclusive and removal exclusive, as MeterArchiveEntry expects.
    static MeterLocation Location(string accountNo, ServicePoint point, Meter meter, string key) => new(
        accountNo,
        point.AreaCode,
        new MeterArchiveEntry(
            new MeterId(key),
            point.AreaCode,
            ChinaTime.DayStart(meter.InstallDate),
            meter.RemovalDate is { } removed ? ChinaTime.DayStart(removed) : null,
            meter.CtRatio,
            meter.PtRatio),
        point.Tariffs);
}
