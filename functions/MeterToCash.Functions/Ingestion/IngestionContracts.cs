namespace MeterToCash.Functions.Ingestion;

/// <summary>The answer to a push: counts of every status and one result per item that is not <see cref="ItemStatus.Accepted"/>.</summary>
public sealed record IngestionResponseDto(string RawBlob, bool Redelivery, string? QuarantineBlob, IngestionCounts Counts, IReadOnlyList<ItemResult> Items);
