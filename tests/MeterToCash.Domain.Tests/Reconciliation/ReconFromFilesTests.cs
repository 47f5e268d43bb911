using System.Text;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

/// <summary>
/// One day of BANK-ICBC worked out by hand, as a CSV, a camt.053 with balances and TxsSummry, and a camt.054, each
/// putting at least one transaction in every class of the contract.
/// </summary>
/// <remarks>
/// Journal (ours) and bank, 2026-12-03, China time:
/// T1 A1 100.00 both → Matched; R9 repeats T1 → DuplicateInFile;
/// T2 A2 50.00 ours 10:00, bank R2 without id 10:03 → Matched by account, amount and time (3 min ≤ 10 min);
/// R3 T3 A3 20.00 bank only → BankLong; T4 A4 30.00 ours only → BankShort;
/// T5 A5 ours 40.00, bank 41.00 → AmountMismatch; T6 ours A6, bank A9, 60.00 → AccountMismatch;
/// T7 A7 70.00 paid on both sides (Matched) and reversed by the bank only (R8) → ReversalMismatch;
/// T10 A10 15.00 both, its ledger entry missing → LedgerMissing;
/// R11 without id A11 8.00 at 11:00, ours T11 at 11:30 (30 min apart) → R11 BankLong and T11 BankShort.
/// Bank lines: 10, Σ amountFen 53,400; credits 9 = 464.00 yuan, debits 1 = 70.00 yuan.
/// </remarks>
public class ReconFromFilesTests
{
    const string Channel = "BANK-ICBC";
    static readonly DateOnly Day = new(2026, 12, 3);

    static readonly (string Ref, string Txn, string Account, long Fen, string Type, string At)[] BankRows =
    [
        ("R1", "T1", "A1", 10000, "PAY", "2026-12-03T09:00:10+08:00"),
        ("R2", "", "A2", 5000, "PAY", "2026-12-03T10:03:00+08:00"),
        ("R3", "T3", "A3", 2000, "PAY", "2026-12-03T10:30:00+08:00"),
        ("R5", "T5", "A5", 4100, "PAY", "2026-12-03T11:10:00+08:00"),
        ("R6", "T6", "A9", 6000, "PAY", "2026-12-03T11:20:00+08:00"),
        ("R7", "T7", "A7", 7000, "PAY", "2026-12-03T12:00:00+08:00"),
        ("R8", "T7", "A7", 7000, "REV", "2026-12-03T12:05:00+08:00"),
        ("R9", "T1", "A1", 10000, "PAY", "2026-12-03T09:00:10+08:00"),
        ("R10", "T10", "A10", 1500, "PAY", "2026-12-03T13:00:00+08:00"),
        ("R11", "", "A11", 800, "PAY", "2026-12-03T11:00:00+08:00"),
    ];

    static readonly ChannelJournalEntry[] Journal =
    [
        Ours("T1", "A1", 10000, "09:00:00"),
        Ours("T2", "A2", 5000, "10:00:00"),
        Ours("T4", "A4", 3000, "10:40:00"),
        Ours("T5", "A5", 4000, "11:10:00"),
        Ours("T6", "A6", 6000, "11:20:00"),
        Ours("T7", "A7", 7000, "12:00:00"),
        Ours("T10", "A10", 1500, "13:00:00"),
        Ours("T11", "A11", 800, "11:30:00"),
    ];

    static readonly HashSet<string> Ledger = [.. Journal.Select(j => j.EntryId).Where(id => id != "pay:T10")];

    static ChannelJournalEntry Ours(string txn, string account, long fen, string time) =>
        new($"pay:{txn}", txn, account, fen, ReconTxnType.Pay, DateTimeOffset.Parse($"2026-12-03T{time}+08:00", System.Globalization.CultureInfo.InvariantCulture));

