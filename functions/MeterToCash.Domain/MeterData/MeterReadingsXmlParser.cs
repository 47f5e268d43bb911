using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// Parses an IEC 61968-9 MeterReadings XML document (any namespace version; elements matched by local name):
/// MeterReading → Meter/mRID, IntervalBlocks (ReadingType/@ref, IntervalReadings: timeStamp = interval end or
/// timePeriod/start[/end], value, ReadingQualities/ReadingQualityType/@ref), Readings (register reads: ReadingType/@ref,
/// timeStamp, value, optional meterDigits extension) and EndDeviceEvents (EndDeviceEventType/@ref, createdDateTime).
/// MeterReading elements are found at any depth, so message envelopes (e.g. CreatedMeterReadings/Payload) work.
/// </summary>
/// <remarks>DTD processing is prohibited and no external resources are resolved; only UTF-8/UTF-16 input is supported
/// (transcode GB18030 before calling). Never throws on bad input.</remarks>
public static class MeterReadingsXmlParser
{
    /// <summary>Parses a document from bytes (encoding from BOM/declaration, UTF-8 default).</summary>
    public static MeterReadingBatch Parse(ReadOnlySpan<byte> document, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (document.Length > limits.MaxBytes)
        {
            return BatchBuilder.Failed(RejectReason.TooLarge, "document", null);
        }

        bool notUtf8 = !System.Text.Unicode.Utf8.IsValid(document) && !LooksUtf16(document);
        byte[] bytes = document.ToArray();
        return Load(() => XmlReader.Create(new MemoryStream(bytes, writable: false), Settings(limits)), limits, notUtf8);
    }

    /// <summary>Parses a document from text.</summary>
    public static MeterReadingBatch Parse(string document, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        if (document is null)
        {
            return BatchBuilder.Failed(RejectReason.MalformedDocument, "document", null);
        }

        if (document.Length > limits.MaxBytes)
        {
            return BatchBuilder.Failed(RejectReason.TooLarge, "document", null);
        }

        return Load(() => XmlReader.Create(new StringReader(document), Settings(limits)), limits, false);
    }

    private static bool LooksUtf16(ReadOnlySpan<byte> d) => d.Length >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF));

    private static XmlReaderSettings Settings(ParserLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private static MeterReadingBatch Load(Func<XmlReader> open, ParserLimits limits, bool badEncoding)
    {
        XDocument doc;
        try
        {
            // A streaming pass first: building a tree of a very deep document is slow (quadratic), so stop at the depth limit.
            using (XmlReader scan = open())
            {
                while (scan.Read())
                {
                    if (scan.Depth > limits.MaxDepth)
                    {
                        return BatchBuilder.Failed(RejectReason.TooDeeplyNested, "document", null);
                    }
                }
            }

            using XmlReader reader = open();
            doc = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            string position = string.Create(CultureInfo.InvariantCulture, $"document line {ex.LineNumber} position {ex.LinePosition}");
            RejectReason reason = ex.Message.Contains("DTD", StringComparison.Ordinal) ? RejectReason.DtdProhibited
                : badEncoding || ex.InnerException is DecoderFallbackException or ArgumentException ? RejectReason.InvalidEncoding
                : RejectReason.MalformedDocument;
            return BatchBuilder.Failed(reason, position, null);
        }
        catch (DecoderFallbackException)
        {
            return BatchBuilder.Failed(RejectReason.InvalidEncoding, "document", null);
        }
        catch (ArgumentException)
        {
            // An unsupported encoding name in the XML declaration surfaces here.
            return BatchBuilder.Failed(RejectReason.InvalidEncoding, "document", null);
        }

        var builder = new BatchBuilder(limits);
        if (doc.Root is null)
        {
            return BatchBuilder.Failed(RejectReason.MalformedDocument, "document", null);
        }

        if (!doc.Root.DescendantsAndSelf().Any(e => e.Name.LocalName is "MeterReading" or "MeterReadings"))
        {
            return BatchBuilder.Failed(RejectReason.MissingField, "MeterReadings", null);
        }

        int i = 0;
        foreach (XElement mr in doc.Root.DescendantsAndSelf().Where(e => e.Name.LocalName == "MeterReading"))
        {
            i++;
            string MrPath() => string.Create(CultureInfo.InvariantCulture, $"MeterReading[{i}]");
            XElement? meterElement = Child(mr, "Meter");
            Common.MeterId? meter = CimMapping.Meter(Text(Child(meterElement, "mRID")) ?? Text(Child(Child(meterElement, "Names"), "name")));

            int j = 0;
            foreach (XElement block in Children(mr, "IntervalBlocks"))
            {
                j++;
                ReadingTypeInfo? type = CimMapping.Type(Ref(block, "ReadingType"));
                int k = 0;
                foreach (XElement ir in Children(block, "IntervalReadings"))
                {
                    k++;
                    string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}/IntervalBlocks[{j}]/IntervalReadings[{k}]");
                    if (!builder.Next())
                    {
                        builder.TooMany(Position());
                        return builder.Build();
                    }

                    XElement? period = Child(ir, "timePeriod");
                    string? value = Text(Child(ir, "value"));
                    RejectReason? r = CimMapping.Interval(builder, meter, type, Text(Child(period, "start")), Text(Child(period, "end")), Text(Child(ir, "timeStamp")), value, null, Qualities(ir));
                    if (r is { } reason)
                    {
                        builder.Reject(Position(), reason, value);
                    }
                }
            }

            int n = 0;
            foreach (XElement reading in Children(mr, "Readings"))
            {
                n++;
                string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}/Readings[{n}]");
                if (!builder.Next())
                {
                    builder.TooMany(Position());
                    return builder.Build();
                }

                string? value = Text(Child(reading, "value"));
                RejectReason? r = CimMapping.Register(builder, meter, CimMapping.Type(Ref(reading, "ReadingType")), Text(Child(reading, "timeStamp")), value, null, Qualities(reading), Text(Child(reading, "meterDigits")));
                if (r is { } reason)
                {
                    builder.Reject(Position(), reason, value);
                }
            }

            int e = 0;
            foreach (XElement ev in Children(mr, "EndDeviceEvents"))
            {
                e++;
                string Position() => string.Create(CultureInfo.InvariantCulture, $"{MrPath()}/EndDeviceEvents[{e}]");
                if (!builder.Next())
                {
                    builder.TooMany(Position());
                    return builder.Build();
                }

                string? type = Ref(ev, "EndDeviceEventType");
                RejectReason? r = CimMapping.Event(builder, meter, type, Text(Child(ev, "createdDateTime")));
                if (r is { } reason)
                {
                    builder.Reject(Position(), reason, type);
                }
            }
        }

        return builder.Build();
    }

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    private static string? Text(XElement? element) => element?.Value;

    private static string? Ref(XElement parent, string localName)
    {
        XElement? e = Child(parent, localName);
        return e?.Attribute("ref")?.Value ?? Text(e);
    }

    private static IReadOnlyList<string?> Qualities(XElement item)
    {
        List<string?>? list = null;
        foreach (XElement q in Children(item, "ReadingQualities"))
        {
            (list ??= []).Add(Ref(q, "ReadingQualityType"));
        }

        return list ?? (IReadOnlyList<string?>)CimMapping.NoQualities;
    }
}
