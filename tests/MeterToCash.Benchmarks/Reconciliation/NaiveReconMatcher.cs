using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Benchmarks.Reconciliation;

/// <summary>
/// The baseline: what a first attempt does — for every bank line, scan the whole journal for its id (or for account,
/// amount and time), then scan the bank lines again for every journal entry left. Quadratic; the same classes as
/// <see cref="ReconMatcher"/> for files without duplicates. Only for the benchmark.
/// </summary>
static class NaiveReconMatcher
{
    public static int[] Match(IReadOnlyList<BankLine> bank, IReadOnlyList<ChannelJournalEntry> journal, Func<string, bool> isInLedger, TimeSpan tolerance)
    {
        int[] counts = new int[Enum.GetValues<ReconClass>().Length];
        bool[] paired = new bool[journal.Count];
        foreach (BankLine line in bank)
        {
            int found = -1;
            for (int j = 0; j < journal.Count; j++)
            {
                ChannelJournalEntry entry = journal[j];
                bool same = line.ChannelTxnId is not null
                    ? entry.Type == line.Type && entry.ChannelTxnId == line.ChannelTxnId
                    : !paired[j] && entry.Type == line.Type && entry.AccountNo == line.AccountNo && entry.AmountFen == line.AmountFen
                      && line.PaidAt is { } at && (entry.PaidAt - at).Duration() <= tolerance;
                if (same)
                {
                    found = j;
                    break;
                }
            }

            ReconClass c;
            if (found < 0)
            {
                c = ReconClass.BankLong;
                for (int j = 0; j < journal.Count; j++)
                {
                    if (line.Type == ReconTxnType.Rev && journal[j].Type == ReconTxnType.Pay && journal[j].ChannelTxnId == line.ChannelTxnId)
                    {
                        c = ReconClass.ReversalMismatch;
                    }
                }
            }
            else
            {
                paired[found] = true;
                ChannelJournalEntry entry = journal[found];
                c = !isInLedger(entry.EntryId) ? ReconClass.LedgerMissing
                    : entry.AmountFen != line.AmountFen ? ReconClass.AmountMismatch
                    : entry.AccountNo != line.AccountNo ? ReconClass.AccountMismatch
                    : ReconClass.Matched;
            }

            counts[(int)c]++;
        }

        for (int j = 0; j < journal.Count; j++)
        {
            if (!paired[j])
            {
                counts[(int)(isInLedger(journal[j].EntryId) ? ReconClass.BankShort : ReconClass.LedgerMissing)]++;
            }
        }

        return counts;
    }
}
