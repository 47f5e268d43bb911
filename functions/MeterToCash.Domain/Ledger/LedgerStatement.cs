using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Ledger;

/// <summary>
/// An account statement for a range of China-local days: the balance before it, the entries in it and the balance after.
/// </summary>
/// <remarks>
/// Entries are dated by the China-local day of <see cref="LedgerEntry.PostedAt"/>; both <see cref="From"/> and
/// <see cref="To"/> are inclusive. An entry posted late with an earlier paid-at (an offline kiosk) counts on its paid-at
/// day, so <see cref="OpeningBalance"/> sums every entry dated before <see cref="From"/>, whatever its sequence. Entries are
/// listed in sequence order. Amounts follow the ledger's sign: positive is owed, negative is credit.
/// </remarks>
public sealed class LedgerStatement
{
    private LedgerStatement(DateOnly from, DateOnly to, Money openingBalance, IReadOnlyList<LedgerEntry> entries, Money closingBalance)
    {
        From = from;
        To = to;
        OpeningBalance = openingBalance;
        Entries = entries;
        ClosingBalance = closingBalance;
    }

    /// <summary>First day covered (inclusive), China local.</summary>
    public DateOnly From { get; }

    /// <summary>Last day covered (inclusive), China local.</summary>
    public DateOnly To { get; }

    /// <summary>Sum of the amounts of all entries dated before <see cref="From"/>, fen.</summary>
    public Money OpeningBalance { get; }

    /// <summary>The entries dated <see cref="From"/>–<see cref="To"/>, in sequence order.</summary>
    public IReadOnlyList<LedgerEntry> Entries { get; }

    /// <summary><see cref="OpeningBalance"/> plus the amounts of <see cref="Entries"/>, fen.</summary>
    public Money ClosingBalance { get; }

    /// <summary>The statement of <paramref name="entries"/> (any order) for <paramref name="from"/>–<paramref name="to"/>, both inclusive.</summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public static LedgerStatement For(IEnumerable<LedgerEntry> entries, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (to < from)
        {
            throw new ArgumentException($"The statement ends {to:yyyy-MM-dd}, before it starts {from:yyyy-MM-dd}.", nameof(to));
        }

        Money opening = Money.Zero;
        List<LedgerEntry> inRange = [];
        foreach (LedgerEntry entry in entries.OrderBy(e => e.Sequence))
        {
            DateOnly day = ChinaTime.LocalDay(entry.PostedAt);
            if (day < from)
            {
                opening += entry.Amount;
            }
            else if (day <= to)
            {
                inRange.Add(entry);
            }
        }

        Money closing = opening;
        foreach (LedgerEntry entry in inRange)
        {
            closing += entry.Amount;
        }

        return new LedgerStatement(from, to, opening, inRange, closing);
    }
}
