using System.Globalization;
using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace MeterToCash.Domain.Reconciliation;

/// <summary>
/// Reads the contract's reconciliation CSV (reconciliation-files.md §1) from its bytes, with Sep doing the CSV.
/// </summary>
/// <remarks>
/// <para>
/// Order of checks, each refusing the whole file: size (413 <see cref="ReconRules.FileTooLarge"/>, before anything is
/// decoded), UTF-8 (400 <see cref="ReconRules.EncodingInvalid"/>; a BOM is dropped, CRLF and LF both end a line), the
/// control header <c>#MTC-RECON,v1,{channelId},{channelDate},{count},{sumFen}</c> and the column header
/// (400 <see cref="ReconRules.HeaderInvalid"/>), the channel against the one expected (422
/// <see cref="ReconRules.ChannelMismatch"/>), the number of data lines (413 <see cref="ReconRules.TooManyTransactions"/>),
/// and last the control totals (422 <see cref="ReconRules.ControlTotalMismatch"/>).
/// </para>
/// <para>
/// Control totals: <c>count</c> is the number of data lines, bad ones included; <c>sumFen</c> is the sum of the
/// <c>amountFen</c> column as written (payments and reversals alike, both positive), over every line whose
/// <c>amountFen</c> is a whole number of digits; a line whose amount is not a number adds nothing, so a file with
/// one is refused unless the bank left it out of its own sum too. Blank lines are not data lines.
/// </para>
/// <para>Every other problem is one line's: it is reported with its 1-based physical line number and left out.</para>
/// </remarks>
public static class ReconCsvParser
{
    /// <summary>The control header's first field.</summary>
    public const string Magic = "#MTC-RECON";

    /// <summary>The only version of the format.</summary>
    public const string Version = "v1";

    /// <summary>The column header, exactly.</summary>
    public static readonly IReadOnlyList<string> Columns = ["bankRef", "channelTxnId", "accountNo", "amountFen", "type", "paidAt", "channelDate"];

    /// <summary>Reads a file.</summary>
    /// <param name="bytes">The file as received.</param>
    /// <param name="expectedChannelId">The channel the file was sent for (route or blob path), or null to take the header's.</param>
    /// <param name="limits">Size limits; <see cref="ReconFileLimits.Default"/> when null.</param>
    public static ReconParseResult Parse(ReadOnlySpan<byte> bytes, string? expectedChannelId = null, ReconFileLimits? limits = null)
    {
        limits ??= ReconFileLimits.Default;
        if (bytes.Length > limits.MaxBytes)
        {
            return ReconParseResult.Refused(ReconRules.FileTooLarge, 413, $"The file has {bytes.Length} bytes; at most {limits.MaxBytes} are accepted.");
        }

        if (!Utf8.IsValid(bytes))
        {
            return ReconParseResult.Refused(ReconRules.EncodingInvalid, 400, "The file is not valid UTF-8.");
        }

        ReadOnlySpan<byte> body = bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        if (body.IsEmpty)
        {
            return ReconParseResult.Refused(ReconRules.FileEmpty, 400, "The file is empty.");
        }

        string text = Encoding.UTF8.GetString(body);
        using SepReader reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromText(text);

        if (!reader.MoveNext() || !TryReadControlHeader(reader.Current, out string channelId, out DateOnly channelDate, out long count, out long sumFen))
        {
            return ReconParseResult.Refused(ReconRules.HeaderInvalid, 400, $"The first line must be {Magic},{Version},{{channelId}},{{yyyy-MM-dd}},{{count}},{{sumFen}}.");
        }

        if (expectedChannelId is not null && expectedChannelId != channelId)
        {
            return ReconParseResult.Refused(ReconRules.ChannelMismatch, 422, $"The file is for channel {channelId}, not {expectedChannelId}.");
        }

        if (!reader.MoveNext() || !IsColumnHeader(reader.Current))
        {
            return ReconParseResult.Refused(ReconRules.HeaderInvalid, 400, $"The second line must be the column header {string.Join(',', Columns)}.");
        }

        List<BankLine> lines = [];
        List<ReconLineError> errors = [];
        long dataLines = 0;
        Int128 sum = 0;
        while (reader.MoveNext())
        {
            SepReader.Row row = reader.Current;
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }

            if (++dataLines > limits.MaxTransactions)
            {
                return ReconParseResult.Refused(ReconRules.TooManyTransactions, 413, $"The file has more than {limits.MaxTransactions} lines.");
            }

            string location = $"line {row.LineNumberFrom}";
            if (row.ColCount > 3 && ReconRules.TryParseFen(row[3].Span, out long counted))
            {
                sum += counted;
            }

            if (row.ColCount != Columns.Count)
            {
                errors.Add(new(location, ReconRules.ColumnCount, $"The line has {row.ColCount} columns; {Columns.Count} are expected."));
                continue;
            }

            (BankLine? line, ReconLineError? error) = ReadLine(row, location, channelDate);
            if (line is not null)
            {
                lines.Add(line);
            }
            else
            {
                errors.Add(error!);
            }
        }

