using FsCheck.Xunit;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

public class ReconMatcherPropertyTests
{
    static ReconResult Match(ReconDays.DayInput day, int? shuffleSeed = null) =>
        ReconMatcher.Match(
            shuffleSeed is { } s ? ReconDays.Shuffled(day.Bank, s) : day.Bank,
            shuffleSeed is { } t ? ReconDays.Shuffled(day.Journal, t + 1) : day.Journal,
            day.Ledger.Contains);

    /// <summary>What an item says, without where its bank line stood in the file.</summary>
    static string Projection(ReconItem item) =>
        $"{item.Class}|{item.Bank?.BankRef}|{item.Bank?.ChannelTxnId}|{item.Bank?.AccountNo}|{item.Bank?.AmountFen}|{item.Bank?.Type}|{item.Bank?.PaidAt:O}|{item.Journal?.Type}|{item.Journal?.ChannelTxnId}";

    [Property(MaxTest = 200)]
    public bool Match_RandomDay_EveryInputInExactlyOneItem(int seed)
    {
        ReconDays.DayInput day = ReconDays.Random(seed);
        ReconResult result = Match(day);
        List<BankLine> bankOut = [.. result.Items.Where(i => i.Bank is not null).Select(i => i.Bank!)];
        List<ChannelJournalEntry> journalOut = [.. result.Items.Where(i => i.Journal is not null).Select(i => i.Journal!)];
        bool bankOnce = bankOut.Count == day.Bank.Count && day.Bank.All(b => bankOut.Count(o => ReferenceEquals(o, b)) == 1);
        bool journalOnce = journalOut.Count == day.Journal.Count && day.Journal.All(j => journalOut.Count(o => ReferenceEquals(o, j)) == 1);
        return bankOnce && journalOnce && result.Totals.Sum(t => t.Count) == result.Items.Count;
    }

    [Property(MaxTest = 200)]
    public bool Match_PermutedInputs_SameClassification(int seed, int shuffle)
    {
        ReconDays.DayInput day = ReconDays.Random(seed);
        string[] first = [.. Match(day).Items.Select(Projection).Order(StringComparer.Ordinal)];
        string[] permuted = [.. Match(day, shuffle).Items.Select(Projection).Order(StringComparer.Ordinal)];
        return first.SequenceEqual(permuted);
    }

    [Property(MaxTest = 200)]
    public bool Match_RandomDay_MatchedAmountsAndTotalsConserveMoney(int seed)
    {
        ReconDays.DayInput day = ReconDays.Random(seed);
        ReconResult result = Match(day);
        bool matchedEqual = result.Items.Where(i => i.Class == ReconClass.Matched).All(i => i.Bank!.SignedFen == i.Journal!.SignedFen && i.Bank.AccountNo == i.Journal.AccountNo);
        bool bankConserved = result.Totals.Sum(t => t.BankFen) == day.Bank.Sum(b => b.SignedFen);
        bool journalConserved = result.Totals.Sum(t => t.JournalFen) == day.Journal.Sum(j => j.SignedFen);
        return matchedEqual && bankConserved && journalConserved;
    }

    [Property(MaxTest = 200)]
    public bool Match_RandomDay_ItemsHaveTheSidesTheirClassSays(int seed)
    {
        ReconDays.DayInput day = ReconDays.Random(seed);
        return Match(day).Items.All(i => i.Class switch
        {
            ReconClass.Matched or ReconClass.AmountMismatch or ReconClass.AccountMismatch => i.Bank is not null && i.Journal is not null && day.Ledger.Contains(i.Journal.EntryId),
            ReconClass.BankLong or ReconClass.DuplicateInFile => i.Journal is null,
            ReconClass.BankShort => i.Bank is null && day.Ledger.Contains(i.Journal!.EntryId),
            ReconClass.ReversalMismatch => (i.Bank ?? (object?)i.Journal) is BankLine { Type: ReconTxnType.Rev } or ChannelJournalEntry { Type: ReconTxnType.Rev },
            ReconClass.LedgerMissing => i.Journal is not null && !day.Ledger.Contains(i.Journal.EntryId),
            _ => false,
        });
    }

    [Property(MaxTest = 100)]
    public bool Match_SameInputsTwice_SameResult(int seed)
    {
        ReconDays.DayInput day = ReconDays.Random(seed);
        return Match(day).Items.SequenceEqual(Match(day).Items);
    }

    [Property(MaxTest = 100)]
    public bool FileWriter_RandomDay_ParsersReadBackEveryLine(int seed)
    {
        ReconDays.DayInput day = ReconDays.Random(seed, payments: 30);
        List<BankLine> lines = [.. day.Bank];
        bool Same(ReconParseResult parsed) =>
            parsed.File is { LineErrors.Count: 0 } file && file.Lines.Count == lines.Count && file.Lines.Zip(lines).All(p => p.First.SameTransaction(p.Second));
        return Same(ReconCsvParser.Parse(ReconFileWriter.Csv("BANK-ICBC", ReconDays.Day, lines), "BANK-ICBC"))
            && Same(CamtParser.Parse(ReconFileWriter.Camt(ReconFileFormat.Camt053, "6222000011112222", ReconDays.Day, lines, openingFen: 123_45), "BANK-ICBC", ReconDays.Day))
            && Same(CamtParser.Parse(ReconFileWriter.Camt(ReconFileFormat.Camt054, "6222000011112222", ReconDays.Day, lines), "BANK-ICBC", ReconDays.Day));
    }

    [Property(MaxTest = 300)]
    public bool Parsers_ArbitraryBytes_NeverThrow(byte[] bytes)
    {
        ReconParseResult csv = ReconCsvParser.Parse(bytes ?? []);
        ReconParseResult camt = CamtParser.Parse(bytes ?? [], "BANK-ICBC", ReconDays.Day);
        return (csv.IsRefused || csv.File is not null) && (camt.IsRefused || camt.File is not null);
    }
}
