namespace MeterToCash.Domain.Reconciliation;

/// <summary>How the matcher pairs a bank transaction that carries no <c>channelTxnId</c>.</summary>
public sealed record ReconMatchOptions
{
    /// <summary>±10 minutes.</summary>
    public static readonly ReconMatchOptions Default = new(TimeSpan.FromMinutes(10));

    /// <summary>Creates options.</summary>
    /// <param name="timeTolerance">
    /// Largest difference between the bank's <c>paidAt</c> and ours for an id-less bank payment to pair with our payment
    /// of the same account and amount, inclusive, compared as instants (offsets do not matter); 0 to 1 day.
    /// </param>
    public ReconMatchOptions(TimeSpan timeTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeTolerance, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeTolerance, TimeSpan.FromDays(1));
        TimeTolerance = timeTolerance;
    }

    /// <summary>The tolerance, inclusive.</summary>
    public TimeSpan TimeTolerance { get; }
}
