using System.Globalization;
using Azure.Data.Tables;
using MeterToCash.Domain.Load;

namespace MeterToCash.Functions.Load;

/// <summary>A stored line-loss day of an area, with when it was evaluated.</summary>
public sealed record StoredLineLoss(string Area, LineLossDay Day, DateTimeOffset EvaluatedAt);

/// <summary>
/// Daily line-loss results, table <c>LineLossDays</c>: PartitionKey = the day (yyyyMMdd), RowKey = area. The ranking
/// of all areas for a day is one partition query; an evaluation rewrites a row whole (upsert replace), so a repeated
/// or retried evaluation leaves the same row. Decimals are stored as invariant strings (Table storage has no decimal).
/// Created once at start-up (<see cref="Infrastructure.StorageStartup"/>).
/// </summary>
public sealed class LineLossStore(TableServiceClient tables)
{
    public const string TableName = "LineLossDays";

    readonly TableClient table = tables.GetTableClient(TableName);

    /// <summary>Writes an area's days (one upsert each: each day is its own partition).</summary>
    public async Task WriteAsync(string area, IEnumerable<LineLossDay> days, DateTimeOffset evaluatedAt, CancellationToken cancellationToken)
    {
        foreach (LineLossDay d in days)
        {
            TableEntity e = new(Pk(d.Day), area)
            {
                ["Class"] = d.Class.ToString(),
                ["Reason"] = d.Reason,
                ["MasterKwh"] = Text(d.MasterKwh),
                ["CustomersKwh"] = Text(d.CustomersKwh),
                ["LossKwh"] = Text(d.LossKwh),
                ["LossRate"] = Text(d.LossRate),
                ["MasterCompleteness"] = Text(d.MasterCompleteness),
                ["CustomerCompleteness"] = Text(d.CustomerCompleteness),
                ["CompletenessThreshold"] = Text(d.CompletenessThreshold),
                ["EvaluatedAt"] = evaluatedAt,
            };
            await table.UpsertEntityAsync(e, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Every area's stored result for a day.</summary>
    public async Task<IReadOnlyList<StoredLineLoss>> DayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        List<StoredLineLoss> rows = [];
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Pk(day)}"), cancellationToken: cancellationToken))
        {
            rows.Add(new StoredLineLoss(e.RowKey, new LineLossDay(
                day,
                Enum.Parse<LineLossClass>(e.GetString("Class")!),
                e.GetString("Reason"),
                Number(e, "MasterKwh"),
                Number(e, "CustomersKwh") ?? 0,
                Number(e, "LossKwh"),
                Number(e, "LossRate"),
                Number(e, "MasterCompleteness") ?? 0,
                Number(e, "CustomerCompleteness") ?? 0,
                Number(e, "CompletenessThreshold") ?? 0), e.GetDateTimeOffset("EvaluatedAt") ?? e.Timestamp ?? default));
        }

        return rows;
    }

    static string Pk(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    static decimal? Number(TableEntity e, string name) =>
        e.GetString(name) is { } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null;
}
