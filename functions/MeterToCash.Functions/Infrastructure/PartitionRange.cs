using Azure.Data.Tables;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// Reads the rows of many partitions of one table with a single range query over their keys, where a feature would
/// otherwise query or point-read each partition: a billing batch reads its hundred accounts' bills or ledger heads as one
/// request instead of a hundred.
/// </summary>
/// <remarks>
/// <para>The query is <c>PartitionKey ge {lowest} and PartitionKey le {highest}</c> and the caller's row filter, so it
/// also meets every partition between the wanted ones. When the keys wanted are a contiguous run of the table's keys (a
/// batch of one area's accounts, numbered together) there is nothing between them; when they are not, the rows of
/// other partitions are read and dropped, up to a budget of <see cref="ForeignRowsPerPartition"/> per partition wanted.
/// Past it the read stops, and the partitions it had not passed yet are left for the caller to read one by one
/// (<see cref="Rows.IsComplete"/>): a scattered request costs at most the budget more than one request per partition.</para>
/// <para>Tables return a range query's rows in (PartitionKey, RowKey) order, on Azure and on Azurite, so when the read
/// stops early every wanted partition below the last key seen has been read whole.</para>
/// </remarks>
public static class PartitionRange
{
    /// <summary>Rows of partitions not asked for that a read may pass over, per partition asked for, before it stops.</summary>
    public const int ForeignRowsPerPartition = 10;

    /// <summary>
    /// The rows matching <paramref name="rowFilter"/> (an OData filter on the row, e.g. built with
    /// <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>) of every partition in
    /// <paramref name="partitionKeys"/>, read with one range query (several pages when the rows are many).
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
        if (wanted.Length == 0)
        {
            return new Rows(found, null);
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey ge {wanted[0]} and PartitionKey le {wanted[^1]}") + " and (" + rowFilter + ")";
        long foreignBudget = (long)wanted.Length * ForeignRowsPerPartition, foreign = 0;
        IEnumerable<string>? columns = select is null ? null : ["PartitionKey", "RowKey", .. select];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            if (found.TryGetValue(row.PartitionKey, out List<TableEntity>? rows))
            {
                rows.Add(row);
            }
            else if (++foreign > foreignBudget)
            {
                return new Rows(found, row.PartitionKey);
            }
        }

        return new Rows(found, null);
    }

    /// <summary>What a range read found: the rows per partition asked for, and which of those partitions it read whole.</summary>
    public sealed class Rows
    {
        readonly Dictionary<string, List<TableEntity>> byPartition;
        readonly string? stoppedAt;

        internal Rows(Dictionary<string, List<TableEntity>> byPartition, string? stoppedAt)
        {
            this.byPartition = byPartition;
            this.stoppedAt = stoppedAt;
        }

        /// <summary>Whether the read stopped early, past its budget of other partitions' rows.</summary>
        public bool StoppedEarly => stoppedAt is not null;

        /// <summary>
        /// Whether <paramref name="partitionKey"/> was asked for and read whole: always when the read ran to its end, else
        /// when the key sorts below the other partition it stopped in.
        /// </summary>
        public bool IsComplete(string partitionKey) =>
            byPartition.ContainsKey(partitionKey) && (stoppedAt is null || string.CompareOrdinal(partitionKey, stoppedAt) < 0);

        /// <summary>The rows read of a partition asked for, in RowKey order (empty when it has none or was not asked for).</summary>
        public IReadOnlyList<TableEntity> Of(string partitionKey) =>
            byPartition.TryGetValue(partitionKey, out List<TableEntity>? rows) ? rows : [];
    }
}
