using System.Collections.Concurrent;
using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Ingestion;

/// <summary>Where a meter is in the archive: its account, transformer area and the facts VEE and CT/PT need.</summary>
/// <param name="AccountNo">Account holding the meter.</param>
/// <param name="AreaCode">Transformer area of the meter's service point (the curve partition).</param>
/// <param name="Entry">The archive entry in the domain's terms (meter number in key form).</param>
public sealed record MeterLocation(string AccountNo, string AreaCode, MeterArchiveEntry Entry);

/// <summary>
/// Resolves meter numbers to <see cref="MeterLocation"/> through <see cref="ArchiveStore"/>, caching answers (also
/// "unknown") for <see cref="IngestionOptions.MeterCacheSeconds"/>: ingestion resolves every meter of every delivery,
/// and an uncached resolution costs three table reads (meter index, account index, customer).
/// </summary>
public sealed class MeterDirectory(ArchiveStore archive, TimeProvider time, IOptions<IngestionOptions> options)
{
    readonly ConcurrentDictionary<string, (MeterLocation? Location, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);

    public async Task<MeterLocation?> ResolveAsync(string meterNo, CancellationToken cancellationToken)
    {
        string key = IngestionKeys.Meter(meterNo);
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
            return null;
        }

        string accountNo = stored.Customer.AccountNo;
        foreach (ServicePoint point in stored.Customer.ServicePoints)
        {
            foreach (Meter meter in point.Meters)
            {
                if (string.Equals(meter.MeterNo.Value, key, StringComparison.OrdinalIgnoreCase))
                {
                    // Archive dates are China-local days, install inclusive and removal exclusive, as MeterArchiveEntry expects.
                    MeterArchiveEntry entry = new(
                        new MeterId(key),
                        point.AreaCode,
                        ChinaTime.DayStart(meter.InstallDate),
                        meter.RemovalDate is { } removed ? ChinaTime.DayStart(removed) : null,
                        meter.CtRatio,
                        meter.PtRatio);
                    return new MeterLocation(accountNo, point.AreaCode, entry);
                }
            }
        }

        return null;
    }
}
