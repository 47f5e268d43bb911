using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Tests.Infrastructure;

public sealed class StripedGateTests
{
    [Fact]
    public async Task EnterAsync_SameKey_SecondWaitsUntilFirstReleases()
    {
        StripedGate gate = new(4);
        StripedGate.Releaser first = await gate.EnterAsync("3100000001", CancellationToken.None);

        Task<StripedGate.Releaser> second = gate.EnterAsync("3100000001", CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task EnterAsync_ManyConcurrentHoldersOfOneKey_NeverOverlap()
    {
        StripedGate gate = new();
        int inside = 0, most = 0, done = 0;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using StripedGate.Releaser turn = await gate.EnterAsync("hot", CancellationToken.None);
            int now = Interlocked.Increment(ref inside);
            most = Math.Max(most, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
            Interlocked.Increment(ref done);
        }));

        Assert.Equal(1, most);
        Assert.Equal(200, done);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndLeavesTheStripeUsable()
    {
        StripedGate gate = new(1);
        StripedGate.Releaser held = await gate.EnterAsync("a", CancellationToken.None);
        using CancellationTokenSource cancel = new(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await gate.EnterAsync("b", cancel.Token));

        held.Dispose();
        (await gate.EnterAsync("b", CancellationToken.None)).Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-8)]
    public void Constructor_NotAPositivePowerOfTwo_Throws(int stripes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StripedGate(stripes));
}
