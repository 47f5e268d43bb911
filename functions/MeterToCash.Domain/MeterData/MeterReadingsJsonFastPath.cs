using System.Text;
using System.Text.Json;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// One forward pass with <see cref="Utf8JsonReader"/> over a push body in the canonical shape (the one
/// <see cref="MeterReadingsJsonWriter"/> writes and head-ends send): no document tree and no string per interval value.
/// </summary>
/// <remarks>
/// It never decides anything the tree-based parse of <see cref="MeterReadingsJsonParser"/> would decide differently:
/// wherever that parse could reject an item, or where its answer depends on more than this pass sees (a property
/// repeated or out of the canonical order, an escaped timestamp, a value given as text, malformed JSON), it gives up and
/// returns null, and the caller parses the document the general way, which also explains every rejection. A document
/// it accepts yields the same batch, item for item (a property test holds the two to that).
/// Parsing was a quarter of the ingestion host's CPU, most of it in the tree and one timestamp string per value.
/// </remarks>
internal static class MeterReadingsJsonFastPath
{
    /// <summary>Longest timestamp text looked at; <see cref="BatchBuilder.TryTimestamp(ReadOnlySpan{char}, out DateTimeOffset)"/> refuses anything past 40 after trimming.</summary>
    private const int MaxTimestampBytes = 64;

    /// <summary>The batch, or null when the document must go through the general parser.</summary>
    public static MeterReadingBatch? TryParse(ReadOnlySpan<byte> utf8, ParserLimits limits)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var builder = new BatchBuilder(limits);

