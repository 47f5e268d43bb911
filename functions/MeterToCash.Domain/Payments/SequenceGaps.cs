namespace MeterToCash.Domain.Payments;

/// <summary>The device sequence numbers a kiosk never delivered.</summary>
public static class SequenceGaps
{
    /// <summary>
    /// The missing numbers of 1..max(<paramref name="received"/>) as ranges, both ends inclusive, ascending. Duplicates and
    /// order do not matter; numbers below 1 are ignored. Nothing received: no gaps.
    /// </summary>
    public static IReadOnlyList<(long From, long To)> Find(IEnumerable<long> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        long next = 1;
        List<(long From, long To)> gaps = [];
        foreach (long seq in received.Where(s => s >= 1).Distinct().Order())
        {
            if (seq > next)
            {
                gaps.Add((next, seq - 1));
            }

            next = seq + 1;
        }

        return gaps;
    }
}
