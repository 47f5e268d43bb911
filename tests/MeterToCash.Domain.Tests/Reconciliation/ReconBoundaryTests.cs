using System.Text;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

public class ReconBoundaryTests
{
    static readonly DateOnly Day = new(2026, 12, 3);
    static readonly DateTimeOffset Nine = new(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(8));

    static BankLine Bank(string bankRef, string? txn, long fen = 1000, ReconTxnType type = ReconTxnType.Pay, DateTimeOffset? at = null) =>
        new(bankRef, txn, "3100000001", fen, type, at ?? Nine, Day, bankRef);

    static ChannelJournalEntry Ours(string txn, ReconTxnType type = ReconTxnType.Pay, DateTimeOffset? at = null) =>
        new($"{type}:{txn}", txn, "3100000001", 1000, type, at ?? Nine);

    static ReconClass[] Classes(IReadOnlyList<BankLine> bank, IReadOnlyList<ChannelJournalEntry> ours, ReconMatchOptions? options = null) =>
        [.. ReconMatcher.Match(bank, ours, _ => true, options).Items.Select(i => i.Class)];

    [Fact]
    public void CsvLimits_ExactlyAtTheLimits_ReadAndOneMoreRefused()
    {
        byte[] file = ReconFileWriter.Csv("BANK-ICBC", Day, [Bank("R1", "T1"), Bank("R2", "T2")]);

        Assert.NotNull(ReconCsvParser.Parse(file, limits: new ReconFileLimits(file.Length, 2)).File);
        Assert.Equal(ReconRules.FileTooLarge, ReconCsvParser.Parse(file, limits: new ReconFileLimits(file.Length - 1, 2)).Refusal?.Rule);
        Assert.Equal(ReconRules.TooManyTransactions, ReconCsvParser.Parse(file, limits: new ReconFileLimits(file.Length, 1)).Refusal?.Rule);
    }

    [Fact]
    public void CamtLimits_ExactlyAtTheLimits_ReadAndOneMoreRefused()
    {
        byte[] file = ReconFileWriter.Camt(ReconFileFormat.Camt053, "6222000011112222", Day, [Bank("R1", "T1"), Bank("R2", "T2")]);

        Assert.NotNull(CamtParser.Parse(file, "BANK-ICBC", Day, new ReconFileLimits(file.Length, 2)).File);
        Assert.Equal(ReconRules.FileTooLarge, CamtParser.Parse(file, "BANK-ICBC", Day, new ReconFileLimits(file.Length - 1, 2)).Refusal?.Rule);
        Assert.Equal(ReconRules.TooManyTransactions, CamtParser.Parse(file, "BANK-ICBC", Day, new ReconFileLimits(file.Length, 1)).Refusal?.Rule);
    }

    [Fact]
    public void Csv_BomCrlfAndBlankDataLines_SameLinesAsPlain()
    {
        byte[] plain = ReconFileWriter.Csv("BANK-ICBC", Day, [Bank("R1", "T1"), Bank("R2", null)]);
        string[] rows = Encoding.UTF8.GetString(plain).TrimEnd('\n').Split('\n');
        string crlf = $"{rows[0]}\r\n{rows[1]}\r\n{rows[2]}\r\n\r\n{rows[3]}\r\n\r\n";

        ReconFile a = ReconCsvParser.Parse(plain).File!;
        ReconFile b = ReconCsvParser.Parse([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(crlf)]).File!;

        Assert.Equal(2, b.Lines.Count);
        Assert.All(a.Lines.Zip(b.Lines), p => Assert.True(p.First.SameTransaction(p.Second)));
    }

    [Theory]
    [InlineData(10 * 60, ReconClass.Matched)]
    [InlineData(-10 * 60, ReconClass.Matched)]
    [InlineData(10 * 60 + 1, ReconClass.BankLong)]
    [InlineData(-10 * 60 - 1, ReconClass.BankLong)]
    public void Match_IdlessPaymentAtTheToleranceEdge_PairsOnlyWithin(int seconds, ReconClass expected)
    {
        ReconClass[] classes = Classes([Bank("R1", null, at: Nine.AddSeconds(seconds))], [Ours("T1")]);

        Assert.Equal(expected, classes[0]);
    }

    [Fact]
    public void Match_IdlessPaymentWithAnotherOffset_ComparesInstants()
    {
        ReconClass[] classes = Classes([Bank("R1", null, at: Nine.ToOffset(TimeSpan.Zero).AddMinutes(1))], [Ours("T1")]);

        Assert.Equal([ReconClass.Matched], classes);
    }

