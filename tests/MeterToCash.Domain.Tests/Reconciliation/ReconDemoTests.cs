using MeterToCash.Domain.Reconciliation;
using MeterToCash.Tools.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

/// <summary>The demo generator's planted differences are exactly what reconciliation finds, in every format.</summary>
public class ReconDemoTests
{
    static readonly DateOnly Day = new(2026, 12, 3);

    public static TheoryData<ReconFileFormat> Formats => [ReconFileFormat.Csv, ReconFileFormat.Camt053, ReconFileFormat.Camt054];

    [Theory]
    [MemberData(nameof(Formats))]
    public void GeneratedFile_PlantedDifferences_FoundExactly(ReconFileFormat format)
    {
        List<ChannelJournalEntry> journal = ReconDemo.Journal("BANK-CCB", Day, 500, seed: 7);
        ReconPlants plants = new(Dropped: 2, Extra: 3, ChangedAmounts: 2, WrongAccounts: 1, BankOnlyReversals: 2, Duplicates: 2, WithoutId: 5);
        List<BankLine> lines = ReconDemo.BankLines(journal, Day, plants, seed: 7);
        byte[] file = format == ReconFileFormat.Csv ? ReconFileWriter.Csv("BANK-CCB", Day, lines) : ReconFileWriter.Camt(format, "6222000033334444", Day, lines);
        ReconParseResult parsed = format == ReconFileFormat.Csv ? ReconCsvParser.Parse(file, "BANK-CCB") : CamtParser.Parse(file, "BANK-CCB", Day);

        ReconResult result = ReconMatcher.Match(parsed.File!.Lines, journal, _ => true);

        Assert.Empty(parsed.File.LineErrors);
        Assert.Equal(plants.Dropped, result[ReconClass.BankShort].Count);
        Assert.Equal(plants.Extra, result[ReconClass.BankLong].Count);
        Assert.Equal(plants.ChangedAmounts, result[ReconClass.AmountMismatch].Count);
        Assert.Equal(plants.WrongAccounts, result[ReconClass.AccountMismatch].Count);
        Assert.Equal(plants.BankOnlyReversals, result[ReconClass.ReversalMismatch].Count);
        Assert.Equal(plants.Duplicates, result[ReconClass.DuplicateInFile].Count);
        Assert.Equal(0, result[ReconClass.LedgerMissing].Count);
        Assert.Equal(journal.Count - plants.Dropped - plants.ChangedAmounts - plants.WrongAccounts, result[ReconClass.Matched].Count);
        Assert.Equal(100 * plants.ChangedAmounts, result[ReconClass.AmountMismatch].BankFen - result[ReconClass.AmountMismatch].JournalFen);
    }
}
