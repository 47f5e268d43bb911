using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;

namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// Reads an ISO 20022 camt.053 statement or camt.054 notification (reconciliation-files.md §2) from its bytes.
/// </summary>
/// <remarks>
/// <para>
/// Accepted: the namespaces <c>urn:iso:std:iso:20022:tech:xsd:camt.053.001.02</c> to <c>.08</c> and
/// <c>camt.054.001.02</c> to <c>.08</c>, whose <c>Ntry</c>, <c>TxDtls</c>, <c>Bal</c> and <c>TxsSummry/TtlNtries</c>,
/// <c>TtlCdtNtries</c>, <c>TtlDbtNtries</c> elements read alike. Any other root is refused (400
/// <see cref="ReconRules.NamespaceUnsupported"/>).
/// </para>
/// <para>
/// Safety: the bytes must be UTF-8 (a declaration naming another encoding is refused, 400
/// <see cref="ReconRules.EncodingInvalid"/>); any <c>&lt;!DOCTYPE</c> refuses the file (400
/// <see cref="ReconRules.DtdProhibited"/>) before the XML reader runs, and the reader itself has
/// <see cref="DtdProcessing.Prohibit"/> and no resolver, so no entity is ever expanded and nothing is fetched.
/// Not well-formed or truncated XML is refused (400 <see cref="ReconRules.XmlMalformed"/>). The reader and
/// <see cref="XNode.ReadFrom"/> are iterative, so nesting depth costs memory (bounded by the byte limit), not stack.
/// </para>
/// <para>
/// Mapping: each <c>TxDtls</c> is a transaction; an <c>Ntry</c> without <c>TxDtls</c> is one by itself.
/// Amount: <c>TxDtls/Amt</c>, else <c>TxDtls/AmtDtls/TxAmt/Amt</c>, else (one <c>TxDtls</c> only) <c>Ntry/Amt</c>;
/// <c>Ccy="CNY"</c>, yuan with at most 2 decimals, converted exactly to fen (<see cref="ReconRules.TryParseYuan"/>).
/// Type: <c>CdtDbtInd</c> of the <c>TxDtls</c>, else of the <c>Ntry</c> (<c>CRDT</c> = PAY, <c>DBIT</c> = REV).
/// <c>bankRef</c>: <c>TxDtls/Refs/AcctSvcrRef</c>, else (one <c>TxDtls</c>) <c>Ntry/AcctSvcrRef</c>.
/// <c>channelTxnId</c>: <c>TxDtls/Refs/EndToEndId</c>, <c>NOTPROVIDED</c> or absent = none. <c>accountNo</c>:
/// the first <c>RmtInf/Ustrd</c>. <c>paidAt</c>: <c>TxDtls/RltdDts/AccptncDtTm</c> when present (with an offset).
/// Day: <c>Ntry/BookgDt/Dt</c> (or the date of <c>BookgDt/DtTm</c>) must be the file's <c>channelDate</c>.
/// An <c>Ntry</c> with several <c>TxDtls</c> whose amounts do not add up to its own is one line error.
/// </para>
/// <para>
/// Checks of a statement (or notification) against its entries, each refusing the file (422): opening balance
/// (<c>OPBD</c>, else <c>PRCD</c>) plus credits minus debits is the closing balance (<c>CLBD</c>) where both are
/// present (<see cref="ReconRules.BalanceMismatch"/>); <c>TxsSummry</c> counts and sums of all, credit and debit entries
/// where present (<see cref="ReconRules.SummaryMismatch"/>). Entry amounts that cannot be read count as nothing, so a
/// file with one is refused by its balances or summary where it has them.
/// </para>
/// </remarks>
public static class CamtParser
{
    const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";
    const int LowestVersion = 2, HighestVersion = 8;

