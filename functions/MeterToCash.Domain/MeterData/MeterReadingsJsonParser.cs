using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// Parses the JSON equivalent of IEC 61968-9 MeterReadings used as the HTTP push body (shape in docs/meter-data.md):
/// <c>{"MeterReading":[{"Meter":{"mRID":"…"},"IntervalBlocks":[{"ReadingType":{"ref":"…"},"IntervalReadings":[{"timeStamp":"…","value":0.25,
/// "ReadingQualities":[{"ReadingQualityType":{"ref":"3.8.0"}}]}]}],"Readings":[…],"EndDeviceEvents":[…]}]}</c>.
/// Property names are case-sensitive and mirror the XML element names, so both formats map identically.
/// </summary>
/// <remarks>Never throws on bad input: malformed JSON, invalid UTF-8 and nesting deeper than the limit reject the document.</remarks>
public static class MeterReadingsJsonParser
{
    /// <summary>Parses UTF-8 JSON.</summary>
    public static MeterReadingBatch Parse(ReadOnlyMemory<byte> utf8, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (utf8.Length > limits.MaxBytes)
        {
            return BatchBuilder.Failed(RejectReason.TooLarge, "document", null);
        }

        // JsonDocument validates UTF-8 only lazily (GetString throws later), so check the whole payload up front.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            return BatchBuilder.Failed(RejectReason.InvalidEncoding, "document", null);
        }

