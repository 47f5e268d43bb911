using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

/// <summary>Random days for the property tests: a journal, a ledger and a bank file with random planted differences.</summary>
static class ReconDays
{
    public static readonly DateOnly Day = new(2026, 12, 3);
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    public sealed record DayInput(List<BankLine> Bank, List<ChannelJournalEntry> Journal, HashSet<string> Ledger);

    public static DayInput Random(int seed, int payments = 60)
    {
        Random random = new(seed);
        List<BankLine> bank = [];
        List<ChannelJournalEntry> journal = [];
        HashSet<string> ledger = new(StringComparer.Ordinal);
        DateTimeOffset start = new(2026, 12, 3, 8, 0, 0, China);
        int refs = 0;
        string NextRef() => $"R{++refs:D6}";

        for (int i = 0; i < payments; i++)
        {
            string txn = $"T{i:D5}";
            string account = $"31{random.Next(0, 8):D8}";
            long fen = random.Next(1, 6) * 1000L;
            DateTimeOffset at = start.AddMinutes(random.Next(0, 600));
            ChannelJournalEntry pay = new($"pay:{txn}", txn, account, fen, ReconTxnType.Pay, at);
            journal.Add(pay);
            if (random.Next(20) != 0)
            {
                ledger.Add(pay.EntryId);
            }

            int plant = random.Next(16);
            BankLine line = new(NextRef(), txn, account, fen, ReconTxnType.Pay, at.AddSeconds(random.Next(-30, 30)), Day, $"line {refs}");
            switch (plant)
            {
                case 0: // dropped: bank-short
                    break;
                case 1: // amount changed
                    bank.Add(new(line.BankRef, txn, account, fen + 1, ReconTxnType.Pay, line.PaidAt, Day, line.Location));
                    break;
                case 2: // account changed
                    bank.Add(new(line.BankRef, txn, "3199999999", fen, ReconTxnType.Pay, line.PaidAt, Day, line.Location));
                    break;
                case 3: // duplicated under a new bankRef
                    bank.Add(line);
                    bank.Add(new(NextRef(), txn, account, fen, ReconTxnType.Pay, line.PaidAt, Day, $"line {refs}"));
                    break;
                case 4: // the same line twice
                    bank.Add(line);
                    bank.Add(new(line.BankRef, txn, account, fen, ReconTxnType.Pay, line.PaidAt, Day, $"line {refs}b"));
                    break;
                case 5: // the bank sent it without our id, within or beyond the tolerance
                    bank.Add(new(line.BankRef, null, account, fen, ReconTxnType.Pay, at.AddMinutes(random.Next(-15, 16)), Day, line.Location));
                    break;
                case 6: // reversed by the bank only
                    bank.Add(line);
                    bank.Add(new(NextRef(), txn, account, fen, ReconTxnType.Rev, at.AddMinutes(5), Day, $"line {refs}"));
                    break;
                case 7: // reversed by us only
                    bank.Add(line);
                    AddOurReversal();
                    break;
                case 8: // reversed on both sides
                    bank.Add(line);
                    bank.Add(new(NextRef(), txn, account, fen, ReconTxnType.Rev, at.AddMinutes(5), Day, $"line {refs}"));
                    AddOurReversal();
                    break;
                case 9: // a bank-only payment with our id unknown to us, or without id
                    bank.Add(line);
                    bank.Add(new(NextRef(), random.Next(2) == 0 ? null : $"X{i:D5}", account, fen, ReconTxnType.Pay, at, Day, $"line {refs}"));
                    break;
                case 10: // the same bankRef reused for another transaction
                    bank.Add(line);
                    bank.Add(new(line.BankRef, $"Y{i:D5}", account, fen, ReconTxnType.Pay, at, Day, $"line {refs}c"));
                    break;
                default:
                    bank.Add(line);
                    break;
            }

            void AddOurReversal()
            {
                ChannelJournalEntry rev = new($"rev:{txn}", txn, account, fen, ReconTxnType.Rev, at.AddMinutes(5));
                journal.Add(rev);
                if (random.Next(20) != 0)
                {
                    ledger.Add(rev.EntryId);
                }
            }
        }

        return new DayInput(bank, journal, ledger);
    }

    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed)
    {
        List<T> list = [.. items];
        Random random = new(seed);
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