        try
        {
            // Read() after the root must find the end: trailing content throws, as it fails the tree-based parse.
            return Root(ref reader, builder) && !reader.Read() ? builder.Build() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on a lone-surrogate escape; the general parser maps that text to a rejection.
            return null;
        }
    }

    private static bool Root(ref Utf8JsonReader reader, BatchBuilder builder)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool seen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("MeterReading"u8))
            {
                reader.Skip();
                continue;
            }

            if (seen || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            seen = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject || !MeterReading(ref reader, builder))
                {
                    return false;
                }
            }
        }

        return seen;
    }

    /// <summary>Meter first, then IntervalBlocks, Readings, EndDeviceEvents, each at most once: the order the general parse adds items in.</summary>
    private static bool MeterReading(ref Utf8JsonReader reader, BatchBuilder builder)
    {
        Common.MeterId? meter = null;
        int stage = 0; // 1 Meter, 2 IntervalBlocks, 3 Readings, 4 EndDeviceEvents
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int next = reader.ValueTextEquals("Meter"u8) ? 1
                : reader.ValueTextEquals("IntervalBlocks"u8) ? 2
                : reader.ValueTextEquals("Readings"u8) ? 3
                : reader.ValueTextEquals("EndDeviceEvents"u8) ? 4
                : 0;
            if (next == 0)
            {
                reader.Skip();
                continue;
            }

            if (next <= stage || !reader.Read())
            {
                return false;
            }

            stage = next;
            if (next == 1)
            {
                if (!Meter(ref reader, out meter))
                {
                    return false;
                }

                continue;
            }

            // Without a valid meter every item would be rejected for it.
            bool ok = meter is { } id && next switch
            {
                2 => Blocks(ref reader, builder, id),
                3 => Registers(ref reader, builder, id),
                _ => Events(ref reader, builder, id),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Meter(ref Utf8JsonReader reader, out Common.MeterId? meter)
    {
        meter = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? mrid = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("mRID"u8))
            {
                reader.Skip();
                continue;
            }

            if (mrid is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            mrid = reader.GetString();
        }

        meter = CimMapping.Meter(mrid);
        return meter is not null;
    }

    private static bool Blocks(ref Utf8JsonReader reader, BatchBuilder builder, Common.MeterId meter)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadingTypeInfo? type = null;
            bool typeSeen = false, itemsSeen = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("ReadingType"u8))
                {
                    if (typeSeen || itemsSeen || !reader.Read() || !Ref(ref reader, out string? code))
                    {
                        return false;
                    }

                    typeSeen = true;
                    type = CimMapping.Type(code);
                }
                else if (reader.ValueTextEquals("IntervalReadings"u8))
                {
                    if (itemsSeen || type is not { IsInterval: true } t || !reader.Read() || !Intervals(ref reader, builder, meter, t))
                    {
                        return false;
                    }

                    itemsSeen = true;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return true;
    }

    private static bool Intervals(ref Utf8JsonReader reader, BatchBuilder builder, Common.MeterId meter, ReadingTypeInfo type)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxTimestampBytes];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !builder.Next())
            {
                return false;
            }

            DateTimeOffset? end = null;
            decimal? value = null;
            ReadingQuality quality = ReadingQuality.Valid;
            bool qualitySeen = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("timeStamp"u8))
                {
                    if (end is not null || !reader.Read() || !Timestamp(ref reader, chars, out DateTimeOffset at))
                    {
                        return false;
                    }

                    end = at;
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    if (value is not null || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out decimal d))
                    {
                        return false;
                    }

                    value = d;
                }
                else if (reader.ValueTextEquals("ReadingQualities"u8))
                {
                    if (qualitySeen || !reader.Read() || !Qualities(ref reader, out IReadOnlyList<string?> codes) || !CimMapping.TryQuality(codes, out quality))
                    {
                        return false;
                    }

                    qualitySeen = true;
                }
                else if (reader.ValueTextEquals("timePeriod"u8))
                {
                    return false; // takes precedence over timeStamp in the general mapping; rare enough to leave to it
                }
                else
                {
                    reader.Skip();
                }
            }

            // Year < 2000 as in CimMapping.Interval (TryTimestamp refuses it already).
            if (end is not { Year: >= 2000 } e || value is not { } v
                || builder.AddInterval(meter, type, e.AddMinutes(-type.IntervalMinutes), null, v, quality) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Registers(ref Utf8JsonReader reader, BatchBuilder builder, Common.MeterId meter)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !builder.Next())
            {
                return false;
            }

            string? code = null, timeStamp = null, digits = null;
            decimal? value = null;
            IReadOnlyList<string?>? qualities = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool ok = true;
                if (reader.ValueTextEquals("ReadingType"u8))
                {
                    ok = code is null && reader.Read() && Ref(ref reader, out code) && code is not null;
                }
                else if (reader.ValueTextEquals("timeStamp"u8))
                {
                    ok = timeStamp is null && reader.Read() && reader.TokenType == JsonTokenType.String && (timeStamp = reader.GetString()) is not null;
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    ok = value is null && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out decimal d) && (value = d) is not null;
                }
                else if (reader.ValueTextEquals("meterDigits"u8))
                {
                    // As the general parse: a number's own text, so that the shared mapping judges it.
                    ok = digits is null && reader.Read() && reader.TokenType == JsonTokenType.Number && (digits = Encoding.UTF8.GetString(reader.ValueSpan)) is not null;
                }
                else if (reader.ValueTextEquals("ReadingQualities"u8))
                {
                    ok = qualities is null && reader.Read() && Qualities(ref reader, out qualities);
                }
                else
                {
                    reader.Skip();
                }

                if (!ok)
                {
                    return false;
                }
            }

            if (value is null || CimMapping.Register(builder, meter, CimMapping.Type(code), timeStamp, null, value, qualities ?? CimMapping.NoQualities, digits) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Events(ref Utf8JsonReader reader, BatchBuilder builder, Common.MeterId meter)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !builder.Next())
            {
                return false;
            }

            string? type = null, created = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool ok = true;
                if (reader.ValueTextEquals("EndDeviceEventType"u8))
                {
                    ok = type is null && reader.Read() && Ref(ref reader, out type) && type is not null;
                }
                else if (reader.ValueTextEquals("createdDateTime"u8))
                {
                    ok = created is null && reader.Read() && reader.TokenType == JsonTokenType.String && (created = reader.GetString()) is not null;
                }
                else
                {
                    reader.Skip();
                }

                if (!ok)
                {
                    return false;
                }
            }

            if (CimMapping.Event(builder, meter, type, created) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A ReadingQualities array: each element an object whose ReadingQualityType is a code or <c>{"ref": code}</c>.</summary>
    private static bool Qualities(ref Utf8JsonReader reader, out IReadOnlyList<string?> codes)
    {
        codes = CimMapping.NoQualities;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        List<string?> list = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? code = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("ReadingQualityType"u8))
                {
                    reader.Skip();
                    continue;
                }

                if (code is not null || !reader.Read() || !Ref(ref reader, out code) || code is null)
                {
                    return false;
                }
            }

            if (code is null)
            {
                return false;
            }

            list.Add(code);
        }

        codes = list;
        return true;
    }

    /// <summary>A reference, given as a string or as <c>{"ref": "…"}</c> (other properties of the object ignored); the reader is on its value.</summary>
    private static bool Ref(ref Utf8JsonReader reader, out string? code)
    {
        code = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            code = reader.GetString();
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("ref"u8))
            {
                reader.Skip();
                continue;
            }

            if (code is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            code = reader.GetString();
        }

        return code is not null;
    }

    /// <summary>An unescaped ASCII timestamp, read without a string (the one hot field of every value).</summary>
    private static bool Timestamp(ref Utf8JsonReader reader, scoped Span<char> chars, out DateTimeOffset instant)
    {
        instant = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        ReadOnlySpan<byte> raw = reader.ValueSpan;
        return raw.Length <= chars.Length
            && Ascii.ToUtf16(raw, chars, out int written) == System.Buffers.OperationStatus.Done
            && BatchBuilder.TryTimestamp(chars[..written], out instant);
    }
}
