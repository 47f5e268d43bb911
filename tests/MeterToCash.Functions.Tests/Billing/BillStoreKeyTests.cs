using MeterToCash.Functions.Billing;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>The bill id and its row key: no two accounts' bills share a row key (Azurite compares every row sharing one).</summary>
public class BillStoreKeyTests
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
}