    static string Csv(string newline) =>
        $"#MTC-RECON,v1,{Channel},2026-12-03,10,53400{newline}bankRef,channelTxnId,accountNo,amountFen,type,paidAt,channelDate{newline}"
        + string.Concat(BankRows.Select(r => $"{r.Ref},{r.Txn},{r.Account},{r.Fen},{r.Type},{r.At},2026-12-03{newline}"));

    static string Ntry(string bankRef, string txn, string account, string yuan, string indicator, string at) => $"""
        <Ntry><Amt Ccy="CNY">{yuan}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-03</Dt></BookgDt><AcctSvcrRef>{bankRef}</AcctSvcrRef>
          <NtryDtls><TxDtls><Refs><AcctSvcrRef>{bankRef}</AcctSvcrRef><EndToEndId>{(txn == "" ? "NOTPROVIDED" : txn)}</EndToEndId></Refs>
            <RmtInf><Ustrd>{account}</Ustrd></RmtInf><RltdDts><AccptncDtTm>{at}</AccptncDtTm></RltdDts></TxDtls></NtryDtls></Ntry>
        """;

    static readonly string Entries = string.Concat(BankRows.Select(r => Ntry(r.Ref, r.Txn, r.Account, (r.Fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), r.Type == "PAY" ? "CRDT" : "DBIT", r.At)));