    /// <summary>Reads a file.</summary>
    /// <param name="bytes">The file as received.</param>
    /// <param name="channelId">The channel it was sent for (a camt file names the bank account, not our channel).</param>
    /// <param name="channelDate">The day it was sent for; every entry's booking day must be this day.</param>
    /// <param name="limits">Size limits; <see cref="ReconFileLimits.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="channelId"/> is not a channel id.</exception>
    public static ReconParseResult Parse(ReadOnlySpan<byte> bytes, string channelId, DateOnly channelDate, ReconFileLimits? limits = null)
    {
        if (!ReconRules.IsChannelId(channelId))
        {
            throw new ArgumentException("channelId must be [A-Z0-9-]{3,32}.", nameof(channelId));
        }

        limits ??= ReconFileLimits.Default;
        if (bytes.Length > limits.MaxBytes)
        {
            return ReconParseResult.Refused(ReconRules.FileTooLarge, 413, $"The file has {bytes.Length} bytes; at most {limits.MaxBytes} are accepted.");
        }

        if (!Utf8.IsValid(bytes))
        {
            return ReconParseResult.Refused(ReconRules.EncodingInvalid, 400, "The file is not valid UTF-8.");
        }

        if (bytes.IndexOf("<!DOCTYPE"u8) >= 0)
        {
            return ReconParseResult.Refused(ReconRules.DtdProhibited, 400, "The XML has a document type declaration; DTDs are not accepted.");
        }

        ReadOnlySpan<byte> body = bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        if (body.IsEmpty)
        {
            return ReconParseResult.Refused(ReconRules.FileEmpty, 400, "The file is empty.");
        }

        try
        {
            using MemoryStream stream = new(bytes.ToArray(), writable: false);
            using XmlReader reader = XmlReader.Create(stream, Settings(limits));
            return new Reading(reader, channelId, channelDate, limits).Run();
        }
        catch (XmlException e)
        {
            return ReconParseResult.Refused(ReconRules.XmlMalformed, 400, $"The XML is not well-formed: {e.Message}");
        }
    }

    static XmlReaderSettings Settings(ReconFileLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = limits.MaxBytes,
        CloseInput = false,
    };

    /// <summary>The state of one pass over a document.</summary>
    sealed class Reading(XmlReader reader, string channelId, DateOnly channelDate, ReconFileLimits limits)
    {
        readonly List<BankLine> lines = [];
        readonly List<ReconLineError> errors = [];
        string ns = string.Empty;
        int transactions;

        XName N(string local) => XName.Get(local, ns);

        public ReconParseResult Run()
        {
            reader.Read();
            if (reader.NodeType == XmlNodeType.XmlDeclaration && reader.GetAttribute("encoding") is { } declared && !declared.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
            {
                return ReconParseResult.Refused(ReconRules.EncodingInvalid, 400, $"The XML declares encoding {declared}; only UTF-8 is accepted.");
            }

            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                return ReconParseResult.Refused(ReconRules.XmlMalformed, 400, "The XML has no root element.");
            }

            if (!TryFormat(reader.LocalName, reader.NamespaceURI, out ReconFileFormat format))
            {
                return ReconParseResult.Refused(
                    ReconRules.NamespaceUnsupported,
                    400,
                    $"The root is {{{reader.NamespaceURI}}}{reader.LocalName}; accepted are Document in camt.053.001.0{LowestVersion}–0{HighestVersion} and camt.054.001.0{LowestVersion}–0{HighestVersion}.");
            }

            ns = reader.NamespaceURI;
            (string container, string unit) = format == ReconFileFormat.Camt053 ? ("BkToCstmrStmt", "Stmt") : ("BkToCstmrDbtCdtNtfctn", "Ntfctn");
            int units = 0;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }

                if (reader.Depth == 1 && (reader.LocalName != container || reader.NamespaceURI != ns))
                {
                    return ReconParseResult.Refused(ReconRules.NamespaceUnsupported, 400, $"The Document's content must be {container}, not {reader.LocalName}.");
                }

