using System.Globalization;
using System.Text;
using System.Text.Unicode;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// Parses the head-end daily CSV of interval values (UTF-8, optional BOM, LF or CRLF, no quoting):
/// <c>meter,readingType,intervalStart,intervalMinutes,value,quality[,unit]</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>readingType: a CSV channel code (AI, AE, RI, RE) or an IEC 61968-9 interval ReadingType code.</item>
/// <item>intervalStart: ISO 8601 with offset (e.g. 2026-11-26T00:00:00+08:00 or ...Z); local times without offset are refused.</item>
/// <item>intervalMinutes: 15, 30 or 60; must match a CIM code's measuring period.</item>
/// <item>value: plain decimal with '.' (exponents accepted), in the unit column's unit.</item>
/// <item>quality: empty, V/Q/E/M or a CIM quality code.</item>
/// <item>unit (optional): kWh, Wh, kvarh, varh; defaults to the channel's unit. With a CIM code it must agree with the code.</item>
/// </list>
/// A first line starting with "meter," is a header; empty lines and lines starting with '#' are skipped.
/// Lines are processed independently: a bad line is rejected with its 1-based line number and the rest still parse.
/// </remarks>
public static class CsvReadingParser
{
    /// <summary>Longest accepted line, in bytes.</summary>
    public const int MaxLineLength = 1024;

    /// <summary>Parses UTF-8 bytes. Never throws.</summary>
    public static MeterReadingBatch Parse(ReadOnlySpan<byte> utf8, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (utf8.Length > limits.MaxBytes)
        {
            return BatchBuilder.Failed(RejectReason.TooLarge, "document", null);
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var builder = new BatchBuilder(limits);
        int lineNumber = 0;
        while (!utf8.IsEmpty && !builder.Full)
        {
            lineNumber++;
            int newline = utf8.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? utf8 : utf8[..newline];
            utf8 = newline < 0 ? [] : utf8[(newline + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length > MaxLineLength || !Utf8.IsValid(line))
            {
                if (Count(builder, lineNumber))
                {
                    builder.Reject(Position(lineNumber), line.Length > MaxLineLength ? RejectReason.MalformedLine : RejectReason.InvalidEncoding, null);
                }

                continue;
            }

            ParseLine(Encoding.UTF8.GetString(line), lineNumber, builder);
        }

        return builder.Build();
    }

    /// <summary>Parses text already decoded. Never throws.</summary>
    public static MeterReadingBatch Parse(string text, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (text is null)
        {
            return BatchBuilder.Failed(RejectReason.MalformedDocument, "document", null);
        }

        if (text.Length > limits.MaxBytes)
        {
            return BatchBuilder.Failed(RejectReason.TooLarge, "document", null);
        }

        // Lone surrogates cannot come from valid UTF-8; the replacement keeps them from passing as data.
        return Parse(Encoding.UTF8.GetBytes(text), limits);
    }

    private static string Position(int lineNumber) => "line " + lineNumber.ToString(CultureInfo.InvariantCulture);

    private static bool Count(BatchBuilder builder, int lineNumber)
    {
        if (builder.Next())
        {
            return true;
        }

        builder.TooMany(Position(lineNumber));
        return false;
    }

    private static void ParseLine(string line, int lineNumber, BatchBuilder builder)
    {
        if (line.StartsWith('#') || (lineNumber == 1 && line.StartsWith("meter,", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        if (!Count(builder, lineNumber))
        {
            return;
        }

        string[] f = line.Split(',');
        if (f.Length is not (6 or 7) || line.Contains('"', StringComparison.Ordinal))
        {
            builder.Reject(Position(lineNumber), RejectReason.MalformedLine, line);
            return;
        }

        RejectReason? reason = Interpret(f, builder);
        if (reason is { } r)
        {
            builder.Reject(Position(lineNumber), r, line);
        }
    }

    private static RejectReason? Interpret(string[] f, BatchBuilder builder)
    {
        string typeText = f[1].Trim();
        if (!int.TryParse(f[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes) || !MeterChannels.IsSupportedInterval(minutes))
        {
            return RejectReason.InvalidIntervalLength;
        }

        string unitText = f.Length == 7 ? f[6].Trim() : string.Empty;
        ReadingTypeInfo type;
        if (ReadingTypeCodes.TryParseChannelCode(typeText, out MeterChannel channel))
        {
            EnergyUnit unit = MeterChannels.UnitOf(channel);
            decimal scale = 1m;
            if (unitText.Length > 0 && !TryUnit(unitText, out unit, out scale))
            {
                return RejectReason.InvalidUnit;
            }

            type = new ReadingTypeInfo(true, channel, minutes, RegisterBand.Total, unit, scale);
        }
        else if (ReadingTypeCodes.TryParse(typeText, out type) && type.IsInterval)
        {
            if (type.IntervalMinutes != minutes)
            {
                return RejectReason.InvalidIntervalLength;
            }

            if (unitText.Length > 0 && (!TryUnit(unitText, out EnergyUnit unit, out decimal scale) || unit != type.Unit || scale != type.Scale))
            {
                return RejectReason.InvalidUnit;
            }
        }
        else
        {
            return RejectReason.UnknownReadingType;
        }

        if (!BatchBuilder.TryTimestamp(f[2], out DateTimeOffset start))
        {
            return RejectReason.InvalidTimestamp;
        }

        if (!QualityCodes.TryParse(f[5], out ReadingQuality quality))
        {
            return RejectReason.InvalidQuality;
        }

        return MeterId.TryParse(f[0], out MeterId meter) ? builder.AddInterval(meter, type, start, f[4], null, quality) : RejectReason.InvalidMeterId;
    }

    private static bool TryUnit(string text, out EnergyUnit unit, out decimal scale)
    {
        (bool ok, unit, scale) = text.ToLowerInvariant() switch
        {
            "kwh" => (true, EnergyUnit.Kwh, 1m),
            "wh" => (true, EnergyUnit.Kwh, 0.001m),
            "kvarh" => (true, EnergyUnit.Kvarh, 1m),
            "varh" => (true, EnergyUnit.Kvarh, 0.001m),
            _ => (false, EnergyUnit.Kwh, 1m),
        };
        return ok;
    }

    /// <summary>Writes interval readings in this format (header included), values invariant with up to 4 decimals.</summary>
    public static string Write(IEnumerable<IntervalReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var sb = new StringBuilder("meter,readingType,intervalStart,intervalMinutes,value,quality,unit\n");
        foreach (IntervalReading r in readings)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Meter},{ReadingTypeCodes.ChannelCode(r.Channel)},{r.Start.ToOffset(ChinaTime.Offset):yyyy-MM-dd'T'HH:mm:sszzz},{r.IntervalMinutes},{r.Value},{QualityCodes.ToCimCode(r.Quality)},{(r.Unit == EnergyUnit.Kwh ? "kWh" : "kvarh")}\n");
        }

        return sb.ToString();
    }
}
