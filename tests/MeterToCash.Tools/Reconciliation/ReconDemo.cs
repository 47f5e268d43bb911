using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Tools.Reconciliation;

/// <summary>
/// Demo channel journals and the bank files a bank would send for them, with planted differences. Drives the
/// <c>recon-file</c> command, the reconciliation benchmarks and, later, the end-to-end demo.
/// </summary>
public static class ReconDemo
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>
    /// A demo day's journal: <paramref name="payments"/> payments (ids <c>{channel}-{yyyyMMdd}-{n}</c>, amounts 10.00–500.00
    /// yuan in whole jiao, accounts <c>3100000000</c>–<c>3100999999</c>, times 08:00–20:00 China time) and one reversal per 50 payments.
    /// Ledger entry ids follow the payment feature's convention <c>pay:{channel}:{id}</c> / <c>rev:{channel}:{id}</c>.
    /// </summary>
    public static List<ChannelJournalEntry> Journal(string channelId, DateOnly day, int payments, int seed = 16)
    {
        Random random = new(seed);
        List<ChannelJournalEntry> journal = new(payments + (payments / 50));
        DateTimeOffset start = new(day.ToDateTime(new TimeOnly(8, 0)), China);
        for (int i = 0; i < payments; i++)
        {
            string id = $"{channelId}-{day:yyyyMMdd}-{i:D7}";
            ChannelJournalEntry pay = new($"pay:{channelId}:{id}", id, $"3100{random.Next(0, 1_000_000):D6}", random.Next(100, 5001) * 10L, ReconTxnType.Pay, start.AddSeconds(random.Next(0, 12 * 3600)));
            journal.Add(pay);
            if (i % 50 == 49)
            {
                journal.Add(new($"rev:{channelId}:{id}", id, pay.AccountNo, pay.AmountFen, ReconTxnType.Rev, pay.PaidAt.AddMinutes(3)));
            }
        }

        return journal;
    }

    /// <summary>
    /// The bank's lines for a journal: one line per journal entry (bankRef <c>B{n}</c>, our id, account, amount, the
    /// bank's paid-at a few seconds after ours), then the planted differences, each on a different payment chosen by
    /// <paramref name="seed"/> (payments that were reversed are not chosen). Lines come in time order, as banks list them.
    /// </summary>
    /// <exception cref="ArgumentException">More differences are asked for than there are payments.</exception>
    public static List<BankLine> BankLines(IReadOnlyList<ChannelJournalEntry> journal, DateOnly day, ReconPlants plants, int seed = 16)
    {
        ArgumentNullException.ThrowIfNull(plants);
        Random random = new(seed);
        HashSet<string> reversed = [.. journal.Where(j => j.Type == ReconTxnType.Rev).Select(j => j.ChannelTxnId)];
        List<ChannelJournalEntry> candidates = [.. journal.Where(j => j.Type == ReconTxnType.Pay && !reversed.Contains(j.ChannelTxnId))];
        int planted = plants.Dropped + plants.ChangedAmounts + plants.WrongAccounts + plants.BankOnlyReversals + plants.Duplicates + plants.WithoutId;
        if (planted > candidates.Count)
        {
            throw new ArgumentException($"{planted} planted changes asked for, but only {candidates.Count} unreversed payments.", nameof(plants));
        }

        // A partial Fisher–Yates shuffle picks distinct payments for the plants.
        for (int i = 0; i < planted; i++)
        {
            int j = random.Next(i, candidates.Count);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        Dictionary<string, string> plantOf = new(StringComparer.Ordinal);
        int next = 0;
        foreach ((string kind, int count) in new[] { ("drop", plants.Dropped), ("amount", plants.ChangedAmounts), ("account", plants.WrongAccounts), ("reverse", plants.BankOnlyReversals), ("duplicate", plants.Duplicates), ("noid", plants.WithoutId) })
        {
            for (int k = 0; k < count; k++)
            {
                plantOf[candidates[next++].ChannelTxnId] = kind;
            }
        }

        List<BankLine> lines = new(journal.Count + plants.Extra + plants.Duplicates + plants.BankOnlyReversals);
        int refs = 0;
        BankLine Line(string? txn, string account, long fen, ReconTxnType type, DateTimeOffset at) =>
            new($"B{day:yyyyMMdd}{++refs:D8}", txn, account, fen, type, at, day, string.Empty);

        foreach (ChannelJournalEntry entry in journal)
        {
            DateTimeOffset at = entry.PaidAt.AddSeconds(2);
            string? plant = entry.Type == ReconTxnType.Pay && plantOf.TryGetValue(entry.ChannelTxnId, out string? p) ? p : null;
            switch (plant)
            {
                case "drop":
                    break;
                case "amount":
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen + 100, entry.Type, at));
                    break;
                case "account":
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo == "3199999999" ? "3199999998" : "3199999999", entry.AmountFen, entry.Type, at));
                    break;
                case "reverse":
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen, entry.Type, at));
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen, ReconTxnType.Rev, at.AddMinutes(7)));
                    break;
                case "duplicate":
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen, entry.Type, at));
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen, entry.Type, at.AddSeconds(1)));
                    break;
                case "noid":
                    lines.Add(Line(null, entry.AccountNo, entry.AmountFen, entry.Type, entry.PaidAt.AddMinutes(random.Next(-5, 6))));
                    break;
                default:
                    lines.Add(Line(entry.ChannelTxnId, entry.AccountNo, entry.AmountFen, entry.Type, at));
                    break;
            }
        }

        DateTimeOffset noon = new(day.ToDateTime(new TimeOnly(12, 0)), China);
        for (int e = 0; e < plants.Extra; e++)
        {
            string? id = e % 2 == 0 ? $"EXTRA-{day:yyyyMMdd}-{e:D6}" : null;
            lines.Add(Line(id, $"3101{random.Next(0, 1_000_000):D6}", random.Next(100, 5001) * 10L, ReconTxnType.Pay, noon.AddSeconds(random.Next(0, 6 * 3600))));
        }

        lines.Sort((a, b) => a.PaidAt!.Value.CompareTo(b.PaidAt!.Value));
        return lines;
    }
}
