using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>Quarantined interval values counted per area-day, channel and reason, for VEE statistics. Keys: <see cref="MeterDataKeys.RejectionPartition"/>.</summary>
/// <summary>An interval value that was not stored: its meter, channel code and start as far as known, and why.</summary>
/// <param name="Meter">Meter number, or null when the item named none.</param>
/// <param name="Channel">Channel code (AI, AE, RI, RE), or null.</param>
/// <param name="Start">Interval start, or null.</param>
/// <param name="Reason">Rule or reason; several rules are comma-separated.</param>
public sealed record RejectedValue(string? Meter, string? Channel, DateTimeOffset? Start, string? Reason);

public sealed class RejectionStore(MeterDataStorage storage)
{
    /// <summary>Records the quarantined interval values of one payload (register reads are counted with registers, not here).</summary>
    public async Task RecordAsync(string payloadHash, DateTimeOffset receivedAt, IEnumerable<RejectedValue> values, IReadOnlyDictionary<string, MeterLocation?> locations, CancellationToken cancellationToken)
    {
        var groups = values
            .GroupBy(i =>
            {
                MeterLocation? location = i.Meter is { } m ? locations.GetValueOrDefault(MeterDataKeys.Meter(m)) : null;
                DateOnly day = ChinaTime.LocalDay(location is not null && i.Start is { } start ? start : receivedAt);
                return (Partition: MeterDataKeys.RejectionPartition(location?.AreaCode, day), Channel: i.Channel ?? "-");
            })
            .Select(g => new TableEntity(g.Key.Partition, payloadHash + "~" + g.Key.Channel)
            {
                ["Items"] = g.Count(),
                ["Rules"] = JsonSerializer.Serialize(RuleCounts(g.Select(i => i.Reason))),
            })
            .ToList();
        if (groups.Count == 0)
        {
            return;
        }

        foreach (TableEntity[] chunk in groups.GroupBy(e => e.PartitionKey).SelectMany(p => p.Chunk(100)))
        {
            await storage.Rejections.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }

    /// <summary>Rejected values of an area-day and channel (code, e.g. AI), with counts per rule or reason.</summary>
    public async Task<(int Items, Dictionary<string, int> Rules)> ReadAsync(string areaCode, DateOnly day, string channelCode, CancellationToken cancellationToken)
    {
        int items = 0;
        Dictionary<string, int> rules = new(StringComparer.Ordinal);
        string pk = MeterDataKeys.RejectionPartition(areaCode, day), suffix = "~" + channelCode;
        await foreach (TableEntity row in storage.Rejections.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), cancellationToken: cancellationToken))
        {
            if (!row.RowKey.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            items += row.GetInt32("Items") ?? 0;
            foreach ((string rule, int count) in JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString("Rules") ?? "{}") ?? [])
            {
                rules[rule] = rules.GetValueOrDefault(rule) + count;
            }
        }

        return (items, rules);
    }

    /// <summary>A reason may name several rules ("Spike,NegativeConsumption"): each is counted.</summary>
    static SortedDictionary<string, int> RuleCounts(IEnumerable<string?> reasons)
    {
        SortedDictionary<string, int> counts = new(StringComparer.Ordinal);
        foreach (string rule in reasons.SelectMany(r => (r ?? "Unknown").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            counts[rule] = counts.GetValueOrDefault(rule) + 1;
        }

        return counts;
    }
}
