namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// The three-way match of one channel and day: the bank's file ↔ our channel journal ↔ our ledger. Pure; hash joins
/// only, so a million lines take linear time (sorting aside).
/// </summary>
/// <remarks>
/// <para>Every bank line and every journal entry ends in exactly one <see cref="ReconItem"/>:</para>
/// <list type="number">
/// <item><b>Duplicates in the file.</b> Lines sharing a <c>bankRef</c>, then the remaining lines sharing a type and
/// <c>channelTxnId</c>, keep one line each; the others are <see cref="ReconClass.DuplicateInFile"/>. The kept line is
/// the one that agrees with our journal entry of that id (account and amount), else the first in the canonical order
/// (bankRef, channelTxnId, account, amount, type, paidAt): the choice never depends on where lines stand in the file.</item>
/// <item><b>By id.</b> A kept line with a <c>channelTxnId</c> pairs with our entry of the same type and id. Paired:
/// <see cref="ReconClass.AmountMismatch"/> when the amounts differ, else <see cref="ReconClass.AccountMismatch"/> when
/// the accounts differ, else <see cref="ReconClass.Matched"/>. Unpaired: a bank reversal of a payment we have (and have not
/// reversed) is <see cref="ReconClass.ReversalMismatch"/>; anything else is <see cref="ReconClass.BankLong"/>.</item>
/// <item><b>Without id.</b> A bank payment without a <c>channelTxnId</c> pairs with one of our still unpaired payments of
/// the same account and amount whose <c>paidAt</c> is within <see cref="ReconMatchOptions.TimeTolerance"/> (inclusive)
/// of the bank's: per (account, amount), bank lines in order of paidAt then bankRef each take the nearest unpaired
/// entry in time (ties: the earlier, then the smaller id). Paired: <see cref="ReconClass.Matched"/>; unpaired, or
/// without a paidAt: <see cref="ReconClass.BankLong"/>.</item>
/// <item><b>Ours left over.</b> Our reversal of a payment the bank has (kept, any class) is
/// <see cref="ReconClass.ReversalMismatch"/>; every other unpaired entry is <see cref="ReconClass.BankShort"/>.</item>
/// <item><b>Ledger.</b> Any item with our entry whose ledger entry id is not in the ledger is
/// <see cref="ReconClass.LedgerMissing"/> instead, whatever it would have been: an internal failure comes first.</item>
/// </list>
/// <para>Items are returned sorted by class, bank line and journal entry, so the same inputs in any order give the same result.</para>
/// </remarks>
public static class ReconMatcher
{
    /// <summary>Matches a day.</summary>
    /// <param name="bank">The usable lines of the bank's file (<see cref="ReconFile.Lines"/>).</param>
    /// <param name="journal">Our channel journal of the same channel and day; (type, channelTxnId) unique.</param>
    /// <param name="isInLedger">Whether a ledger entry id exists in the ledger (asked once per journal entry).</param>
    /// <param name="options">The id-less pairing tolerance; <see cref="ReconMatchOptions.Default"/> (±10 min) when null.</param>
    /// <exception cref="ArgumentException">The journal has the same type and channelTxnId twice.</exception>
    public static ReconResult Match(IReadOnlyList<BankLine> bank, IReadOnlyList<ChannelJournalEntry> journal, Func<string, bool> isInLedger, ReconMatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(isInLedger);
        options ??= ReconMatchOptions.Default;

        Dictionary<string, int> ourPays = new(journal.Count, StringComparer.Ordinal), ourRevs = new(StringComparer.Ordinal);
        for (int j = 0; j < journal.Count; j++)
        {
            ChannelJournalEntry entry = journal[j] ?? throw new ArgumentException("A journal entry is null.", nameof(journal));
            if (!(entry.Type == ReconTxnType.Pay ? ourPays : ourRevs).TryAdd(entry.ChannelTxnId, j))
            {
                throw new ArgumentException($"The journal has {entry.Type} {entry.ChannelTxnId} twice.", nameof(journal));
            }
        }

        ChannelJournalEntry? Ours(ReconTxnType type, string? id) =>
            id is not null && (type == ReconTxnType.Pay ? ourPays : ourRevs).TryGetValue(id, out int j) ? journal[j] : null;

        // Lower rank is kept: a line agreeing with our entry of its id, then the canonical order.
        int Rank(BankLine line) => Ours(line.Type, line.ChannelTxnId) is { } o && o.AccountNo == line.AccountNo && o.AmountFen == line.AmountFen ? 0 : 1;
        int Prefer(BankLine a, BankLine b)
        {
            int byRank = Rank(a).CompareTo(Rank(b));
            return byRank != 0 ? byRank : CompareContent(a, b);
        }

        List<ReconItem> items = new(bank.Count + journal.Count);

        // 1. Duplicates: by bankRef, then by (type, channelTxnId) among the lines left.
        Dictionary<string, BankLine> byRef = new(bank.Count, StringComparer.Ordinal);
        foreach (BankLine line in bank)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(bank));
            Keep(byRef, line.BankRef, line);
        }

        Dictionary<string, BankLine> payById = new(byRef.Count, StringComparer.Ordinal), revById = new(StringComparer.Ordinal);
        List<BankLine> withoutId = [];
        foreach (BankLine line in byRef.Values)
        {
            if (line.ChannelTxnId is null)
            {
                withoutId.Add(line);
            }
            else
            {
                Keep(line.Type == ReconTxnType.Pay ? payById : revById, line.ChannelTxnId, line);
            }
        }

        void Keep(Dictionary<string, BankLine> kept, string key, BankLine line)
        {
            if (kept.TryGetValue(key, out BankLine? held))
            {
                bool replace = Prefer(line, held) < 0;
                items.Add(new ReconItem(ReconClass.DuplicateInFile, replace ? held : line, null));
                if (replace)
                {
                    kept[key] = line;
                }
            }
            else
            {
                kept.Add(key, line);
            }
        }

        bool[] paired = new bool[journal.Count];
        bool[] inLedger = new bool[journal.Count];
        for (int j = 0; j < journal.Count; j++)
        {
            inLedger[j] = isInLedger(journal[j].EntryId);
        }

        ReconItem Pair(ReconClass otherwise, BankLine? line, int j) =>
            new(inLedger[j] ? otherwise : ReconClass.LedgerMissing, line, journal[j]);

        // 2. By id.
        foreach ((Dictionary<string, BankLine> kept, Dictionary<string, int> ours, ReconTxnType type) in new[] { (payById, ourPays, ReconTxnType.Pay), (revById, ourRevs, ReconTxnType.Rev) })
        {
            foreach ((string id, BankLine line) in kept)
            {
                if (ours.TryGetValue(id, out int j))
                {
                    paired[j] = true;
                    ChannelJournalEntry entry = journal[j];
                    ReconClass @class = entry.AmountFen != line.AmountFen ? ReconClass.AmountMismatch
                        : entry.AccountNo != line.AccountNo ? ReconClass.AccountMismatch
                        : ReconClass.Matched;
                    items.Add(Pair(@class, line, j));
                }
                else
                {
                    bool reversesOurPayment = type == ReconTxnType.Rev && ourPays.ContainsKey(id);
                    items.Add(new ReconItem(reversesOurPayment ? ReconClass.ReversalMismatch : ReconClass.BankLong, line, null));
                }
            }
        }

        // 3. Without id: per (account, amount), nearest in time within the tolerance.
        if (withoutId.Count > 0)
        {
            Dictionary<(string Account, long Fen), (List<BankLine> Lines, List<int> Ours)> buckets = [];
            foreach (BankLine line in withoutId)
            {
                (string, long) key = (line.AccountNo, line.AmountFen);
                if (!buckets.TryGetValue(key, out var bucket))
                {
                    bucket = ([], []);
                    buckets.Add(key, bucket);
                }

                bucket.Lines.Add(line);
            }

            for (int j = 0; j < journal.Count; j++)
            {
                ChannelJournalEntry entry = journal[j];
                if (!paired[j] && entry.Type == ReconTxnType.Pay && buckets.TryGetValue((entry.AccountNo, entry.AmountFen), out var bucket))
                {
                    bucket.Ours.Add(j);
                }
            }

            foreach ((List<BankLine> lines, List<int> ours) in buckets.Values)
            {
                lines.Sort((a, b) =>
                {
                    int byTime = Nullable.Compare(a.PaidAt?.UtcTicks, b.PaidAt?.UtcTicks);
                    return byTime != 0 ? byTime : CompareContent(a, b);
                });
                ours.Sort((a, b) =>
                {
                    int byTime = journal[a].PaidAt.UtcTicks.CompareTo(journal[b].PaidAt.UtcTicks);
                    return byTime != 0 ? byTime : string.CompareOrdinal(journal[a].ChannelTxnId, journal[b].ChannelTxnId);
                });
                long[] times = [.. ours.Select(j => journal[j].PaidAt.UtcTicks)];
                foreach (BankLine line in lines)
                {
                    int best = -1;
                    long bestGap = long.MaxValue;
                    if (line.PaidAt is { } at)
                    {
                        // Only the window [at − tolerance, at + tolerance] of our time-sorted payments is looked at.
                        long from = at.UtcTicks - options.TimeTolerance.Ticks;
                        int start = Array.BinarySearch(times, from);
                        start = start < 0 ? ~start : start;
                        while (start > 0 && times[start - 1] == from)
                        {
                            start--;
                        }

                        for (int k = start; k < times.Length && times[k] - at.UtcTicks <= options.TimeTolerance.Ticks; k++)
                        {
                            long gap = Math.Abs(times[k] - at.UtcTicks);
                            if (!paired[ours[k]] && gap < bestGap)
                            {
                                best = ours[k];
                                bestGap = gap;
                            }
                        }
                    }

                    if (best >= 0)
                    {
                        paired[best] = true;
                        items.Add(Pair(ReconClass.Matched, line, best));
                    }
                    else
                    {
                        items.Add(new ReconItem(ReconClass.BankLong, line, null));
                    }
                }
            }
        }

        // 4. Ours left over.
        for (int j = 0; j < journal.Count; j++)
        {
            if (!paired[j])
            {
                ChannelJournalEntry entry = journal[j];
                bool bankHasThePayment = entry.Type == ReconTxnType.Rev && payById.ContainsKey(entry.ChannelTxnId);
                items.Add(Pair(bankHasThePayment ? ReconClass.ReversalMismatch : ReconClass.BankShort, null, j));
            }
        }

        ReconItem[] sorted = [.. items];
        Array.Sort(sorted, CompareItems);
        return new ReconResult(sorted);
    }

    // Enums compare as their ints: Enum.CompareTo(object) boxes, once per comparison of a million-item sort.
    static int CompareItems(ReconItem a, ReconItem b)
    {
        int c = ((int)a.Class).CompareTo((int)b.Class);
        if (c != 0) return c;
        c = (a.Bank, b.Bank) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            ({ } x, { } y) => CompareContent(x, y) is var content and not 0 ? content : string.CompareOrdinal(x.Location, y.Location),
        };
        if (c != 0) return c;
        return (a.Journal, b.Journal) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            ({ } x, { } y) => x.Type != y.Type ? ((int)x.Type).CompareTo((int)y.Type) : string.CompareOrdinal(x.ChannelTxnId, y.ChannelTxnId),
        };
    }

    /// <summary>The canonical order of bank lines by what they say (not where they stand).</summary>
    static int CompareContent(BankLine a, BankLine b)
    {
        int c = string.CompareOrdinal(a.BankRef, b.BankRef);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.ChannelTxnId, b.ChannelTxnId);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.AccountNo, b.AccountNo);
        if (c != 0) return c;
        c = a.AmountFen.CompareTo(b.AmountFen);
        if (c != 0) return c;
        c = ((int)a.Type).CompareTo((int)b.Type);
        if (c != 0) return c;
        c = Nullable.Compare(a.PaidAt?.UtcTicks, b.PaidAt?.UtcTicks);
        if (c != 0) return c;
        c = Nullable.Compare(a.PaidAt?.Offset, b.PaidAt?.Offset);
        return c != 0 ? c : a.ChannelDate.CompareTo(b.ChannelDate);
    }
}
