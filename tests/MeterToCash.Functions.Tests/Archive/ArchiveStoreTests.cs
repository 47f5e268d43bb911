using System.Net;
using Azure.Data.Tables;
using MeterToCash.Domain.Archive;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Archive;

/// <summary>The archive store's account lookup on Azurite: the area it remembers per account never gives a wrong answer.</summary>
[Collection(BackendCollection.Name)]
public class ArchiveStoreTests(BackendFixture backend)
{
    [Fact]
    public async Task Find_RowMovedToAnotherAreaAfterItWasRemembered_FindsItThroughTheIndex()
    {
        (ArchiveStore store, TableClient customers, TableClient index, string accountNo) = await RememberedAccountAsync();
        TableEntity row = (await customers.GetEntityAsync<TableEntity>("TA0001", accountNo)).Value;
        TableEntity moved = new(row) { PartitionKey = "TA0002" };
        await customers.AddEntityAsync(moved);
        await customers.DeleteEntityAsync("TA0001", accountNo);
        await index.UpdateEntityAsync(new TableEntity(ArchiveKeys.AccountIndexPartition(accountNo), accountNo) { ["AreaCode"] = "TA0002" }, Azure.ETag.All, TableUpdateMode.Merge);

        StoredCustomer? found = await store.FindAsync(accountNo, default);

        Assert.NotNull(found);
        Assert.Equal(accountNo, found.Customer.AccountNo);
        Assert.Equal((await customers.GetEntityAsync<TableEntity>("TA0002", accountNo)).Value.ETag, found.ETag);
    }

    [Fact]
    public async Task Find_AccountRemovedAfterItWasRemembered_IsNotFound()
    {
        (ArchiveStore store, TableClient customers, TableClient index, string accountNo) = await RememberedAccountAsync();
        await customers.DeleteEntityAsync("TA0001", accountNo);
        await index.DeleteEntityAsync(ArchiveKeys.AccountIndexPartition(accountNo), accountNo);

        Assert.Null(await store.FindAsync(accountNo, default));
    }

    /// <summary>A new customer of TA0001 (through the API), found once through a store so that the store remembers its area.</summary>
    async Task<(ArchiveStore Store, TableClient Customers, TableClient Index, string AccountNo)> RememberedAccountAsync()
    {
        (string accountNo, string meterNo) = CustomerJson.NextIds();
        Assert.Equal(HttpStatusCode.Created, (await backend.Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(accountNo, meterNo)))).StatusCode);
        ArchiveStore store = backend.AppServices().GetRequiredService<ArchiveStore>();
        Assert.Equal("TA0001", (await store.FindAsync(accountNo, default))!.Customer.AreaCode);
        TableServiceClient tables = new(backend.StorageConnectionString);
        return (store, tables.GetTableClient(ArchiveTables.CustomersTable), tables.GetTableClient(ArchiveTables.IndexTable), accountNo);
    }
}