    [Fact]
    public void Match_ZeroTolerance_OnlyTheSameInstantPairs()
    {
        ReconMatchOptions exact = new(TimeSpan.Zero);

        Assert.Equal([ReconClass.Matched], Classes([Bank("R1", null)], [Ours("T1")], exact));
        Assert.Equal([ReconClass.BankLong, ReconClass.BankShort], Classes([Bank("R1", null, at: Nine.AddTicks(1))], [Ours("T1")], exact));
    }

    [Fact]
    public void Match_TwoIdlessCandidates_NearestInTimeWins()
    {
        ReconResult result = ReconMatcher.Match([Bank("R1", null, at: Nine.AddMinutes(4))], [Ours("T1"), Ours("T2", at: Nine.AddMinutes(5))], _ => true);

        Assert.Equal("T2", result.Items.Single(i => i.Class == ReconClass.Matched).Journal!.ChannelTxnId);
        Assert.Equal("T1", result.Items.Single(i => i.Class == ReconClass.BankShort).Journal!.ChannelTxnId);
    }

    [Fact]
    public void Match_ReversedOnBothSides_BothMatched()
    {
        Assert.Equal(
            [ReconClass.Matched, ReconClass.Matched],
            Classes([Bank("R1", "T1"), Bank("R2", "T1", type: ReconTxnType.Rev)], [Ours("T1"), Ours("T1", ReconTxnType.Rev)]));
    }

    [Fact]
    public void Match_ReversedOnlyByUs_OurReversalIsReversalMismatch()
    {
        ReconResult result = ReconMatcher.Match([Bank("R1", "T1")], [Ours("T1"), Ours("T1", ReconTxnType.Rev)], _ => true);

        ReconItem mismatch = result.Items.Single(i => i.Class == ReconClass.ReversalMismatch);
        Assert.Null(mismatch.Bank);
        Assert.Equal(ReconTxnType.Rev, mismatch.Journal!.Type);
        Assert.Equal(-1000, result[ReconClass.ReversalMismatch].JournalFen);
    }

    [Fact]
    public void Match_SameChannelTxnIdTwiceDifferentAmounts_TheAgreeingLineIsKept()
    {
        ReconResult result = ReconMatcher.Match([Bank("R1", "T1", fen: 999), Bank("R2", "T1")], [Ours("T1")], _ => true);

        Assert.Equal("R2", result.Items.Single(i => i.Class == ReconClass.Matched).Bank!.BankRef);
        Assert.Equal("R1", result.Items.Single(i => i.Class == ReconClass.DuplicateInFile).Bank!.BankRef);
    }

    [Fact]
    public void Match_JournalWithTheSameIdTwice_Refused()
    {
        Assert.Throws<ArgumentException>(() => ReconMatcher.Match([], [Ours("T1"), Ours("T1")], _ => true));
    }

    [Fact]
    public void Match_LedgerAskedOncePerJournalEntry()
    {
        List<string> asked = [];
        ReconMatcher.Match([Bank("R1", "T1")], [Ours("T1"), Ours("T2")], id => { asked.Add(id); return true; });

        Assert.Equal(["Pay:T1", "Pay:T2"], asked);
    }

    [Fact]
    public void BankLine_InvalidValues_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bank("R1", "T1", fen: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bank("R1", "T1", fen: ReconRules.MaxAmountFen + 1));
        Assert.Throws<ArgumentException>(() => Bank("R1", null, type: ReconTxnType.Rev));
        Assert.Throws<ArgumentException>(() => Bank("R 1", "T1"));
        Assert.Equal(ReconRules.MaxAmountFen, Bank("R1", "T1", fen: ReconRules.MaxAmountFen).AmountFen);
    }

    [Theory]
    [InlineData("0.01", 1L)]
    [InlineData("12.3", 1230L)]
    [InlineData("12", 1200L)]
    [InlineData("10000000.00", 1_000_000_000L)]
    public void TryParseYuan_UpToTwoDecimals_ExactFen(string text, long fen)
    {
        Assert.True(ReconRules.TryParseYuan(text, out long parsed));
        Assert.Equal(fen, parsed);
    }

    [Theory]
    [InlineData("12.345")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("-1.00")]
    [InlineData("1e2")]
    [InlineData("12345678901234567.00")]
    public void TryParseYuan_NotTheContractsShape_Refused(string text) => Assert.False(ReconRules.TryParseYuan(text, out _));
}
