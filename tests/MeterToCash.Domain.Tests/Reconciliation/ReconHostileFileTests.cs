using System.Text;
using MeterToCash.Domain.Reconciliation;

namespace MeterToCash.Domain.Tests.Reconciliation;

/// <summary>
/// Malformed and hostile files, CSV and XML. Each must give a clear answer — a refusal of the whole file with the
/// expected rule, or the expected line error while the good line still reads — and never an exception.
/// </summary>
public class ReconHostileFileTests
{
    const string Channel = "BANK-ICBC";
    static readonly DateOnly Day = new(2026, 12, 3);
    const string Good = "R1,T1,3100000001,10000,PAY,2026-12-03T09:00:00+08:00,2026-12-03";
    const string Columns = "bankRef,channelTxnId,accountNo,amountFen,type,paidAt,channelDate";

    /// <summary>How a case must end: refused with this rule, or read with a line error of this rule.</summary>
    sealed record Case(bool Csv, byte[] Bytes, string Rule, bool Refused, ReconFileLimits? Limits = null);

    static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A CSV whose control header is right for its lines (sum over digit-only amounts, as the parser counts).</summary>
    static string CsvWith(params string[] lines)
    {
        long sum = 0;
        foreach (string line in lines)
        {
            string[] f = line.Split(',');
            if (f.Length > 3 && ReconRules.TryParseFen(f[3], out long fen))
            {
                sum += fen;
            }
        }

        return $"#MTC-RECON,v1,{Channel},2026-12-03,{lines.Length},{sum}\n{Columns}\n" + string.Concat(lines.Select(l => l + "\n"));
    }

    static string Tx(string amount = "100.00", string ccy = "Ccy=\"CNY\"", string indicator = "CRDT", string booked = "<Dt>2026-12-03</Dt>", string refs = "<AcctSvcrRef>R2</AcctSvcrRef><EndToEndId>T2</EndToEndId>", string account = "<RmtInf><Ustrd>3100000002</Ustrd></RmtInf>", string dates = "<RltdDts><AccptncDtTm>2026-12-03T10:00:00+08:00</AccptncDtTm></RltdDts>") =>
        $"<Ntry><Amt {ccy}>{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><BookgDt>{booked}</BookgDt><NtryDtls><TxDtls><Refs>{refs}</Refs>{account}{dates}</TxDtls></NtryDtls></Ntry>";

    static readonly string GoodEntry = Tx(refs: "<AcctSvcrRef>R1</AcctSvcrRef><EndToEndId>T1</EndToEndId>");

    /// <summary>A camt.054 without TxsSummry (so only the line fails) holding a good entry and the given ones.</summary>
    static string Camt054(string entries, string ns = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08", string prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>") =>
        $"{prolog}<Document xmlns=\"{ns}\"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Id>N</Id>{GoodEntry}{entries}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";

