using System.Text.Json.Nodes;

namespace MeterToCash.Functions.Tariffs;

/// <summary>A version in a listing: its label and first effective day.</summary>
public sealed record TariffVersionSummaryDto(string Version, DateOnly EffectiveFrom);

/// <summary>A tariff in <c>GET /api/tariffs</c>: name, kind and sample flag of its latest version, versions ascending.</summary>
public sealed record TariffSummaryDto(string Code, string Name, string Kind, bool Sample, IReadOnlyList<TariffVersionSummaryDto> Versions);

/// <summary>The whole catalogue, by code.</summary>
public sealed record TariffListDto(IReadOnlyList<TariffSummaryDto> Tariffs);

/// <summary>
/// One published version: <see cref="Changed"/> is set on a publish (false for a republish of the same content),
/// <see cref="Document"/> on a read of the version (its JSON as published).
/// </summary>
public sealed record PublishedVersionDto(string Code, string Version, DateOnly EffectiveFrom, string Sha256, DateTimeOffset PublishedAt, bool? Changed = null, JsonNode? Document = null)
{
    public static PublishedVersionDto From(PublishedVersion v, bool? changed = null, bool withDocument = false) =>
        new(v.Code, v.Version, v.EffectiveFrom, v.Sha256, v.PublishedAt, changed, withDocument ? JsonNode.Parse(v.Document) : null);
}

/// <summary><c>GET /api/tariffs/{code}</c>: metadata, each version's publication record, and the tariff in the engine's schema.</summary>
public sealed record TariffDto(string Code, string Name, string Kind, bool Sample, string? SampleNote, IReadOnlyList<PublishedVersionDto> Versions, JsonObject Tariff);
