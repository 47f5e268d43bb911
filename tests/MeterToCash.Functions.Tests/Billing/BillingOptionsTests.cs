using MeterToCash.Functions.Billing;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary><see cref="BillingOptions.AccountsPerBatchFor"/>: how a cycle's size sets its batches.</summary>
public class BillingOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9_999)]
    [InlineData(10_000)]
    public void AccountsPerBatchFor_CycleWithinTheCap_TheConfiguredBatch(int accounts) =>
        Assert.Equal(100, new BillingOptions().AccountsPerBatchFor(accounts));

    [Theory]
    [InlineData(10_001, 101)]
    [InlineData(100_000, 1_000)]
    [InlineData(499_999, 5_000)]
    [InlineData(10_000_000, BillingOptions.MaxAccountsPerBatch)]
    public void AccountsPerBatchFor_LargeCycle_BatchesGrowToTheCap(int accounts, int expected) =>
        Assert.Equal(expected, new BillingOptions().AccountsPerBatchFor(accounts));

    [Fact]
    public void AccountsPerBatchFor_EveryCycleSize_TheSmallestBatchThatKeepsTheCycleWithinItsBatches()
    {
        foreach (BillingOptions options in new[] { new BillingOptions(), new BillingOptions { AccountsPerBatch = 7, MaxBatchesPerCycle = 13 }, new BillingOptions { AccountsPerBatch = 1, MaxBatchesPerCycle = 1 } })
        {
            for (int accounts = 0; accounts <= 200_000; accounts += accounts < 2_000 ? 1 : 997)
            {
                int perBatch = options.AccountsPerBatchFor(accounts);
                long batches = ((long)accounts + perBatch - 1) / perBatch;
                Assert.InRange(perBatch, options.AccountsPerBatch, BillingOptions.MaxAccountsPerBatch);
                Assert.True(batches <= options.MaxBatchesPerCycle || perBatch == BillingOptions.MaxAccountsPerBatch, $"{accounts} accounts: {batches} batches of {perBatch}");
                long batchesOfOneLess = perBatch == 1 ? long.MaxValue : ((long)accounts + perBatch - 2) / (perBatch - 1);
                Assert.True(perBatch == options.AccountsPerBatch || batchesOfOneLess > options.MaxBatchesPerCycle, $"{accounts} accounts: batches of {perBatch} larger than needed");
            }
        }
    }
}