    static Dictionary<string, Case> Build()
    {
        Dictionary<string, Case> cases = [];
        void CsvRefused(string name, byte[] bytes, string rule, ReconFileLimits? limits = null) => cases.Add("csv-" + name, new(true, bytes, rule, true, limits));
        void CsvLine(string name, string line, string rule) => cases.Add("csv-line-" + name, new(true, U(CsvWith(Good, line)), rule, false));
        void XmlRefused(string name, byte[] bytes, string rule, ReconFileLimits? limits = null) => cases.Add("xml-" + name, new(false, bytes, rule, true, limits));
        void XmlLine(string name, string entry, string rule) => cases.Add("xml-line-" + name, new(false, U(Camt054(entry)), rule, false));

        string valid = CsvWith(Good, "R2,,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03");

        // CSV: the file as a whole.
        CsvRefused("empty", [], ReconRules.FileEmpty);
        CsvRefused("bom-only", [0xEF, 0xBB, 0xBF], ReconRules.FileEmpty);
        CsvRefused("invalid-utf8-ff", [.. U(valid), 0xFF], ReconRules.EncodingInvalid);
        CsvRefused("invalid-utf8-overlong", [.. U("#MTC-RECON"), 0xC0, 0xAF, .. U(valid)], ReconRules.EncodingInvalid);
        CsvRefused("invalid-utf8-lone-continuation", [.. U(valid[..40]), 0x80, .. U(valid[40..])], ReconRules.EncodingInvalid);
        CsvRefused("invalid-utf8-truncated-sequence", [.. U(valid), 0xE4, 0xB8], ReconRules.EncodingInvalid);
        CsvRefused("invalid-utf8-surrogate", [.. U(valid), 0xED, 0xA0, 0x80], ReconRules.EncodingInvalid);
        CsvRefused("utf16", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(valid)).ToArray(), ReconRules.EncodingInvalid);
        CsvRefused("latin1-name", [.. U(valid.Replace("R2,", "R2X,", StringComparison.Ordinal)[..^1]), 0xE9, 0x0A], ReconRules.EncodingInvalid);
        CsvRefused("no-header", U($"{Columns}\n{Good}\n"), ReconRules.HeaderInvalid);
        CsvRefused("magic-wrong", U(valid.Replace("#MTC-RECON", "#MTC-RECO", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("version-v2", U(valid.Replace(",v1,", ",v2,", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("channel-lowercase", U(valid.Replace(Channel, "bank-icbc", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("channel-too-short", U(valid.Replace(Channel, "BK", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("date-month-13", U(valid.Replace(",2026-12-03,2,", ",2026-13-03,2,", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("date-feb-30", U(valid.Replace(",2026-12-03,2,", ",2026-02-30,2,", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("count-negative", U(valid.Replace(",2026-12-03,2,", ",2026-12-03,-2,", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("count-text", U(valid.Replace(",2026-12-03,2,", ",2026-12-03,two,", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("sum-huge", U(valid.Replace(",10500\n", ",99999999999999999999999\n", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("sum-decimal", U(valid.Replace(",10500\n", ",105.00\n", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("header-five-fields", U(valid.Replace(",10500\n", "\n", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("header-seven-fields", U(valid.Replace(",10500\n", ",10500,x\n", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("columns-missing", U($"#MTC-RECON,v1,{Channel},2026-12-03,1,10000\n{Good}\n"), ReconRules.HeaderInvalid);
        CsvRefused("columns-reordered", U(valid.Replace(Columns, "channelTxnId,bankRef,accountNo,amountFen,type,paidAt,channelDate", StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("columns-upper", U(valid.Replace(Columns, Columns.ToUpperInvariant(), StringComparison.Ordinal)), ReconRules.HeaderInvalid);
        CsvRefused("header-only-line", U($"#MTC-RECON,v1,{Channel},2026-12-03,0,0"), ReconRules.HeaderInvalid);
        CsvRefused("count-one-more", U(valid.Replace(",2026-12-03,2,", ",2026-12-03,3,", StringComparison.Ordinal)), ReconRules.ControlTotalMismatch);
        CsvRefused("count-one-less", U(valid.Replace(",2026-12-03,2,", ",2026-12-03,1,", StringComparison.Ordinal)), ReconRules.ControlTotalMismatch);
        CsvRefused("sum-one-fen-more", U(valid.Replace(",10500\n", ",10501\n", StringComparison.Ordinal)), ReconRules.ControlTotalMismatch);
        CsvRefused("sum-zero", U(valid.Replace(",10500\n", ",0\n", StringComparison.Ordinal)), ReconRules.ControlTotalMismatch);
        cases.Add("csv-truncated-in-last-line", new(true, U(valid[..^30]), ReconRules.ColumnCount, false));
        CsvRefused("truncated-after-first-line", U(valid[..(valid.IndexOf(Good, StringComparison.Ordinal) + Good.Length + 1)]), ReconRules.ControlTotalMismatch);
        CsvRefused("truncated-in-header", U(valid[..20]), ReconRules.HeaderInvalid);
        CsvRefused("bad-amount-outside-sum", U(CsvWith(Good, "R2,T2,3100000002,12.5,PAY,2026-12-03T10:00:00+08:00,2026-12-03").Replace(",10000\n", ",11250\n", StringComparison.Ordinal)), ReconRules.ControlTotalMismatch);
        CsvRefused("sum-overflowing-lines", U($"#MTC-RECON,v1,{Channel},2026-12-03,2,0\n{Columns}\n" + "R1,T1,3100000001,999999999999999999,PAY,2026-12-03T09:00:00+08:00,2026-12-03\nR2,T2,3100000001,999999999999999999,PAY,2026-12-03T09:00:00+08:00,2026-12-03\n"), ReconRules.ControlTotalMismatch);
        cases.Add("csv-channel-other-than-expected", new(true, U(valid.Replace(Channel, "BANK-CCB", StringComparison.Ordinal)), ReconRules.ChannelMismatch, true));
        CsvRefused("over-byte-limit", U(valid), ReconRules.FileTooLarge, new ReconFileLimits(U(valid).Length - 1, 100));
        CsvRefused("over-line-limit", U(valid), ReconRules.TooManyTransactions, new ReconFileLimits(1 << 20, 1));
        CsvRefused("binary-zeros", new byte[64], ReconRules.HeaderInvalid);
        CsvRefused("xml-sent-as-csv", U(Camt054("")), ReconRules.HeaderInvalid);
        CsvRefused("quoted-magic-with-comma", U("\"#MTC-RECON,v1\"," + valid[14..]), ReconRules.HeaderInvalid);

        // CSV: one line.
        CsvLine("amount-zero", "R2,T2,3100000002,0,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-negative", "R2,T2,3100000002,-500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-plus-sign", "R2,T2,3100000002,+500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-over-limit", "R2,T2,3100000002,1000000001,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-huge", "R2,T2,3100000002,99999999999,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-with-decimals", "R2,T2,3100000002,5.000,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-exponent", "R2,T2,3100000002,5e3,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-empty", "R2,T2,3100000002,,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-spaces", "R2,T2,3100000002, 500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("amount-fullwidth-digits", "R2,T2,3100000002,５００,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.AmountInvalid);
        CsvLine("type-lowercase", "R2,T2,3100000002,500,pay,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.TypeInvalid);
        CsvLine("type-unknown", "R2,T2,3100000002,500,REFUND,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.TypeInvalid);
        CsvLine("reversal-without-id", "R2,,3100000002,500,REV,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.ReversalWithoutId);
        CsvLine("paidat-no-offset", "R2,T2,3100000002,500,PAY,2026-12-03T10:00:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("paidat-garbage", "R2,T2,3100000002,500,PAY,yesterday,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("paidat-empty", "R2,T2,3100000002,500,PAY,,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("channeldate-other-day", "R2,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-02", ReconRules.ChannelDateMismatch);
        CsvLine("channeldate-garbage", "R2,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,03/12/2026", ReconRules.FieldInvalid);
        CsvLine("account-too-long", "R2,T2,310000000200000000000,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("account-with-space", "R2,T2,3100 0002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("account-empty", "R2,T2,,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        cases.Add("csv-line-account-quoted-comma", new(true, U($"#MTC-RECON,v1,{Channel},2026-12-03,2,10500\n{Columns}\n{Good}\nR2,T2,\"3100,0002\",500,PAY,2026-12-03T10:00:00+08:00,2026-12-03\n"), ReconRules.FieldInvalid, false));
        CsvLine("bankref-empty", ",T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("bankref-chinese", "参考2,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("txnid-too-long", $"R2,{new string('T', 65)},3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("txnid-injection", "R2,T2'; DROP TABLE x;--,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("too-few-columns", "R2,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00", ReconRules.ColumnCount);
        CsvLine("too-many-columns", "R2,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03,extra", ReconRules.ColumnCount);
        CsvLine("formula", "=HYPERLINK(\"x\"),T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);
        CsvLine("nul-in-field", "R2\0,T2,3100000002,500,PAY,2026-12-03T10:00:00+08:00,2026-12-03", ReconRules.FieldInvalid);

        // XML: the file as a whole.
        string camt = ReconFromFilesTests.Camt053();
        XmlRefused("empty", [], ReconRules.FileEmpty);
        XmlRefused("not-xml", U("hello, bank"), ReconRules.XmlMalformed);
        XmlRefused("billion-laughs", U("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">&lol3;</Document>"), ReconRules.DtdProhibited);
        XmlRefused("quadratic-blowup", U("<!DOCTYPE d [<!ENTITY a \"" + new string('a', 10000) + "\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">&a;&a;&a;&a;</Document>"), ReconRules.DtdProhibited);
        XmlRefused("external-entity-file", U("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">&xxe;</Document>"), ReconRules.DtdProhibited);
        XmlRefused("external-entity-http", U("<!DOCTYPE d [<!ENTITY xxe SYSTEM \"http://169.254.169.254/latest/meta-data/\">]><Document>&xxe;</Document>"), ReconRules.DtdProhibited);
        XmlRefused("parameter-entity", U("<!DOCTYPE d [<!ENTITY % p SYSTEM \"http://example.invalid/p.dtd\"> %p;]><Document/>"), ReconRules.DtdProhibited);
        XmlRefused("external-dtd", U("<!DOCTYPE Document SYSTEM \"camt.dtd\"><Document/>"), ReconRules.DtdProhibited);
        XmlRefused("dtd-after-bom", [0xEF, 0xBB, 0xBF, .. U("<!DOCTYPE Document []>" + camt[camt.IndexOf("<Document", StringComparison.Ordinal)..])], ReconRules.DtdProhibited);
        XmlRefused("undeclared-entity", U(camt.Replace("<Id>STMT-20261203</Id>", "<Id>&xxe;</Id>", StringComparison.Ordinal)), ReconRules.XmlMalformed);
        XmlRefused("namespace-camt052", U(camt.Replace("camt.053.001.08", "camt.052.001.08", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-camt053-v01", U(camt.Replace("camt.053.001.08", "camt.053.001.01", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-camt053-v09", U(camt.Replace("camt.053.001.08", "camt.053.001.09", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-camt053-v13", U(camt.Replace("camt.053.001.08", "camt.053.001.13", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-pain001", U(camt.Replace("camt.053.001.08", "pain.001.001.09", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-none", U(camt.Replace(" xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"", "", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("namespace-prefixed-wrong", U(camt.Replace("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08", "urn:example:camt.053.001.08", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("root-not-document", U(camt.Replace("<Document ", "<Doc ", StringComparison.Ordinal).Replace("</Document>", "</Doc>", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("camt053-with-notification", U(Camt054("").Replace("camt.054.001.08", "camt.053.001.08", StringComparison.Ordinal)), ReconRules.NamespaceUnsupported);
        XmlRefused("declared-latin1", U(camt.Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal)), ReconRules.EncodingInvalid);
        XmlRefused("utf16", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(camt.Replace("UTF-8", "UTF-16", StringComparison.Ordinal))], ReconRules.EncodingInvalid);
        XmlRefused("invalid-utf8-in-text", [.. U(camt[..300]), 0xFE, .. U(camt[300..])], ReconRules.EncodingInvalid);
        XmlRefused("unclosed-tag", U(camt.Replace("</Stmt>", "", StringComparison.Ordinal)), ReconRules.XmlMalformed);
        XmlRefused("two-roots", U(camt + "<Document/>"), ReconRules.XmlMalformed);
        XmlRefused("control-character", U(camt.Replace("STMT-20261203", "STMT\u0001", StringComparison.Ordinal)), ReconRules.XmlMalformed);
        for (int i = 1; i <= 12; i++)
        {
            int cut = camt.Length * i / 13;
            XmlRefused($"truncated-{i}-of-13", U(camt[..cut]), ReconRules.XmlMalformed);
        }

        XmlRefused("balance-closing-off", U(ReconFromFilesTests.Camt053(closing: "1394.10")), ReconRules.BalanceMismatch);
        XmlRefused("balance-opening-3-decimals", U(ReconFromFilesTests.Camt053(opening: "1000.000")), ReconRules.BalanceMismatch);
        XmlRefused("balance-negative-text", U(ReconFromFilesTests.Camt053(opening: "-1000.00")), ReconRules.BalanceMismatch);
        XmlRefused("summary-count-off", U(ReconFromFilesTests.Camt053(totalCount: "11")), ReconRules.SummaryMismatch);
        XmlRefused("summary-count-text", U(ReconFromFilesTests.Camt053(totalCount: "ten")), ReconRules.SummaryMismatch);
        XmlRefused("summary-sum-off", U(ReconFromFilesTests.Camt053(totalSum: "533.99")), ReconRules.SummaryMismatch);
        XmlRefused("summary-sum-huge", U(ReconFromFilesTests.Camt053(totalSum: "99999999999999999999.00")), ReconRules.SummaryMismatch);
        XmlRefused("entry-amount-unreadable-breaks-balance", U(ReconFromFilesTests.Camt053(totalCount: "1", totalSum: "0.00", entries: Tx(amount: "1.005"))), ReconRules.BalanceMismatch);
        XmlRefused("over-byte-limit", U(camt), ReconRules.FileTooLarge, new ReconFileLimits(U(camt).Length - 1, 100));
        XmlRefused("over-transaction-limit", U(camt), ReconRules.TooManyTransactions, new ReconFileLimits(1 << 20, 9));
        XmlRefused("deep-nesting", U(Camt054(new string('x', 0)).Replace("<Id>N</Id>", "<Id>N</Id>" + string.Concat(Enumerable.Repeat("<a>", 5000)) + string.Concat(Enumerable.Repeat("</a>", 4999)), StringComparison.Ordinal)), ReconRules.XmlMalformed);

        // XML: one transaction.
        XmlLine("amount-3-decimals", Tx(amount: "100.001"), ReconRules.AmountInvalid);
        XmlLine("amount-3-decimals-zero", Tx(amount: "100.000"), ReconRules.AmountInvalid);
        XmlLine("amount-negative", Tx(amount: "-100.00"), ReconRules.AmountInvalid);
        XmlLine("amount-zero", Tx(amount: "0.00"), ReconRules.AmountInvalid);
        XmlLine("amount-over-limit", Tx(amount: "10000000.01"), ReconRules.AmountInvalid);
        XmlLine("amount-huge", Tx(amount: "99999999999999999999.99"), ReconRules.AmountInvalid);
        XmlLine("amount-exponent", Tx(amount: "1E2"), ReconRules.AmountInvalid);
        XmlLine("amount-comma", Tx(amount: "100,00"), ReconRules.AmountInvalid);
        XmlLine("amount-empty", Tx(amount: ""), ReconRules.AmountInvalid);
        XmlLine("currency-usd", Tx(ccy: "Ccy=\"USD\""), ReconRules.AmountInvalid);
        XmlLine("currency-missing", Tx(ccy: ""), ReconRules.AmountInvalid);
        XmlLine("indicator-unknown", Tx(indicator: "CRED"), ReconRules.TypeInvalid);
        XmlLine("debit-without-id", Tx(indicator: "DBIT", refs: "<AcctSvcrRef>R2</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId>"), ReconRules.ReversalWithoutId);
        XmlLine("booked-other-day", Tx(booked: "<Dt>2026-12-04</Dt>"), ReconRules.ChannelDateMismatch);
        XmlLine("booked-missing", Tx(booked: ""), ReconRules.FieldInvalid);
        XmlLine("bankref-missing", Tx(refs: "<EndToEndId>T2</EndToEndId>"), ReconRules.FieldInvalid);
        XmlLine("endtoend-too-long", Tx(refs: $"<AcctSvcrRef>R2</AcctSvcrRef><EndToEndId>{new string('E', 65)}</EndToEndId>"), ReconRules.FieldInvalid);
        XmlLine("account-missing", Tx(account: ""), ReconRules.FieldInvalid);
        XmlLine("account-chinese", Tx(account: "<RmtInf><Ustrd>电费3100000002</Ustrd></RmtInf>"), ReconRules.FieldInvalid);
        XmlLine("accepted-no-offset", Tx(dates: "<RltdDts><AccptncDtTm>2026-12-03T10:00:00</AccptncDtTm></RltdDts>"), ReconRules.FieldInvalid);
        XmlLine("details-do-not-add-up", "<Ntry><Amt Ccy=\"CNY\">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-03</Dt></BookgDt><NtryDtls>"
            + "<TxDtls><Refs><AcctSvcrRef>R3</AcctSvcrRef><EndToEndId>T3</EndToEndId></Refs><Amt Ccy=\"CNY\">10.00</Amt><RmtInf><Ustrd>3100000003</Ustrd></RmtInf></TxDtls>"
            + "<TxDtls><Refs><AcctSvcrRef>R4</AcctSvcrRef><EndToEndId>T4</EndToEndId></Refs><Amt Ccy=\"CNY\">10.00</Amt><RmtInf><Ustrd>3100000004</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>", ReconRules.EntrySumMismatch);
        XmlLine("entry-without-details", "<Ntry><Amt Ccy=\"CNY\">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-03</Dt></BookgDt><AcctSvcrRef>R5</AcctSvcrRef></Ntry>", ReconRules.FieldInvalid);
        return cases;
    }

    static readonly Dictionary<string, Case> Cases = Build();

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Fact]
    public void Cases_Count_AtLeastAHundred() => Assert.True(Cases.Count >= 100, $"{Cases.Count} hostile cases");

    [Theory]
    [MemberData(nameof(Names))]
    public void Parse_HostileFile_ClearRefusalOrLineError(string name)
    {
        Case c = Cases[name];

        ReconParseResult result = c.Csv
            ? ReconCsvParser.Parse(c.Bytes, Channel, c.Limits)
            : CamtParser.Parse(c.Bytes, Channel, Day, c.Limits);

        if (c.Refused)
        {
            Assert.Null(result.File);
            Assert.Equal(c.Rule, result.Refusal?.Rule);
            Assert.Contains(result.Refusal!.Status, new[] { 400, 413, 422 });
            Assert.False(string.IsNullOrWhiteSpace(result.Refusal.Message));
        }
        else
        {
            Assert.Null(result.Refusal);
            ReconLineError error = Assert.Single(result.File!.LineErrors);
            Assert.Equal(c.Rule, error.Rule);
            Assert.Matches(c.Csv ? "^line 4$" : @"^/Document/BkToCstmrDbtCdtNtfctn/Ntfctn\[1\]/Ntry\[2\]", error.Location);
            BankLine good = Assert.Single(result.File.Lines);
            Assert.Equal("R1", good.BankRef);
        }
    }
}
