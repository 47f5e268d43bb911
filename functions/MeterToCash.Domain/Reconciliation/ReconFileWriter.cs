using System.Globalization;
using System.Text;
using System.Xml;
using nietras.SeparatedValues;

namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// Writes a day's bank lines in the contract's formats, as a bank would: the CSV (Sep writes the rows) and camt.053 /
/// camt.054 (version 001.08). Used by the demo generator, the benchmarks and the tests; the parsers read back what it
/// writes. UTF-8 without BOM.
/// </summary>
public static class ReconFileWriter
{
    /// <summary>The namespace written for camt.053.</summary>
    public const string Camt053Namespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08";

    /// <summary>The namespace written for camt.054.</summary>
    public const string Camt054Namespace = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08";

    /// <summary>
    /// The CSV: control header (count = lines, sumFen = Σ amountFen as written), column header, one row per line, LF endings.
    /// </summary>
    public static byte[] Csv(string channelId, DateOnly channelDate, IReadOnlyList<BankLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        long sum = lines.Sum(l => l.AmountFen);
        StringWriter text = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
        text.WriteLine($"{ReconCsvParser.Magic},{ReconCsvParser.Version},{channelId},{channelDate:yyyy-MM-dd},{lines.Count},{sum}");
        text.WriteLine(string.Join(',', ReconCsvParser.Columns));
        using (SepWriter writer = Sep.New(',').Writer(o => o with { WriteHeader = false }).To(text))
        {
            foreach (BankLine line in lines)
            {
                using SepWriter.Row row = writer.NewRow();
                row["bankRef"].Set(line.BankRef);
                row["channelTxnId"].Set(line.ChannelTxnId ?? string.Empty);
                row["accountNo"].Set(line.AccountNo);
                row["amountFen"].Format(line.AmountFen);
                row["type"].Set(line.Type == ReconTxnType.Pay ? "PAY" : "REV");
                row["paidAt"].Set(line.PaidAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) ?? string.Empty);
                row["channelDate"].Set(line.ChannelDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    /// <summary>
    /// A camt.053 statement (one <c>Stmt</c>) or camt.054 notification (one <c>Ntfctn</c>): one <c>Ntry</c> with one
    /// <c>TxDtls</c> per line; the statement carries <c>OPBD</c>/<c>CLBD</c> balances (closing = opening + net of the
    /// lines) and, both, a <c>TxsSummry</c> with counts and sums.
    /// </summary>
    /// <param name="format"><see cref="ReconFileFormat.Camt053"/> or <see cref="ReconFileFormat.Camt054"/>.</param>
    /// <param name="bankAccount">The utility's collection account at the bank (<c>Acct/Id/Othr/Id</c>).</param>
    /// <param name="channelDate">The booking day of every entry.</param>
    /// <param name="lines">The transactions.</param>
    /// <param name="openingFen">The opening balance in fen (camt.053 only).</param>
    public static byte[] Camt(ReconFileFormat format, string bankAccount, DateOnly channelDate, IReadOnlyList<BankLine> lines, long openingFen = 0)
    {
        ArgumentNullException.ThrowIfNull(lines);
        bool statement = format switch
        {
            ReconFileFormat.Camt053 => true,
            ReconFileFormat.Camt054 => false,
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        string ns = statement ? Camt053Namespace : Camt054Namespace;
        using MemoryStream stream = new();
        using (XmlWriter xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Document", ns);
            xml.WriteStartElement(statement ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn", ns);
            xml.WriteStartElement("GrpHdr", ns);
            xml.WriteElementString("MsgId", ns, $"{bankAccount}-{channelDate:yyyyMMdd}");
            xml.WriteElementString("CreDtTm", ns, channelDate.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T02:00:00+08:00");
            xml.WriteEndElement();
            xml.WriteStartElement(statement ? "Stmt" : "Ntfctn", ns);
            xml.WriteElementString("Id", ns, $"{bankAccount}-{channelDate:yyyyMMdd}");
            xml.WriteStartElement("Acct", ns);
            xml.WriteStartElement("Id", ns);
            xml.WriteStartElement("Othr", ns);
            xml.WriteElementString("Id", ns, bankAccount);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteElementString("Ccy", ns, "CNY");
            xml.WriteEndElement();

            long credit = lines.Where(l => l.Type == ReconTxnType.Pay).Sum(l => l.AmountFen);
            long debit = lines.Where(l => l.Type == ReconTxnType.Rev).Sum(l => l.AmountFen);
            if (statement)
            {
                Balance(xml, ns, "OPBD", openingFen, channelDate);
                Balance(xml, ns, "CLBD", openingFen + credit - debit, channelDate);
            }

            xml.WriteStartElement("TxsSummry", ns);
            Totals(xml, ns, "TtlNtries", lines.Count, credit + debit);
            Totals(xml, ns, "TtlCdtNtries", lines.Count(l => l.Type == ReconTxnType.Pay), credit);
            Totals(xml, ns, "TtlDbtNtries", lines.Count(l => l.Type == ReconTxnType.Rev), debit);
            xml.WriteEndElement();

            foreach (BankLine line in lines)
            {
                xml.WriteStartElement("Ntry", ns);
                Amount(xml, ns, line.AmountFen);
                xml.WriteElementString("CdtDbtInd", ns, line.Type == ReconTxnType.Pay ? "CRDT" : "DBIT");
                xml.WriteElementString("Sts", ns, "BOOK");
                xml.WriteStartElement("BookgDt", ns);
                xml.WriteElementString("Dt", ns, line.ChannelDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteEndElement();
                xml.WriteElementString("AcctSvcrRef", ns, line.BankRef);
                xml.WriteStartElement("NtryDtls", ns);
                xml.WriteStartElement("TxDtls", ns);
                xml.WriteStartElement("Refs", ns);
                xml.WriteElementString("AcctSvcrRef", ns, line.BankRef);
                xml.WriteElementString("EndToEndId", ns, line.ChannelTxnId ?? "NOTPROVIDED");
                xml.WriteEndElement();
                Amount(xml, ns, line.AmountFen);
                xml.WriteElementString("CdtDbtInd", ns, line.Type == ReconTxnType.Pay ? "CRDT" : "DBIT");
                xml.WriteStartElement("RmtInf", ns);
                xml.WriteElementString("Ustrd", ns, line.AccountNo);
                xml.WriteEndElement();
                if (line.PaidAt is { } paidAt)
                {
                    xml.WriteStartElement("RltdDts", ns);
                    xml.WriteElementString("AccptncDtTm", ns, paidAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return stream.ToArray();
    }

    static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    static void Amount(XmlWriter xml, string ns, long fen)
    {
        xml.WriteStartElement("Amt", ns);
        xml.WriteAttributeString("Ccy", "CNY");
        xml.WriteString(Yuan(fen));
        xml.WriteEndElement();
    }

    static void Balance(XmlWriter xml, string ns, string code, long fen, DateOnly day)
    {
        xml.WriteStartElement("Bal", ns);
        xml.WriteStartElement("Tp", ns);
        xml.WriteStartElement("CdOrPrtry", ns);
        xml.WriteElementString("Cd", ns, code);
        xml.WriteEndElement();
        xml.WriteEndElement();
        Amount(xml, ns, Math.Abs(fen));
        xml.WriteElementString("CdtDbtInd", ns, fen >= 0 ? "CRDT" : "DBIT");
        xml.WriteStartElement("Dt", ns);
        xml.WriteElementString("Dt", ns, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    static void Totals(XmlWriter xml, string ns, string name, int count, long fen)
    {
        xml.WriteStartElement(name, ns);
        xml.WriteElementString("NbOfNtries", ns, count.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("Sum", ns, Yuan(fen));
        xml.WriteEndElement();
    }
}
