using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Tools.Reconciliation;

namespace MeterToCash.Benchmarks.Reconciliation;

/// <summary>
/// The three-way match of a day: 1,000,000 journal entries (with one reversal per 50 payments) against the bank's
/// lines with 0.1 % of each planted difference and 1 % without our id; the naive nested-loop matcher on 20,000 as the
/// baseline, and the real matcher on the same 20,000. Inputs are built in setup; the figures are the match alone.
/// </summary>
[MemoryDiagnoser]
public class ReconMatcherBenchmarks
{
    static readonly DateOnly Day = new(2026, 12, 3);
    (List<BankLine> Bank, List<ChannelJournalEntry> Journal, HashSet<string> Ledger) million, small;

    static (List<BankLine>, List<ChannelJournalEntry>, HashSet<string>) Day0(int payments)
    {
        List<ChannelJournalEntry> journal = ReconDemo.Journal("BANK-ICBC", Day, payments);
        int tenth = payments / 1000;
        List<BankLine> bank = ReconDemo.BankLines(journal, Day, new ReconPlants(tenth, tenth, tenth, tenth, tenth, tenth, payments / 100));
        HashSet<string> ledger = new(journal.Select(j => j.EntryId), StringComparer.Ordinal);
        return (bank, journal, ledger);
    }

    [GlobalSetup]
    public void Setup()
    {
        million = Day0(1_000_000);
        small = Day0(20_000);
    }

    [Benchmark(Baseline = true, Description = "naive nested loops, 20,000")]
    public int Naive20k() => NaiveReconMatcher.Match(small.Bank, small.Journal, small.Ledger.Contains, TimeSpan.FromMinutes(10))[0];

    [Benchmark(Description = "ReconMatcher, 20,000")]
    public int Matcher20k() => ReconMatcher.Match(small.Bank, small.Journal, small.Ledger.Contains).Totals[0].Count;

    [Benchmark(Description = "ReconMatcher, 1,000,000")]
    public int Matcher1M() => ReconMatcher.Match(million.Bank, million.Journal, million.Ledger.Contains).Totals[0].Count;
}
