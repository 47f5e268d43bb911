using System.Collections.Concurrent;
using MeterToCash.Domain.Tariffs;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// The catalogue as the rest of the app sees it: published tariffs as domain <see cref="Tariff"/>s and the set of
/// known codes, cached in memory for <see cref="TariffOptions.CacheSeconds"/>. Other features call this, never the
/// <c>TariffVersions</c> table.
/// </summary>
/// <remarks>
/// A publish on this instance clears the cache here at once (<see cref="Invalidate"/>); other instances see a new code
/// or version within the cache time. Checks that must not refuse a code published a moment ago on another instance use
/// <see cref="UnknownCodesAsync"/>, which re-reads before answering "unknown".
/// </remarks>
public sealed class TariffCatalog(TariffStore store, TimeProvider time, IOptions<TariffOptions> options)
{
    readonly ConcurrentDictionary<string, (Tariff Tariff, DateTimeOffset Expires)> tariffs = new(StringComparer.Ordinal);
    volatile CodeSet? codes;

    // Bumped by Invalidate, so a code list read before a publish is not cached after it.
    long generation;

    sealed record CodeSet(IReadOnlySet<string> Codes, DateTimeOffset Expires);

    TimeSpan CacheTime => TimeSpan.FromSeconds(options.Value.CacheSeconds);

    /// <summary>The tariff with every published version in ascending effective date; null when the code is unknown.</summary>
    public async Task<Tariff?> GetAsync(string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(code);
        DateTimeOffset now = time.GetUtcNow();
        if (tariffs.TryGetValue(code, out var cached) && cached.Expires > now)
        {
            return cached.Tariff;
        }

        long before = Interlocked.Read(ref generation);
        if (!(await CodesAsync(ct)).Contains(code))
        {
            return null;
        }

        IReadOnlyList<PublishedVersion> versions = await store.VersionsAsync(code, ct);
        if (versions.Count == 0)
        {
            return null;
        }

        TariffLoadResult loaded = TariffJson.Load(TariffDocuments.Write(TariffDocuments.Compose(code, versions)));
        if (!loaded.IsSuccess)
        {
            // Every version passed the same checks when it was published; failing now means the table was edited by hand.
            throw new InvalidOperationException($"Stored tariff '{code}' no longer loads: {string.Join("; ", loaded.Errors)}");
        }

        if (CacheTime > TimeSpan.Zero && Interlocked.Read(ref generation) == before)
        {
            tariffs[code] = (loaded.Tariff, now + CacheTime);
        }

        return loaded.Tariff;
    }

    /// <summary>Every published tariff code (ordinal, case-sensitive).</summary>
    public async Task<IReadOnlySet<string>> CodesAsync(CancellationToken ct)
    {
        CodeSet? current = codes;
        return current is not null && current.Expires > time.GetUtcNow() ? current.Codes : await ReadCodesAsync(ct);
    }

    /// <summary>
    /// Which of <paramref name="candidates"/> are not published. Answers from the cache when every code is known;
    /// otherwise reads the codes again once, so a code published moments ago on another instance is not refused.
    /// </summary>
    public async Task<IReadOnlySet<string>> UnknownCodesAsync(IEnumerable<string> candidates, CancellationToken ct)
    {
        List<string> wanted = [.. candidates.Distinct(StringComparer.Ordinal)];
        IReadOnlySet<string> known = await CodesAsync(ct);
        if (wanted.All(known.Contains))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        known = await ReadCodesAsync(ct);
        return wanted.Where(c => !known.Contains(c)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Forgets what is cached about <paramref name="code"/> and the code list; called after a publish.</summary>
    public void Invalidate(string code)
    {
        Interlocked.Increment(ref generation);
        tariffs.TryRemove(code, out _);
        codes = null;
    }

    async Task<IReadOnlySet<string>> ReadCodesAsync(CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        long before = Interlocked.Read(ref generation);
        HashSet<string> read = (await store.SummariesAsync(ct)).Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
        if (CacheTime > TimeSpan.Zero && Interlocked.Read(ref generation) == before)
        {
            codes = new CodeSet(read, now + CacheTime);
        }

        return read;
    }
}
