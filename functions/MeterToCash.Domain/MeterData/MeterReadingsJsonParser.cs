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
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("MeterReading", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return BatchBuilder.Failed(RejectReason.MissingField, "$.MeterReading", null);
        }

        var builder = new BatchBuilder(limits);
        int i = 0;
        foreach (JsonElement mr in list.EnumerateArray())
        {
            string mrPath = string.Create(CultureInfo.InvariantCulture, $"$.MeterReading[{i++}]");
            if (mr.ValueKind != JsonValueKind.Object)
            {
                if (!builder.Next(mrPath))
                {
                    break;
                }

                builder.Reject(mrPath, RejectReason.MissingField, null);
                continue;
            }

            string? meter = Str(Obj(mr, "Meter"), "mRID");
            int j = 0;
            foreach (JsonElement block in Arr(mr, "IntervalBlocks"))
            {
                string blockPath = string.Create(CultureInfo.InvariantCulture, $"{mrPath}.IntervalBlocks[{j++}]");
                string? type = Ref(block, "ReadingType");
                int k = 0;
                foreach (JsonElement ir in Arr(block, "IntervalReadings"))
                {
                    string position = string.Create(CultureInfo.InvariantCulture, $"{blockPath}.IntervalReadings[{k++}]");
                    if (!builder.Next(position))
                    {
                        return builder.Build();
                    }

                    RejectReason? r = ir.ValueKind != JsonValueKind.Object
                        ? RejectReason.MissingField
                        : Value(ir, out string? text, out decimal? number) ?? CimMapping.Interval(
                            builder, meter, type, Str(Obj(ir, "timePeriod"), "start"), Str(Obj(ir, "timePeriod"), "end"), Str(ir, "timeStamp"), text, number, Qualities(ir));
                    if (r is { } reason)
                    {
                        builder.Reject(position, reason, Raw(ir, "value"));
                    }
                }
            }

            int n = 0;
            foreach (JsonElement reading in Arr(mr, "Readings"))
            {
                string position = string.Create(CultureInfo.InvariantCulture, $"{mrPath}.Readings[{n++}]");
                if (!builder.Next(position))
                {
                    return builder.Build();
                }

                RejectReason? r = reading.ValueKind != JsonValueKind.Object
                    ? RejectReason.MissingField
                    : Value(reading, out string? text, out decimal? number) ?? CimMapping.Register(
                        builder, meter, Ref(reading, "ReadingType"), Str(reading, "timeStamp"), text, number, Qualities(reading), Digits(reading));
                if (r is { } reason)
                {
                    builder.Reject(position, reason, Raw(reading, "value"));
                }
            }

            int e = 0;
            foreach (JsonElement ev in Arr(mr, "EndDeviceEvents"))
            {
                string position = string.Create(CultureInfo.InvariantCulture, $"{mrPath}.EndDeviceEvents[{e++}]");
                if (!builder.Next(position))
                {
                    return builder.Build();
                }

                string? type = ev.ValueKind == JsonValueKind.Object ? Ref(ev, "EndDeviceEventType") : null;
                RejectReason? r = ev.ValueKind != JsonValueKind.Object
                    ? RejectReason.MissingField
                    : CimMapping.Event(builder, meter, type, Str(ev, "createdDateTime"));
                if (r is { } reason)
                {
                    builder.Reject(position, reason, type);
                }
            }
        }

        return builder.Build();
    }

    private static JsonElement? Obj(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static JsonElement.ArrayEnumerator Arr(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
            : default;

    private static string? Str(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? Text(v) : null;

    private static string? Ref(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? Text(v) : Str(v, "ref");
    }

    private static RejectReason? Value(JsonElement item, out string? text, out decimal? number)
    {
        text = null;
        number = null;
        if (!item.TryGetProperty("value", out JsonElement v))
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
        if (!item.TryGetProperty("meterDigits", out JsonElement v))
        {
            return null;
        }

        // Any non-integer is passed through as text so the shared mapping rejects it consistently.
        return v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.ValueKind == JsonValueKind.String ? Text(v) : "?";
    }

    private static List<string?> Qualities(JsonElement item)
    {
        var list = new List<string?>();
        foreach (JsonElement q in Arr(item, "ReadingQualities"))
        {
            list.Add(q.ValueKind == JsonValueKind.Object ? Ref(q, "ReadingQualityType") : null);
        }

        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ReadingQualities", out JsonElement rq) && rq.ValueKind != JsonValueKind.Array)
        {
            list.Add(null);
        }

        return list;
    }

    private static string? Raw(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out JsonElement v) ? v.GetRawText() : null;
}