        // The canonical shape in one streaming pass; anything else (or anything to reject) through the document tree.
        return MeterReadingsJsonFastPath.TryParse(utf8.Span, limits) ?? ParseTree(utf8, limits);
    }

    /// <summary>The general parse through a document tree: every shape, every rejection explained. The caller has checked size and UTF-8.</summary>
    internal static MeterReadingBatch ParseTree(ReadOnlyMemory<byte> utf8, ParserLimits limits)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            string position = string.Create(CultureInfo.InvariantCulture, $"document line {ex.LineNumber} byte {ex.BytePositionInLine}");
            RejectReason reason = DepthReached(utf8.Span) > limits.MaxDepth ? RejectReason.TooDeeplyNested : RejectReason.MalformedDocument;
            return BatchBuilder.Failed(reason, position, null);
        }

        using (doc)
        {
            return Map(doc.RootElement, limits);
        }
    }

    /// <summary>Parses JSON text.</summary>
    public static MeterReadingBatch Parse(string json, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (json is null)
        {
            return BatchBuilder.Failed(RejectReason.MalformedDocument, "document", null);
        }

        return json.Length > limits.MaxBytes
            ? BatchBuilder.Failed(RejectReason.TooLarge, "document", null)
            : Parse(Encoding.UTF8.GetBytes(json), limits);
    }

    private static int DepthReached(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue / 2 });
        int max = 0;
        try
        {
            while (reader.Read())
            {
                max = Math.Max(max, reader.CurrentDepth + 1);
            }
        }
        catch (JsonException)
        {
            // Only the depth reached before the syntax error matters here.
        }

        return max;
    }

    /// <summary>A string property's text; lone-surrogate escapes (which GetString refuses) become U+FFFD so the item is rejected.</summary>
    private static string? Text(JsonElement v)
    {
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD";
        }
    }

    private static MeterReadingBatch Map(JsonElement root, ParserLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("MeterReading"u8, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return BatchBuilder.Failed(RejectReason.MissingField, "$.MeterReading", null);
        }

        var builder = new BatchBuilder(limits);
        int i = 0;
        foreach (JsonElement mr in list.EnumerateArray())
        {
            int mrIndex = i++;
            string MrPath() => string.Create(CultureInfo.InvariantCulture, $"$.MeterReading[{mrIndex}]");
            if (mr.ValueKind != JsonValueKind.Object)
            {
                if (!builder.Next())
                {
                    builder.TooMany(MrPath());
                    break;
                }

                builder.Reject(MrPath(), RejectReason.MissingField, null);
                continue;
            }

            Common.MeterId? meter = CimMapping.Meter(Str(Obj(mr, "Meter"u8), "mRID"u8));
            int j = 0;
            foreach (JsonElement block in Arr(mr, "IntervalBlocks"u8))
            {
                int blockIndex = j++;
                ReadingTypeInfo? type = CimMapping.Type(Ref(block, "ReadingType"u8));
                int k = 0;
                foreach (JsonElement ir in Arr(block, "IntervalReadings"u8))
                {
                    int itemIndex = k++;
                    string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}.IntervalBlocks[{blockIndex}].IntervalReadings[{itemIndex}]");
                    if (!builder.Next())
                    {
                        builder.TooMany(Position());
                        return builder.Build();
                    }

                    JsonElement? period = Obj(ir, "timePeriod"u8);

                    RejectReason? r = ir.ValueKind != JsonValueKind.Object
                        ? RejectReason.MissingField
                        : Value(ir, out string? text, out decimal? number) ?? CimMapping.Interval(
                            builder, meter, type, Str(period, "start"u8), Str(period, "end"u8), Str(ir, "timeStamp"u8), text, number, Qualities(ir));
                    if (r is { } reason)
                    {
                        builder.Reject(Position(), reason, Raw(ir, "value"u8));
                    }
                }
            }

            int n = 0;
            foreach (JsonElement reading in Arr(mr, "Readings"u8))
            {
                int readingIndex = n++;
                string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}.Readings[{readingIndex}]");
                if (!builder.Next())
                {
                    builder.TooMany(Position());
                    return builder.Build();
                }

                RejectReason? r = reading.ValueKind != JsonValueKind.Object
                    ? RejectReason.MissingField
                    : Value(reading, out string? text, out decimal? number) ?? CimMapping.Register(
                        builder, meter, CimMapping.Type(Ref(reading, "ReadingType"u8)), Str(reading, "timeStamp"u8), text, number, Qualities(reading), Digits(reading));
                if (r is { } reason)
                {
                    builder.Reject(Position(), reason, Raw(reading, "value"u8));
                }
            }

            int e = 0;
            foreach (JsonElement ev in Arr(mr, "EndDeviceEvents"u8))
            {
                int eventIndex = e++;
                string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}.EndDeviceEvents[{eventIndex}]");
                if (!builder.Next())
                {
                    builder.TooMany(Position());
                    return builder.Build();
                }

                string? type = ev.ValueKind == JsonValueKind.Object ? Ref(ev, "EndDeviceEventType"u8) : null;
                RejectReason? r = ev.ValueKind != JsonValueKind.Object
                    ? RejectReason.MissingField
                    : CimMapping.Event(builder, meter, type, Str(ev, "createdDateTime"u8));
                if (r is { } reason)
                {
                    builder.Reject(Position(), reason, type);
                }
            }
        }

        return builder.Build();
    }

    private static JsonElement? Obj(JsonElement? parent, ReadOnlySpan<byte> name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static JsonElement.ArrayEnumerator Arr(JsonElement parent, ReadOnlySpan<byte> name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
            : default;

    private static string? Str(JsonElement? parent, ReadOnlySpan<byte> name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? Text(v) : null;

    private static string? Ref(JsonElement parent, ReadOnlySpan<byte> name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? Text(v) : Str(v, "ref"u8);
    }

    private static RejectReason? Value(JsonElement item, out string? text, out decimal? number)
    {
        text = null;
        number = null;
        if (!item.TryGetProperty("value"u8, out JsonElement v))
        {
            return RejectReason.MissingField;
        }

        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                if (v.TryGetDecimal(out decimal d))
                {
                    number = d;
                    return null;
                }

                return RejectReason.NumberOutOfRange;
            case JsonValueKind.String:
                text = Text(v);
                return null;
            default:
                return RejectReason.InvalidNumber;
        }
    }

    private static string? Digits(JsonElement item)
    {
        if (!item.TryGetProperty("meterDigits"u8, out JsonElement v))
        {
            return null;
        }

        // Any non-integer is passed through as text so the shared mapping rejects it consistently.
        return v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.ValueKind == JsonValueKind.String ? Text(v) : "?";
    }

    private static IReadOnlyList<string?> Qualities(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("ReadingQualities"u8, out JsonElement rq))
        {
            return CimMapping.NoQualities;
        }

        if (rq.ValueKind != JsonValueKind.Array)
        {
            // Present but not an array: one unreadable quality, so the item is rejected rather than taken as valid.
            return [null];
        }

        var list = new List<string?>();
        foreach (JsonElement q in rq.EnumerateArray())
        {
            list.Add(q.ValueKind == JsonValueKind.Object ? Ref(q, "ReadingQualityType"u8) : null);
        }

        return list;
    }

    private static string? Raw(JsonElement item, ReadOnlySpan<byte> name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out JsonElement v) ? v.GetRawText() : null;
}