                if (reader.Depth == 2 && reader.LocalName == unit && reader.NamespaceURI == ns)
                {
                    units++;
                    if (ReadUnit($"/Document/{container}/{unit}[{units}]") is { } refusal)
                    {
                        return refusal;
                    }

                    continue;
                }

                if (reader.Depth >= 2)
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
            }

            return ReconParseResult.Read(new ReconFile(channelId, channelDate, format, lines, errors));
        }

        static bool TryFormat(string localName, string namespaceUri, out ReconFileFormat format)
        {
            format = default;
            if (localName != "Document" || !namespaceUri.StartsWith(NamespacePrefix, StringComparison.Ordinal))
            {
                return false;
            }

            string rest = namespaceUri[NamespacePrefix.Length..];
            for (int v = LowestVersion; v <= HighestVersion; v++)
            {
                if (rest == $"camt.053.001.0{v}")
                {
                    format = ReconFileFormat.Camt053;
                    return true;
                }

                if (rest == $"camt.054.001.0{v}")
                {
                    format = ReconFileFormat.Camt054;
                    return true;
                }
            }

            return false;
        }

        /// <summary>Reads one Stmt/Ntfctn (the reader is on its start tag) and checks it; null when it passes.</summary>
        ReconParseResult? ReadUnit(string path)
        {
            int depth = reader.Depth;
            bool empty = reader.IsEmptyElement;
            reader.Read();
            List<XElement> balances = [];
            XElement? summary = null;
            int entries = 0, credits = 0, debits = 0;
            Int128 creditFen = 0, debitFen = 0;
            while (!empty && !reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }

                if (reader.NamespaceURI != ns)
                {
                    reader.Skip();
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "Bal":
                        balances.Add((XElement)XNode.ReadFrom(reader));
                        break;
                    case "TxsSummry":
                        summary = (XElement)XNode.ReadFrom(reader);
                        break;
                    case "Ntry":
                        entries++;
                        XElement entry = (XElement)XNode.ReadFrom(reader);
                        if (ReadEntry(entry, $"{path}/Ntry[{entries}]") is { } signed)
                        {
                            if (signed >= 0)
                            {
                                credits++;
                                creditFen += signed;
                            }
                            else
                            {
                                debits++;
                                debitFen -= signed;
                            }
                        }

                        if (transactions > limits.MaxTransactions)
                        {
                            return ReconParseResult.Refused(ReconRules.TooManyTransactions, 413, $"The file has more than {limits.MaxTransactions} transactions.");
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            reader.Read();
            return CheckBalances(path, balances, creditFen - debitFen) ?? CheckSummary(path, summary, entries, credits, creditFen, debits, debitFen);
        }

        ReconParseResult? CheckBalances(string path, List<XElement> balances, Int128 netFen)
        {
            XElement? Find(string code) => balances.FirstOrDefault(b => (string?)b.Element(N("Tp"))?.Element(N("CdOrPrtry"))?.Element(N("Cd")) == code);
            XElement? opening = Find("OPBD") ?? Find("PRCD");
            XElement? closing = Find("CLBD");
            if (opening is null || closing is null)
            {
                return null;
            }

            if (SignedAmount(opening) is not { } open || SignedAmount(closing) is not { } close)
            {
                return ReconParseResult.Refused(ReconRules.BalanceMismatch, 422, $"{path}: a balance's amount is not CNY with at most 2 decimals and CRDT/DBIT.");
            }

            return open + netFen == close
                ? null
                : ReconParseResult.Refused(ReconRules.BalanceMismatch, 422, $"{path}: opening {Yuan(open)} plus entries {Yuan(netFen)} is not the closing {Yuan(close)} yuan.");
        }

        ReconParseResult? CheckSummary(string path, XElement? summary, int entries, int credits, Int128 creditFen, int debits, Int128 debitFen)
        {
            if (summary is null)
            {
                return null;
            }

            // TtlNtries.Sum is the sum of the entries' amounts regardless of direction (ISO 20022).
            (string Name, int Count, Int128 Fen)[] totals = [("TtlNtries", entries, creditFen + debitFen), ("TtlCdtNtries", credits, creditFen), ("TtlDbtNtries", debits, debitFen)];
            foreach ((string name, int count, Int128 fen) in totals)
            {
                XElement? total = summary.Element(N(name));
                if (total is null)
                {
                    continue;
                }

                string? stated = (string?)total.Element(N("NbOfNtries"));
                if (stated is not null && (!long.TryParse(stated, out long n) || n != count))
                {
                    return ReconParseResult.Refused(ReconRules.SummaryMismatch, 422, $"{path}/TxsSummry/{name}: NbOfNtries {stated}, but the statement has {count}.");
                }

                string? sum = (string?)total.Element(N("Sum"));
                if (sum is not null && (!ReconRules.TryParseYuan(sum, out long sumFen) || sumFen != fen))
                {
                    return ReconParseResult.Refused(ReconRules.SummaryMismatch, 422, $"{path}/TxsSummry/{name}: Sum {sum}, but the entries add up to {Yuan(fen)} yuan.");
                }
            }

            return null;
        }

        /// <summary>Reads one entry's transactions; returns the entry's signed amount in fen, or null when unreadable.</summary>
        long? ReadEntry(XElement entry, string path)
        {
            long? entrySigned = SignedAmount(entry);
            List<XElement> details = [.. entry.Elements(N("NtryDtls")).Elements(N("TxDtls"))];
            DateOnly? booked = BookingDay(entry);

            if (details.Count == 0)
            {
                transactions++;
                AddTransaction(entry, entry, single: true, booked, path);
                return entrySigned;
            }

            transactions += details.Count;
            List<(BankLine? Line, ReconLineError? Error)> read = [];
            foreach (XElement detail in details)
            {
                int index = detail.Parent!.ElementsBeforeSelf(N("NtryDtls")).Count() + 1;
                read.Add(Transaction(entry, detail, details.Count == 1, booked, $"{path}/NtryDtls[{index}]/TxDtls[{detail.ElementsBeforeSelf(N("TxDtls")).Count() + 1}]"));
            }

            if (details.Count > 1 && entrySigned is { } expected && read.All(r => r.Line is not null) && read.Sum(r => r.Line!.SignedFen) != expected)
            {
                errors.Add(new(path, ReconRules.EntrySumMismatch, $"The entry's {details.Count} transactions do not add up to its amount {Yuan(expected)} yuan."));
                return entrySigned;
            }

            foreach ((BankLine? line, ReconLineError? error) in read)
            {
                if (line is not null)
                {
                    lines.Add(line);
                }
                else
                {
                    errors.Add(error!);
                }
            }

            return entrySigned;
        }

        void AddTransaction(XElement entry, XElement detail, bool single, DateOnly? booked, string path)
        {
            (BankLine? line, ReconLineError? error) = Transaction(entry, detail, single, booked, path);
            if (line is not null)
            {
                lines.Add(line);
            }
            else
            {
                errors.Add(error!);
            }
        }

        (BankLine? Line, ReconLineError? Error) Transaction(XElement entry, XElement detail, bool single, DateOnly? booked, string path)
        {
            (BankLine?, ReconLineError?) Error(string rule, string message) => (null, new ReconLineError(path, rule, message));

            XElement? amount = detail.Element(N("Amt")) ?? detail.Element(N("AmtDtls"))?.Element(N("TxAmt"))?.Element(N("Amt")) ?? (single ? entry.Element(N("Amt")) : null);
            if (amount is null || (string?)amount.Attribute("Ccy") != "CNY" || !ReconRules.TryParseYuan(amount.Value, out long fen) || !ReconRules.IsAmountFen(fen))
            {
                return Error(ReconRules.AmountInvalid, $"Amt must be CNY yuan with at most 2 decimals, from 0.01 to {ReconRules.MaxAmountFen / 100}.00.");
            }

            string? indicator = (string?)detail.Element(N("CdtDbtInd")) ?? (string?)entry.Element(N("CdtDbtInd"));
            ReconTxnType? type = indicator switch
            {
                "CRDT" => ReconTxnType.Pay,
                "DBIT" => ReconTxnType.Rev,
                _ => null,
            };
            if (type is null)
            {
                return Error(ReconRules.TypeInvalid, "CdtDbtInd must be CRDT or DBIT.");
            }

            XElement? refs = detail == entry ? null : detail.Element(N("Refs"));
            string? bankRef = (string?)refs?.Element(N("AcctSvcrRef")) ?? (single ? (string?)entry.Element(N("AcctSvcrRef")) : null);
            if (!ReconRules.IsRef(bankRef))
            {
                return Error(ReconRules.FieldInvalid, "AcctSvcrRef (bankRef) must be 1–64 of [A-Za-z0-9_-].");
            }

            string? endToEnd = (string?)refs?.Element(N("EndToEndId"));
            string? channelTxnId = endToEnd is null or "NOTPROVIDED" ? null : endToEnd;
            if (channelTxnId is not null && !ReconRules.IsRef(channelTxnId))
            {
                return Error(ReconRules.FieldInvalid, "EndToEndId (channelTxnId) must be NOTPROVIDED or 1–64 of [A-Za-z0-9_-].");
            }

            if (type == ReconTxnType.Rev && channelTxnId is null)
            {
                return Error(ReconRules.ReversalWithoutId, "A DBIT transaction names the reversed channelTxnId in EndToEndId.");
            }

            string? accountNo = (string?)detail.Element(N("RmtInf"))?.Element(N("Ustrd"));
            if (!ReconRules.IsAccountNo(accountNo))
            {
                return Error(ReconRules.FieldInvalid, "RmtInf/Ustrd (accountNo) must be 1–20 of [A-Za-z0-9_-].");
            }

            DateTimeOffset? paidAt = null;
            string? accepted = (string?)detail.Element(N("RltdDts"))?.Element(N("AccptncDtTm"));
            if (accepted is not null)
            {
                if (!ReconRules.TryParseInstant(accepted, out DateTimeOffset at))
                {
                    return Error(ReconRules.FieldInvalid, "RltdDts/AccptncDtTm (paidAt) must be ISO 8601 with an offset.");
                }

                paidAt = at;
            }

            if (booked is null)
            {
                return Error(ReconRules.FieldInvalid, "Ntry/BookgDt must hold Dt (yyyy-MM-dd) or DtTm with an offset.");
            }

            if (booked != channelDate)
            {
                return Error(ReconRules.ChannelDateMismatch, $"The entry is booked on {booked:yyyy-MM-dd}, not the file's {channelDate:yyyy-MM-dd}.");
            }

            return (new BankLine(bankRef!, channelTxnId, accountNo!, fen, type.Value, paidAt, channelDate, path), null);
        }

        DateOnly? BookingDay(XElement entry)
        {
            XElement? booking = entry.Element(N("BookgDt"));
            if (ReconRules.TryParseDay((string?)booking?.Element(N("Dt")), out DateOnly day))
            {
                return day;
            }

            return ReconRules.TryParseInstant((string?)booking?.Element(N("DtTm")), out DateTimeOffset at) ? DateOnly.FromDateTime(at.DateTime) : null;
        }

        /// <summary>An element's Amt (CNY) signed by its CdtDbtInd (CRDT +, DBIT −), in fen; null when unreadable.</summary>
        long? SignedAmount(XElement element)
        {
            XElement? amount = element.Element(N("Amt"));
            string? indicator = (string?)element.Element(N("CdtDbtInd"));
            if (amount is null || (string?)amount.Attribute("Ccy") != "CNY" || !ReconRules.TryParseYuan(amount.Value, out long fen))
            {
                return null;
            }

            return indicator switch
            {
                "CRDT" => fen,
                "DBIT" => -fen,
                _ => null,
            };
        }

        static string Yuan(Int128 fen) => ((decimal)fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
