using Azure.Data.Tables;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary><see cref="PartitionRange"/> against Azurite: what a range read finds, and when it takes another query.</summary>
[Collection(BackendCollection.Name)]
public class PartitionRangeTests(BackendFixture backend)
{
    async Task<TableClient> NewTableAsync()
    {
        TableClient table = new(backend.StorageConnectionString, "PartitionRange" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>Adds <paramref name="rows"/> rows <c>r0…</c> and one row <c>x</c> (outside the tests' row filter) to each partition.</summary>
    static async Task AddAsync(TableClient table, IEnumerable<string> partitions, int rows)
    {
        foreach (string partition in partitions)
        {
            List<TableTransactionAction> actions = [.. Enumerable.Range(0, rows).Select(k => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, $"r{k:D3}")))];
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "x")));
            await table.SubmitTransactionAsync(actions);
        }
    }

    static readonly string RowsOnly = TableClient.CreateQueryFilter($"RowKey lt {"s"}");

    [Fact]
    public async Task ReadAsync_ContiguousPartitions_EveryPartitionWholeAndFiltered()
    {
        TableClient table = await NewTableAsync();
        string[] accounts = ["31000001", "310000010", "31000002", "31000003"];
        await AddAsync(table, accounts, rows: 3);
        await AddAsync(table, ["30999999", "31000004"], rows: 3);

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, [accounts[2], accounts[0], accounts[3], accounts[1], accounts[0]], RowsOnly, default);

        Assert.Equal(1, read.Queries);
        foreach (string account in accounts)
        {
            Assert.Equal(["r000", "r001", "r002"], read.Of(account).Select(row => row.RowKey));
            Assert.All(read.Of(account), row => Assert.Equal(account, row.PartitionKey));
        }

        Assert.Empty(read.Of("31000004"));
    }

    [Fact]
    public async Task ReadAsync_PartitionWithoutRows_CompleteAndEmpty()
    {
        TableClient table = await NewTableAsync();
        await AddAsync(table, ["A1", "A3"], rows: 2);

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, ["A1", "A2", "A3"], RowsOnly, default);

        Assert.Empty(read.Of("A2"));
        Assert.Equal(2, read.Of("A3").Count);
    }

    [Fact]
    public async Task ReadAsync_NoPartitions_NothingRead()
    {
        TableClient table = await NewTableAsync();

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, [], RowsOnly, default);

        Assert.Equal(0, read.Queries);
        Assert.Empty(read.Of("A"));
    }

    [Fact]
    public async Task ReadAsync_OtherPartitionsWithinBudget_ReadsToTheEnd()
    {
        TableClient table = await NewTableAsync();
        await AddAsync(table, ["B1", "B3"], rows: 1);
        // Two partitions wanted: a budget of 20 rows of others. B2 has exactly that many.
        await AddAsync(table, ["B2"], rows: 2 * PartitionRange.ForeignRowsPerPartition);

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, ["B1", "B3"], RowsOnly, default);

        Assert.Equal(1, read.Queries);
        Assert.Single(read.Of("B1"));
        Assert.Single(read.Of("B3"));
    }

    [Fact]
    public async Task ReadAsync_OtherPartitionsPastBudget_NextQueryStartsAtTheNextWantedPartition()
    {
        TableClient table = await NewTableAsync();
        await AddAsync(table, ["C1", "C3", "C5"], rows: 1);
        // One row more than the budget of the three partitions wanted lies between the first two; C4 lies within the
        // second query's budget.
        await AddAsync(table, ["C2"], rows: (3 * PartitionRange.ForeignRowsPerPartition) + 1);
        await AddAsync(table, ["C4"], rows: 2);

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, ["C1", "C3", "C5"], RowsOnly, default);

        Assert.Equal(2, read.Queries);
        Assert.All(new[] { "C1", "C3", "C5" }, partition => Assert.Equal(["r000"], read.Of(partition).Select(row => row.RowKey)));
        Assert.Empty(read.Of("C2"));
        Assert.Empty(read.Of("C4"));
    }

    [Fact]
    public async Task ReadAsync_EvenlyInterleavedPartitions_EveryQueryHasTheWholeReadsBudget()
    {
        TableClient table = await NewTableAsync();
        await AddAsync(table, ["D1", "D3", "D5", "D7"], rows: 1);
        // Four partitions wanted: a budget of 40 rows of others per query. The first query passes D2 and stops in D4;
        // the second starts at D5 and passes D6 within the same budget of 40 to read D7.
        int gap = (2 * PartitionRange.ForeignRowsPerPartition) + 5;
        await AddAsync(table, ["D2", "D4", "D6"], rows: gap);

        PartitionRange.Rows read = await PartitionRange.ReadAsync(table, ["D1", "D3", "D5", "D7"], RowsOnly, default);

        Assert.Equal(2, read.Queries);
        Assert.All(new[] { "D1", "D3", "D5", "D7" }, partition => Assert.Equal(["r000"], read.Of(partition).Select(row => row.RowKey)));
    }
}
