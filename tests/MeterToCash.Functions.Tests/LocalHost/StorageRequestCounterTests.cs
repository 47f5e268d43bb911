using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using MeterToCash.LocalHost.Storage;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.LocalHost;

/// <summary>The storage request counter <c>load billing</c> reads: each kind of request against a real Azurite, counted once per request.</summary>
public class StorageRequestCounterTests
{
    [Fact]
    public async Task Counter_EachKindOfRequest_CountedByResourceAndOperation()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        StorageRequestCounter counter = new();
        TableClientOptions tableOptions = new();
        counter.AttachTo(tableOptions);
        QueueClientOptions queueOptions = new();
        counter.AttachTo(queueOptions);
        TableClient table = new TableServiceClient(azurite.ConnectionString, tableOptions).GetTableClient("Counted");
        QueueClient queue = new QueueServiceClient(azurite.ConnectionString, queueOptions).GetQueueClient("counted");

        await table.CreateIfNotExistsAsync();
        await queue.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "a"));
        await table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "b")), new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "c"))]);
        await table.GetEntityIfExistsAsync<TableEntity>("p", "b");
        await table.GetEntityIfExistsAsync<TableEntity>("p", "missing");
        int rows = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>("PartitionKey eq 'p'", maxPerPage: 2))
        {
            rows++;
        }

        await table.DeleteEntityAsync("p", "a", ETag.All);
        await queue.SendMessageAsync("hello");

        Assert.Equal(3, rows);
        Assert.Equal(
            [
                new StorageRequestCount("queue", "counted", "POST", 1),
                new StorageRequestCount("queue", "counted", "PUT", 1),
                new StorageRequestCount("table", "Counted", "delete", 1),
                new StorageRequestCount("table", "Counted", "insert", 1),
                new StorageRequestCount("table", "Counted", "point-read", 2),
                new StorageRequestCount("table", "Counted", "query", 2),
                new StorageRequestCount("table", "Counted", "transaction", 1),
                new StorageRequestCount("table", "Tables", "insert", 1),
            ],
            counter.Snapshot());
    }
}
