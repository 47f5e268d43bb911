using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace MeterToCash.Functions.Tariffs;

/// <summary>One published version of a tariff as stored: the version's JSON plus the tariff-level fields it came with.</summary>
/// <param name="Code">Tariff code (partition key).</param>
/// <param name="Version">Version label (row key).</param>
/// <param name="EffectiveFrom">First day the version applies.</param>
/// <param name="Document">The version's JSON object (one entry of the engine schema's <c>versions</c>), as published.</param>
/// <param name="Sha256">SHA-256 (hex) of the canonical form of the version and the tariff-level fields; decides "same content".</param>
/// <param name="Name">Tariff name sent with this version.</param>
/// <param name="Kind">Engine kind name, e.g. <c>residentialLadder</c>; the same for every version of a code.</param>
/// <param name="Sample">True for sample data that must be verified against the local price notice.</param>
/// <param name="SampleNote">What to verify, for samples.</param>
/// <param name="PublishedAt">When the version was stored.</param>
public sealed record PublishedVersion(
    string Code, string Version, DateOnly EffectiveFrom, string Document, string Sha256, string Name, string Kind, bool Sample, string? SampleNote, DateTimeOffset PublishedAt);

/// <summary>Reads and writes the <c>TariffVersions</c> table. Rows are only ever inserted: a published version is immutable.</summary>
public sealed class TariffStore(TariffTables tables)
{
    static readonly string[] SummaryColumns = ["PartitionKey", "RowKey", "EffectiveFrom", "Name", "Kind", "Sample"];

    /// <summary>Every version of one tariff, ascending by effective date; empty when the code is unknown.</summary>
    public async Task<IReadOnlyList<PublishedVersion>> VersionsAsync(string code, CancellationToken cancellationToken)
    {
        List<PublishedVersion> versions = [];
        await foreach (TableEntity entity in tables.Versions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {code}"), cancellationToken: cancellationToken))
        {
            versions.Add(ToVersion(entity));
        }

        return [.. versions.OrderBy(v => v.EffectiveFrom)];
    }

    /// <summary>One version, or null.</summary>
    public async Task<PublishedVersion?> FindAsync(string code, string version, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> entity = await tables.Versions.GetEntityIfExistsAsync<TableEntity>(code, version, cancellationToken: cancellationToken);
        return entity.HasValue ? ToVersion(entity.Value!) : null;
    }

    /// <summary>
    /// Every version of every tariff without documents (code, label, effective date, name, kind, sample flag), for
    /// listings and the code set. The catalogue is small (tens of codes, a few versions each), so this is one scan.
    /// </summary>
    public async Task<IReadOnlyList<PublishedVersion>> SummariesAsync(CancellationToken cancellationToken)
    {
        List<PublishedVersion> versions = [];
        await foreach (TableEntity entity in tables.Versions.QueryAsync<TableEntity>(filter: (string?)null, select: SummaryColumns, cancellationToken: cancellationToken))
        {
            versions.Add(ToVersion(entity));
        }

        return versions;
    }

    /// <summary>Inserts a version; false when the row already exists (a concurrent publish of the same label won).</summary>
    public async Task<bool> AddAsync(PublishedVersion version, CancellationToken cancellationToken)
    {
        TableEntity entity = new(version.Code, version.Version)
        {
            ["EffectiveFrom"] = version.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Document"] = version.Document,
            ["Sha256"] = version.Sha256,
            ["Name"] = version.Name,
            ["Kind"] = version.Kind,
            ["Sample"] = version.Sample,
            ["SampleNote"] = version.SampleNote,
            ["PublishedAt"] = version.PublishedAt,
        };
        try
        {
            await tables.Versions.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    static PublishedVersion ToVersion(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        DateOnly.ParseExact(e.GetString("EffectiveFrom"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.GetString("Document") ?? string.Empty,
        e.GetString("Sha256") ?? string.Empty,
        e.GetString("Name") ?? string.Empty,
        e.GetString("Kind") ?? string.Empty,
        e.GetBoolean("Sample") ?? false,
        e.GetString("SampleNote"),
        e.GetDateTimeOffset("PublishedAt") ?? default);
}
