namespace MeterToCash.Functions.Ingestion;

/// <summary>
/// The answer to a push, bounded whatever the delivery: counts of every status; <see cref="ByReason"/>, the count of each
/// (status, reason) with its first <see cref="ReasonSummary.MaxPositions"/> positions; and <see cref="Items"/>, the
/// first <see cref="MaxListedItems"/> items that were not <see cref="ItemStatus.Accepted"/>, in document order. When
/// there are more (<see cref="ItemsTruncated"/>), the complete list is in <see cref="ItemsBlob"/> (container
/// <c>meter-quarantine</c>), and quarantined values are in <see cref="QuarantineBlob"/> as always.
/// </summary>
public sealed record IngestionResponseDto(string RawBlob, bool Redelivery, string? QuarantineBlob, IngestionCounts Counts, IReadOnlyList<ReasonSummary> ByReason, IReadOnlyList<ItemResult> Items, bool ItemsTruncated, string? ItemsBlob)
{
    public const int MaxListedItems = 1_000;
}

/// <summary>How many items got one status for one reason, and where the first of them are.</summary>
public sealed record ReasonSummary(ItemStatus Status, string? Reason, int Count, IReadOnlyList<string> FirstPositions)
{
    public const int MaxPositions = 20;

    public static IReadOnlyList<ReasonSummary> Of(IReadOnlyList<ItemResult> items) =>
        items.GroupBy(i => (i.Status, i.Reason))
            .Select(g => new ReasonSummary(g.Key.Status, g.Key.Reason, g.Count(), g.Take(MaxPositions).Select(i => i.Position).ToList()))
            .OrderBy(s => s.Status).ThenBy(s => s.Reason, StringComparer.Ordinal)
            .ToList();
}
