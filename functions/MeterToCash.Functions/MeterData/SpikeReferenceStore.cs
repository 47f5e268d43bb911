using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using Microsoft.Extensions.Options;

namespace MeterToCash.Functions.MeterData;

/// <summary>The stored spike references of one transformer area's series, with the last day of the window they come from.</summary>
/// <param name="Through">The China-local day the window ends with (the daily VEE run's day); null when none are stored.</param>
/// <param name="References">By (meter key, <see cref="MeterDataKeys.Meter"/>; channel). A series with too few trusted values has none.</param>
public sealed record AreaSpikeReferences(DateOnly? Through, IReadOnlyDictionary<(string Meter, MeterChannel Channel), SpikeReference> References)
{
    /// <summary>An area with no stored references.</summary>
    public static readonly AreaSpikeReferences None = new(null, new Dictionary<(string, MeterChannel), SpikeReference>());

    /// <summary>The stored reference of a series, or null when it has none (e.g. a meter installed since the last run).</summary>
    public SpikeReference? For(MeterId meter, MeterChannel channel) =>
        References.TryGetValue((MeterDataKeys.Meter(meter.Value), channel), out SpikeReference reference) ? reference : null;
}

/// <summary>
/// Each series' stored <see cref="SpikeReference"/>, per transformer area (keys: <see cref="MeterDataKeys.SpikeReferencesTable"/>):
/// the daily VEE run writes an area's after completing its day, ingestion reads them to judge spikes in deliveries that
/// carry too little same-day history (live data, a few intervals at a time).
/// <para>
/// Reads are cached per area for <see cref="MeterDataOptions.MeterCacheSeconds"/>, as the <see cref="MeterDirectory"/>
/// caches the area's meters: a delivery to a cached area costs no storage request, an uncached one point read per
/// area. A write drops the area from this instance's cache; other instances see it within the cache lifetime, which
/// for a reference renewed once a day is immaterial.
/// </para>
/// <para>
/// A write replaces the area's whole set, and only with one whose window ends on the same day or later: re-running VEE
/// for an older day (late data, an archive correction) leaves the newer references in place.
/// </para>
/// </summary>
public sealed class SpikeReferenceStore(MeterDataStorage storage, TimeProvider time, IOptions<MeterDataOptions> options)
{
    const int MaxAttempts = 10;

    // Azure Tables: a binary property holds at most 64 KiB and an entity at most 1 MiB (252 properties).
    const int ChunkBytes = 60_000, MaxChunks = 16;

    /// <summary>Layout of the Data columns: per series its meter key, channel (byte) and level (decimal), ordered.</summary>
    const int Format = 1;

    readonly ConcurrentDictionary<string, (AreaSpikeReferences References, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);

    /// <summary>The references of these areas, keyed by area code (<see cref="AreaSpikeReferences.None"/> for an area without).</summary>
    public async Task<IReadOnlyDictionary<string, AreaSpikeReferences>> GetManyAsync(IEnumerable<string> areaCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(areaCodes);
        Dictionary<string, AreaSpikeReferences> found = new(StringComparer.Ordinal);
        DateTimeOffset now = time.GetUtcNow();
        foreach (string area in areaCodes)
        {
            if (found.ContainsKey(area))
            {
                continue;
            }

            if (cache.TryGetValue(area, out var cached) && cached.Expires > now)
            {
                found[area] = cached.References;
                continue;
            }

            AreaSpikeReferences read = (await ReadAsync(area, cancellationToken)).References;
            if (cache.Count >= options.Value.MeterCacheSize)
            {
                // Bounded memory with no bookkeeping on the hot path, as in the meter directory.
                cache.Clear();
            }

            cache[area] = (read, now.AddSeconds(options.Value.MeterCacheSeconds));
            found[area] = read;
        }

        return found;
    }

    /// <summary>
    /// Replaces an area's references with <paramref name="references"/> unless the stored ones come from a later window.
    /// Conditional on the entity's ETag (a concurrent writer makes it re-read and decide again); equal content is not
    /// written again, so a re-run changes nothing.
    /// </summary>
    /// <returns>True when these are the area's references afterwards (written, or stored already); false when the references of a later window were kept.</returns>
    public async Task<bool> ReplaceAsync(string areaCode, AreaSpikeReferences references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Through is not { } through)
        {
            throw new ArgumentException("Stored references need the day their window ends with.", nameof(references));
        }