    // Opening 1,000.00 + credits 464.00 − debits 70.00 = closing 1,394.00.
    internal static string Camt053(string opening = "1000.00", string closing = "1394.00", string totalCount = "10", string totalSum = "534.00", string entries = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>ICBC-20261203</MsgId><CreDtTm>2026-12-04T02:00:00+08:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>STMT-20261203</Id>
              <Acct><Id><Othr><Id>6222000011112222</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
              <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">{opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-03</Dt></Dt></Bal>
              <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-03</Dt></Dt></Bal>
              <TxsSummry>
                <TtlNtries><NbOfNtries>{totalCount}</NbOfNtries><Sum>{totalSum}</Sum></TtlNtries>
                <TtlCdtNtries><NbOfNtries>9</NbOfNtries><Sum>464.00</Sum></TtlCdtNtries>
                <TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>70.00</Sum></TtlDbtNtries>
              </TxsSummry>
              {(entries == "" ? Entries : entries)}
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    static string Camt054() => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
          <BkToCstmrDbtCdtNtfctn>
            <GrpHdr><MsgId>ICBC-N-20261203</MsgId><CreDtTm>2026-12-04T02:00:00+08:00</CreDtTm></GrpHdr>
            <Ntfctn>
              <Id>NTF-20261203</Id>
              <Acct><Id><Othr><Id>6222000011112222</Id></Othr></Id></Acct>
              <TxsSummry><TtlNtries><NbOfNtries>10</NbOfNtries><Sum>534.00</Sum></TtlNtries></TxsSummry>
              {Entries}
            </Ntfctn>
          </BkToCstmrDbtCdtNtfctn>
        </Document>
        """;

    public static TheoryData<string> Files => ["csv-lf", "csv-crlf-bom", "camt053", "camt054"];

    static ReconParseResult Parse(string name) => name switch
    {
        "csv-lf" => ReconCsvParser.Parse(Encoding.UTF8.GetBytes(Csv("\n")), Channel),
        "csv-crlf-bom" => ReconCsvParser.Parse([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Csv("\r\n"))], Channel),
        "camt053" => CamtParser.Parse(Encoding.UTF8.GetBytes(Camt053()), Channel, Day),
        "camt054" => CamtParser.Parse(Encoding.UTF8.GetBytes(Camt054()), Channel, Day),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_HandWorkedDay_ReadsEveryLine(string file)
    {
        ReconParseResult parsed = Parse(file);

        Assert.Null(parsed.Refusal);
        ReconFile read = parsed.File!;
        Assert.Equal(Channel, read.ChannelId);
        Assert.Equal(Day, read.ChannelDate);
        Assert.Empty(read.LineErrors);
        Assert.Equal(BankRows.Select(r => r.Ref), read.Lines.Select(l => l.BankRef));
        Assert.Equal(53400, read.Lines.Sum(l => l.AmountFen));
        Assert.Null(read.Lines.Single(l => l.BankRef == "R2").ChannelTxnId);
        Assert.Equal(ReconTxnType.Rev, read.Lines.Single(l => l.BankRef == "R8").Type);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero), read.Lines.Single(l => l.BankRef == "R11").PaidAt);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Match_HandWorkedDay_EveryClassAsWorkedOut(string file)
    {
        ReconResult result = ReconMatcher.Match(Parse(file).File!.Lines, Journal, Ledger.Contains);

        string Refs(ReconClass c) => string.Join(' ', result.Items.Where(i => i.Class == c).Select(i => i.Bank?.BankRef ?? "-"));
        string Txns(ReconClass c) => string.Join(' ', result.Items.Where(i => i.Class == c).Select(i => i.Journal?.ChannelTxnId ?? "-"));
        Assert.Equal("R1 R2 R7", Refs(ReconClass.Matched));
        Assert.Equal("T1 T2 T7", Txns(ReconClass.Matched));
        Assert.Equal("R11 R3", Refs(ReconClass.BankLong));
        Assert.Equal("T11 T4", string.Join(' ', result.Items.Where(i => i.Class == ReconClass.BankShort).Select(i => i.Journal!.ChannelTxnId).Order(StringComparer.Ordinal)));
        Assert.Equal("R5", Refs(ReconClass.AmountMismatch));
        Assert.Equal("R6", Refs(ReconClass.AccountMismatch));
        Assert.Equal("R8", Refs(ReconClass.ReversalMismatch));
        Assert.Equal("R9", Refs(ReconClass.DuplicateInFile));
        Assert.Equal("R10", Refs(ReconClass.LedgerMissing));
        Assert.Equal("T10", Txns(ReconClass.LedgerMissing));

        Assert.Equal(new ReconClassTotal(ReconClass.Matched, 3, 22000, 22000), result[ReconClass.Matched]);
        Assert.Equal(new ReconClassTotal(ReconClass.BankLong, 2, 2800, 0), result[ReconClass.BankLong]);
        Assert.Equal(new ReconClassTotal(ReconClass.BankShort, 2, 0, 3800), result[ReconClass.BankShort]);
        Assert.Equal(new ReconClassTotal(ReconClass.AmountMismatch, 1, 4100, 4000), result[ReconClass.AmountMismatch]);
        Assert.Equal(new ReconClassTotal(ReconClass.AccountMismatch, 1, 6000, 6000), result[ReconClass.AccountMismatch]);
        Assert.Equal(new ReconClassTotal(ReconClass.ReversalMismatch, 1, -7000, 0), result[ReconClass.ReversalMismatch]);
        Assert.Equal(new ReconClassTotal(ReconClass.DuplicateInFile, 1, 10000, 0), result[ReconClass.DuplicateInFile]);
        Assert.Equal(new ReconClassTotal(ReconClass.LedgerMissing, 1, 1500, 1500), result[ReconClass.LedgerMissing]);
    }

    [Fact]
    public void Camt053_BalancesOffByOneFen_RefusedWhole()
    {
        ReconParseResult parsed = CamtParser.Parse(Encoding.UTF8.GetBytes(Camt053(closing: "1394.01")), Channel, Day);

        Assert.Equal(ReconRules.BalanceMismatch, parsed.Refusal?.Rule);
        Assert.Equal(422, parsed.Refusal?.Status);
    }

    [Theory]
    [InlineData("9", "534.00")]
    [InlineData("10", "534.01")]
    public void Camt053_TxsSummryDisagrees_RefusedWhole(string count, string sum)
    {
        ReconParseResult parsed = CamtParser.Parse(Encoding.UTF8.GetBytes(Camt053(totalCount: count, totalSum: sum)), Channel, Day);

        Assert.Equal(ReconRules.SummaryMismatch, parsed.Refusal?.Rule);
        Assert.Equal(422, parsed.Refusal?.Status);
    }
}
