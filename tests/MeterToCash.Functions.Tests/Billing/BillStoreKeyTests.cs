using Azure.Data.Tables;
using MeterToCash.Functions.Billing;
using MeterToCash.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>The bill id and its row key: no two accounts' bills share a row key (Azurite compares every row sharing one).</summary>
[Collection(BackendCollection.Name)]
public class BillStoreKeyTests(BackendFixture backend)
{
    [Theory]
    [InlineData("3100000000-20261101-r01", "3100000000", "20261101-r01|3100000000")]
    [InlineData("A-B_9-20260101-r12", "A-B_9", "20260101-r12|A-B_9")]
    public void TryParseBillId_ValidId_RowKeyIsThePeriodAndRevisionThenTheAccount(string billId, string account, string rowKey)
    {
        Assert.True(BillStore.TryParseBillId(billId, out string parsedAccount, out string parsedRowKey));
        Assert.Equal(account, parsedAccount);
        Assert.Equal(rowKey, parsedRowKey);
    }

    [Fact]
    public void TryParseBillId_TwoAccountsSamePeriodAndRevision_ShareNoRowKey()
    {
        Assert.True(BillStore.TryParseBillId(BillStore.BillId("3100000000", new DateOnly(2026, 11, 1), 1), out _, out string first));
        Assert.True(BillStore.TryParseBillId(BillStore.BillId("3100000001", new DateOnly(2026, 11, 1), 1), out _, out string second));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task List_RowWithoutTheAccountSuffix_NotRead()
    {
        // A row as a store written before the suffix kept it (no document this code could read either).
        string account = "LEGACY" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        TableClient bills = new(backend.StorageConnectionString, BillStore.BillsTable);
        await bills.AddEntityAsync(new TableEntity(account, "20261001-r01") { ["Status"] = "Issued" });

        IReadOnlyList<BillEntry> listed = await backend.AppServices().GetRequiredService<BillStore>().ListAsync(account, default);

        Assert.Empty(listed);
    }
}