        for (int attempt = 1; ; attempt++)
        {
            (AreaSpikeReferences stored, ETag? etag) = await ReadAsync(areaCode, cancellationToken);
            if (stored.Through > through)
            {
                return false;
            }

            if (SameAs(stored, references))
            {
                return true;
            }

            TableEntity entity = Encode(areaCode, references);
            try
            {
                if (etag is { } known)
                {
                    await storage.SpikeReferences.UpdateEntityAsync(entity, known, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await storage.SpikeReferences.AddEntityAsync(entity, cancellationToken);
                }

                cache.TryRemove(areaCode, out _);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another run wrote the area's references since we read them: read and decide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    async Task<(AreaSpikeReferences References, ETag? ETag)> ReadAsync(string areaCode, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> stored = await storage.SpikeReferences.GetEntityIfExistsAsync<TableEntity>(
            areaCode, MeterDataKeys.SpikeReferencesRow, cancellationToken: cancellationToken);
        return stored.HasValue ? (Decode(stored.Value!), stored.Value!.ETag) : (AreaSpikeReferences.None, null);
    }

    /// <summary>
    /// Whether storing <paramref name="incoming"/> would change nothing ingestion reads: the same window and references,
    /// or no references on either side (an area without data is not written every night).
    /// </summary>
    static bool SameAs(AreaSpikeReferences stored, AreaSpikeReferences incoming) =>
        (stored.References.Count == 0 && incoming.References.Count == 0)
        || (stored.Through == incoming.Through && stored.References.Count == incoming.References.Count
            && stored.References.All(r => incoming.References.TryGetValue(r.Key, out SpikeReference other) && other == r.Value));

    static TableEntity Encode(string areaCode, AreaSpikeReferences references)
    {
        using MemoryStream buffer = new();
        using (BinaryWriter writer = new(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (((string meter, MeterChannel channel), SpikeReference reference) in references.References
                .OrderBy(r => r.Key.Meter, StringComparer.Ordinal).ThenBy(r => r.Key.Channel))
            {
                writer.Write(meter);
                writer.Write((byte)channel);
                writer.Write(reference.Level);
            }
        }

        byte[] bytes = buffer.ToArray();
        int chunks = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"The spike references of area {areaCode} would hold {references.References.Count} series ({bytes.Length:N0} bytes), more than one entity can; split the transformer area.");
        }

        TableEntity entity = new(areaCode, MeterDataKeys.SpikeReferencesRow)
        {
            ["Format"] = Format,
            ["Through"] = references.Through!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Series"] = references.References.Count,
            ["Chunks"] = chunks,
        };
        for (int c = 0; c < chunks; c++)
        {
            entity["Data" + c.ToString(CultureInfo.InvariantCulture)] = bytes[(c * ChunkBytes)..Math.Min(bytes.Length, (c + 1) * ChunkBytes)];
        }

        return entity;
    }

    /// <summary>The stored references; an entity of another layout, or one that does not decode, reads as none (spikes not judged).</summary>
    static AreaSpikeReferences Decode(TableEntity entity)
    {
        if (entity.GetInt32("Format") != Format
            || !DateOnly.TryParseExact(entity.GetString("Through"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly through))
        {
            return AreaSpikeReferences.None;
        }

        using MemoryStream buffer = new();
        int chunks = entity.GetInt32("Chunks") ?? 0;
        for (int c = 0; c < chunks; c++)
        {
            buffer.Write(entity.GetBinary("Data" + c.ToString(CultureInfo.InvariantCulture)));
        }

        buffer.Position = 0;
        Dictionary<(string, MeterChannel), SpikeReference> references = [];
        using BinaryReader reader = new(buffer, System.Text.Encoding.UTF8);
        try
        {
            while (buffer.Position < buffer.Length)
            {
                string meter = reader.ReadString();
                var channel = (MeterChannel)reader.ReadByte();
                decimal level = reader.ReadDecimal();
                if (!Enum.IsDefined(channel) || level < 0m)
                {
                    return AreaSpikeReferences.None;
                }

                references[(meter, channel)] = new SpikeReference(level);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException)
        {
            return AreaSpikeReferences.None;
        }

        return new AreaSpikeReferences(through, references);
    }
}
