using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Segments;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// The classification's own tables: <c>segments</c> (an account's current classification: PK account number, RK
/// <c>current</c>), <c>segmentindex</c> (PK segment code, RK account number: the members of a segment),
/// <c>segmentfacts</c> (a run's gathered facts: PK run id, RK area|account) and <c>segmentmodels</c> (a run's shape
/// clusters: PK run id, RK <c>shape</c>; and each area's counts per segment and service action as its last
/// classification left them: PK <c>overview</c>, RK area, so the overview of every segment is one partition read of a
/// row per area, not a count of the index). A run id is its as-of day, so a re-run of the same day replaces its rows.
/// Created once at start-up (<see cref="Infrastructure.StorageStartup"/>).
/// </summary>
public sealed class SegmentStore(TableServiceClient tables)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public const string SegmentsTable = "segments", IndexTable = "segmentindex", FactsTable = "segmentfacts", ModelsTable = "segmentmodels";

    /// <summary>Partition of <see cref="ModelsTable"/> holding a row of counts per area (run ids are digits, so it never collides).</summary>
    const string OverviewPartition = "overview";

    TableClient Segments => tables.GetTableClient(SegmentsTable);

    TableClient Index => tables.GetTableClient(IndexTable);

    TableClient Facts => tables.GetTableClient(FactsTable);

    TableClient Models => tables.GetTableClient(ModelsTable);

    /// <summary>Stores a run's facts of an area (upserts: a retry writes the same rows).</summary>
    public async Task SaveFactsAsync(string runId, string area, IReadOnlyList<AccountFacts> facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (AccountFacts[] chunk in facts.Chunk(100))
        {
            List<TableTransactionAction> actions = [.. chunk.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(runId, $"{area}|{f.AccountNo}") { ["Facts"] = JsonSerializer.Serialize(f, Json) }))];
            await Facts.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>A run's facts: of one area, or of every area when <paramref name="area"/> is null.</summary>
    public async Task<IReadOnlyList<AccountFacts>> FactsAsync(string runId, string? area, CancellationToken cancellationToken)
    {
        string filter = area is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {runId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey ge {area + "|"} and RowKey lt {area + "}"}");
        List<AccountFacts> facts = [];
        await foreach (TableEntity e in Facts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.GetString("Facts") is { } json && JsonSerializer.Deserialize<AccountFacts>(json, Json) is { } f)
            {
                facts.Add(f);
            }
        }

        return [.. facts.OrderBy(f => f.AccountNo, StringComparer.Ordinal)];
    }

    public async Task SaveClustersAsync(string runId, IReadOnlyList<ShapeCluster> clusters, CancellationToken cancellationToken)
    {
        await Models.UpsertEntityAsync(new TableEntity(runId, "shape") { ["Clusters"] = JsonSerializer.Serialize(clusters, Json) }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<ShapeCluster>> ClustersAsync(string runId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await Models.GetEntityIfExistsAsync<TableEntity>(runId, "shape", cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetString("Clusters") is { } json ? JsonSerializer.Deserialize<List<ShapeCluster>>(json, Json) ?? [] : [];
    }

    /// <summary>Replaces an area's counts per segment and service action (a retry writes the same row).</summary>
    public async Task SaveAreaCountsAsync(SegmentAreaCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        await Models.UpsertEntityAsync(new TableEntity(OverviewPartition, counts.Area) { ["Counts"] = JsonSerializer.Serialize(counts, Json) }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every classified area's counts, by area code.</summary>
    public async Task<IReadOnlyList<SegmentAreaCounts>> AreaCountsAsync(CancellationToken cancellationToken)
    {
        List<SegmentAreaCounts> found = [];
        await foreach (TableEntity e in Models.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {OverviewPartition}"), cancellationToken: cancellationToken))
        {
            if (e.GetString("Counts") is { } json && JsonSerializer.Deserialize<SegmentAreaCounts>(json, Json) is { } counts)
            {
                found.Add(counts);
            }
        }

        return found;
    }

    /// <summary>
    /// Stores an account's classification and keeps the index in step: index rows of segments it left are deleted and
    /// rows of its segments upserted before the classification itself is replaced, so a crash in between leaves the old
    /// codes on the account and the retry deletes them again.
    /// </summary>
    public async Task SaveAsync(AccountSegmentsDto segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        string[] codes = [.. segments.Segments.Select(s => s.Code)];
        NullableResponse<TableEntity> previous = await Segments.GetEntityIfExistsAsync<TableEntity>(segments.AccountNo, "current", cancellationToken: cancellationToken);
        string[] before = previous.HasValue ? (previous.Value!.GetString("Codes") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        foreach (string left in before.Except(codes, StringComparer.Ordinal))
        {
            await Index.DeleteEntityAsync(left, segments.AccountNo, ETag.All, cancellationToken);
        }

        foreach (string code in codes)
        {
            await Index.UpsertEntityAsync(new TableEntity(code, segments.AccountNo) { ["Area"] = segments.Area, ["ClassifiedOn"] = segments.ClassifiedOn }, TableUpdateMode.Replace, cancellationToken);
        }

        await Segments.UpsertEntityAsync(new TableEntity(segments.AccountNo, "current")
        {
            ["Codes"] = string.Join(',', codes),
            ["Document"] = JsonSerializer.Serialize(segments, Json),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<AccountSegmentsDto?> FindAsync(string accountNo, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await Segments.GetEntityIfExistsAsync<TableEntity>(accountNo, "current", cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetString("Document") is { } json ? JsonSerializer.Deserialize<AccountSegmentsDto>(json, Json) : null;
    }

    /// <summary>A page of a segment's members, by account number.</summary>
    public async Task<(IReadOnlyList<SegmentMemberDto> Items, string? ContinuationToken)> MembersAsync(string segment, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {segment}");
        await foreach (Page<TableEntity> page in Index.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return ([.. page.Values.Select(e => new SegmentMemberDto(e.RowKey, e.GetString("Area") ?? string.Empty, e.GetString("ClassifiedOn") ?? string.Empty))], page.ContinuationToken);
        }

        return ([], null);
    }
}