        if (dataLines != count || sum != sumFen)
        {
            return ReconParseResult.Refused(
                ReconRules.ControlTotalMismatch,
                422,
                $"The header says {count} lines summing to {sumFen} fen; the file has {dataLines} lines summing to {sum} fen.");
        }

        return ReconParseResult.Read(new ReconFile(channelId, channelDate, ReconFileFormat.Csv, lines, errors));
    }

    static bool TryReadControlHeader(SepReader.Row row, out string channelId, out DateOnly channelDate, out long count, out long sumFen)
    {
        channelId = string.Empty;
        channelDate = default;
        count = 0;
        sumFen = 0;
        if (row.ColCount != 6 || !row[0].Span.SequenceEqual(Magic) || !row[1].Span.SequenceEqual(Version))
        {
            return false;
        }

        channelId = row[2].ToString();
        return ReconRules.IsChannelId(channelId)
            && ReconRules.TryParseDay(row[3].ToString(), out channelDate)
            && ReconRules.TryParseFen(row[4].Span, out count)
            && ReconRules.TryParseFen(row[5].Span, out sumFen);
    }

    static bool IsColumnHeader(SepReader.Row row)
    {
        if (row.ColCount != Columns.Count)
        {
            return false;
        }

        for (int i = 0; i < Columns.Count; i++)
        {
            if (!row[i].Span.SequenceEqual(Columns[i]))
            {
                return false;
            }
        }

        return true;
    }

    static (BankLine? Line, ReconLineError? Error) ReadLine(SepReader.Row row, string location, DateOnly channelDate)
    {
        ReconLineError Error(string rule, string message) => new(location, rule, message);

        string bankRef = row[0].ToString();
        string txnText = row[1].ToString();
        string accountNo = row[2].ToString();
        ReadOnlySpan<char> typeText = row[4].Span;
        if (!ReconRules.IsRef(bankRef))
        {
            return (null, Error(ReconRules.FieldInvalid, "bankRef must be 1–64 of [A-Za-z0-9_-]."));
        }

        if (txnText.Length > 0 && !ReconRules.IsRef(txnText))
        {
            return (null, Error(ReconRules.FieldInvalid, "channelTxnId must be empty or 1–64 of [A-Za-z0-9_-]."));
        }

        if (!ReconRules.IsAccountNo(accountNo))
        {
            return (null, Error(ReconRules.FieldInvalid, "accountNo must be 1–20 of [A-Za-z0-9_-]."));
        }

        if (!ReconRules.TryParseFen(row[3].Span, out long amountFen) || !ReconRules.IsAmountFen(amountFen))
        {
            return (null, Error(ReconRules.AmountInvalid, $"amountFen must be a whole number of fen from 1 to {ReconRules.MaxAmountFen}."));
        }

        ReconTxnType? type = typeText switch
        {
            "PAY" => ReconTxnType.Pay,
            "REV" => ReconTxnType.Rev,
            _ => null,
        };
        if (type is null)
        {
            return (null, Error(ReconRules.TypeInvalid, "type must be PAY or REV."));
        }

        string? channelTxnId = txnText.Length == 0 ? null : txnText;
        if (type == ReconTxnType.Rev && channelTxnId is null)
        {
            return (null, Error(ReconRules.ReversalWithoutId, "A REV line names the reversed channelTxnId."));
        }

        if (!ReconRules.TryParseInstant(row[5].ToString(), out DateTimeOffset paidAt))
        {
            return (null, Error(ReconRules.FieldInvalid, "paidAt must be ISO 8601 with an offset."));
        }

        if (!ReconRules.TryParseDay(row[6].ToString(), out DateOnly lineDate))
        {
            return (null, Error(ReconRules.FieldInvalid, "channelDate must be yyyy-MM-dd."));
        }

        if (lineDate != channelDate)
        {
            return (null, Error(ReconRules.ChannelDateMismatch, $"The line's channelDate {lineDate:yyyy-MM-dd} is not the file's {channelDate:yyyy-MM-dd}."));
        }

        return (new BankLine(bankRef, channelTxnId, accountNo, amountFen, type.Value, paidAt, channelDate, location), null);
    }
}
