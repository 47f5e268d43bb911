using Azure.Data.Tables;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// Reads the rows of many partitions of one table with range queries over their keys, where a feature would otherwise
/// query or point-read each partition: a billing batch reads its hundred accounts' bills or ledger heads as one request
/// instead of a hundred.
/// </summary>
/// <remarks>
/// <para>A query is <c>PartitionKey ge {lowest unread} and PartitionKey le {highest}</c> and the caller's row filter, so it
/// also meets every partition between the wanted ones. When the keys wanted are a contiguous run of the table's keys (a
/// batch of one area's accounts, numbered together) there is nothing between them and one query reads them all; when
/// they are not (an area whose accounts are numbered among other areas'), the rows of other partitions are read and
/// dropped, up to a budget of <see cref="ForeignRowsPerPartition"/> per partition the read wants, in every query. Past it
/// that query stops and the next one starts at the first wanted partition above the row it stopped in, skipping the rest
/// of the gap. Every wanted partition is read whole, with at most one query per wanted partition, each passing at most
/// the read's budget of other partitions' rows. The budget stays the read's whole budget in every query, so a batch
/// whose accounts interleave evenly with others' (one area's accounts numbered among forty areas', forty other rows per
/// wanted partition) takes four queries however many accounts it holds. On Azurite each query, and each page of 1,000
/// rows within it, is a fresh scan of the table, so such a read still costs a page per 1,000 rows passed, its own or
/// others'.</para>
/// <para>Tables return a range query's rows in (PartitionKey, RowKey) order, on Azure and on Azurite, so when a query
/// stops every wanted partition below the row it stopped in has been read whole, and none above it has been touched.</para>
/// </remarks>
public static class PartitionRange
{
    /// <summary>Rows of partitions not asked for that each query of a read may pass over, per partition the read wants, before it stops.</summary>
    public const int ForeignRowsPerPartition = 10;

    /// <summary>
    /// The rows matching <paramref name="rowFilter"/> (an OData filter on the row, e.g. built with
    /// <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>) of every partition in
    /// <paramref name="partitionKeys"/>, read with range queries (several pages when the rows are many).
    /// </summary>
    public static Task<Rows> ReadAsync(TableClient table, IReadOnlyCollection<string> partitionKeys, string rowFilter, CancellationToken cancellationToken) =>
        ReadAsync(table, partitionKeys, rowFilter, select: null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync(TableClient, IReadOnlyCollection{string}, string, CancellationToken)"/>, returning only the
    /// columns in <paramref name="select"/> (null: every column); PartitionKey and RowKey are always returned.
    /// </summary>
    public static async Task<Rows> ReadAsync(TableClient table, IReadOnlyCollection<string> partitionKeys, string rowFilter, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(partitionKeys);
        string[] wanted = [.. partitionKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Dictionary<string, List<TableEntity>> found = wanted.ToDictionary(key => key, _ => new List<TableEntity>(), StringComparer.Ordinal);
        IEnumerable<string>? columns = select is null ? null : ["PartitionKey", "RowKey", .. select];
        long foreignBudget = (long)wanted.Length * ForeignRowsPerPartition;
        int next = 0, queries = 0;
        while (next < wanted.Length)
        {
            queries++;
            string? stoppedIn = await ReadFromAsync(table, wanted, next, rowFilter, columns, found, foreignBudget, cancellationToken);
            if (stoppedIn is null)
            {
                break;
            }

            while (next < wanted.Length && string.CompareOrdinal(wanted[next], stoppedIn) < 0)
            {
                next++;
            }
        }

        return new Rows(found, queries);
    }

    /// <summary>One query from <c>wanted[next]</c> to the highest key wanted; answers the other partition it stopped in past <paramref name="foreignBudget"/>, or null when it read to the end.</summary>
    static async Task<string?> ReadFromAsync(TableClient table, string[] wanted, int next, string rowFilter, IEnumerable<string>? columns, Dictionary<string, List<TableEntity>> found, long foreignBudget, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey ge {wanted[next]} and PartitionKey le {wanted[^1]}") + " and (" + rowFilter + ")";
        long foreign = 0;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            if (found.TryGetValue(row.PartitionKey, out List<TableEntity>? rows))
            {
                rows.Add(row);
            }
            else if (++foreign > foreignBudget)
            {
                return row.PartitionKey;
            }
        }

        return null;
    }

    /// <summary>What a read found: the rows of every partition asked for, each read whole.</summary>
    public sealed class Rows
    {
        readonly Dictionary<string, List<TableEntity>> byPartition;

        internal Rows(Dictionary<string, List<TableEntity>> byPartition, int queries)
        {
            this.byPartition = byPartition;
            Queries = queries;
        }

        /// <summary>Range queries the read took: one, plus one for each time a query passed its budget of other partitions' rows.</summary>
        public int Queries { get; }

        /// <summary>The rows read of a partition asked for, in RowKey order (empty when it has none or was not asked for).</summary>
        public IReadOnlyList<TableEntity> Of(string partitionKey) =>
            byPartition.TryGetValue(partitionKey, out List<TableEntity>? rows) ? rows : [];
    }
}
