namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// Serialises work on one key within this process: a fixed set of semaphores chosen by the key's hash, so the memory
/// held does not grow with the keys seen. Two keys that share a stripe wait for each other, which costs a little
/// throughput and never correctness; with 1,024 stripes that is rare. Across instances nothing is serialised: callers
/// still need their storage's concurrency check (ETags) and use the gate only to avoid contending with themselves.
/// </summary>
public sealed class StripedGate
{
    readonly SemaphoreSlim[] stripes;

    /// <summary>Creates a gate of <paramref name="stripeCount"/> stripes (a power of two).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not a positive power of two.</exception>
    public StripedGate(int stripeCount = 1024)
    {
        if (stripeCount <= 0 || (stripeCount & (stripeCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stripeCount), stripeCount, "A positive power of two.");
        }

        stripes = [.. Enumerable.Range(0, stripeCount).Select(_ => new SemaphoreSlim(1, 1))];
    }

    /// <summary>Waits for the key's stripe; dispose the answer to let the next caller in.</summary>
    public async ValueTask<Releaser> EnterAsync(string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        SemaphoreSlim stripe = stripes[StringComparer.Ordinal.GetHashCode(key) & (stripes.Length - 1)];
        await stripe.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    /// <summary>Holds one stripe until disposed.</summary>
    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        /// <summary>Lets the next caller of the stripe in.</summary>
        public void Dispose() => stripe.Release();
    }
}
