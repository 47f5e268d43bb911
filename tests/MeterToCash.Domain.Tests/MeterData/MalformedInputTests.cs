using System.Text;
using MeterToCash.Domain.MeterData;
using static MeterToCash.Domain.Tests.MeterData.ParserTests;

namespace MeterToCash.Domain.Tests.MeterData;

/// <summary>Hostile and malformed payloads: none may throw, each must be reported.</summary>
public class MalformedInputTests
{
    private static readonly (string Value, RejectReason Reason)[] BadValues =
    [
        ("NaN", RejectReason.InvalidNumber),
        ("Infinity", RejectReason.InvalidNumber),
        ("-Infinity", RejectReason.InvalidNumber),
        ("∞", RejectReason.InvalidNumber),
        ("1e400", RejectReason.NumberOutOfRange),
        ("-1e400", RejectReason.NumberOutOfRange),
        ("79228162514264337593543950336", RejectReason.NumberOutOfRange),
        ("1000000000001", RejectReason.NumberOutOfRange),
        ("0.00001", RejectReason.ExcessPrecision),
        ("1.00005", RejectReason.ExcessPrecision),
        ("", RejectReason.InvalidNumber),
        ("0x10", RejectReason.InvalidNumber),
        ("１２", RejectReason.InvalidNumber),
        ("١٢٣", RejectReason.InvalidNumber),
        ("12 34", RejectReason.InvalidNumber),
        ("--1", RejectReason.InvalidNumber),
        ("1.2.3", RejectReason.InvalidNumber),
        ("+", RejectReason.InvalidNumber),
        (".", RejectReason.InvalidNumber),
        ("null", RejectReason.InvalidNumber),
        ("true", RejectReason.InvalidNumber),
        (new string('9', 100), RejectReason.InvalidNumber),
        ("1e", RejectReason.InvalidNumber),
        ("¥12", RejectReason.InvalidNumber),
    ];

    private static readonly (string Timestamp, RejectReason Reason)[] BadTimestamps =
    [
        ("", RejectReason.InvalidTimestamp),
        ("2026-13-01T00:00:00Z", RejectReason.InvalidTimestamp),
        ("2026-11-26T00:15:00", RejectReason.InvalidTimestamp),
        ("2026-11-26 00:15:00+08:00", RejectReason.InvalidTimestamp),
        ("9999-12-31T23:45:00Z", RejectReason.InvalidTimestamp),
        ("1999-12-31T23:45:00Z", RejectReason.InvalidTimestamp),
        ("2026-11-26T00:07:00+08:00", RejectReason.MisalignedInterval),
        ("2026-11-26T00:15:30+08:00", RejectReason.MisalignedInterval),
        ("2026-11-26T00:15:00.5+08:00", RejectReason.MisalignedInterval),
        ("2026-11-26T00:15:00+25:00", RejectReason.InvalidTimestamp),
        ("yesterday", RejectReason.InvalidTimestamp),
        ("2026-02-30T00:15:00Z", RejectReason.InvalidTimestamp),
        ("２０２６-11-26T00:15:00Z", RejectReason.InvalidTimestamp),
        (new string('2', 5000), RejectReason.InvalidTimestamp),
        ("1764086400", RejectReason.InvalidTimestamp),
        ("2026-11-26T24:00:00Z", RejectReason.InvalidTimestamp),
    ];

    private static readonly (string Meter, RejectReason Reason)[] BadMeters =
    [
        ("", RejectReason.InvalidMeterId),
        ("M 1", RejectReason.InvalidMeterId),
        ("<script>alert(1)</script>", RejectReason.InvalidMeterId),
        (new string('A', 33), RejectReason.InvalidMeterId),
        ("../../etc/passwd", RejectReason.InvalidMeterId),
        ("M1';DROP TABLE meters;--", RejectReason.InvalidMeterId),
        ("电表1", RejectReason.InvalidMeterId),
        ("\u202EM1", RejectReason.InvalidMeterId),
        ("M1\u200B", RejectReason.InvalidMeterId),
        ("${jndi:ldap://x}", RejectReason.InvalidMeterId),
        (new string('x', 100_000), RejectReason.InvalidMeterId),
    ];

    private static readonly (string Type, RejectReason Reason)[] BadTypes =
    [
        ("", RejectReason.UnknownReadingType),
        ("1.2.3", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0.0", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.99999999999", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.38.0", RejectReason.UnknownReadingType),
        ("0.0.3.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0", RejectReason.UnknownReadingType),
        ("0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0", RejectReason.UnknownReadingType),
        ("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0;DROP", RejectReason.UnknownReadingType),
        ("-0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0", RejectReason.UnknownReadingType),
        ("0.0.2.4.4.1.12.0.0.0.0.0.0.0.0.3.72.0", RejectReason.UnknownReadingType),
        ("0.0.2.4.1.1.12.0.0.0.0.1.0.0.0.3.72.0", RejectReason.UnknownReadingType),
        ("..................", RejectReason.UnknownReadingType),
    ];

    private static readonly (string Quality, RejectReason Reason)[] BadQualities =
    [
        ("X", RejectReason.InvalidQuality),
        ("1.2", RejectReason.InvalidQuality),
        ("1.2.3.4", RejectReason.InvalidQuality),
        ("3.8.99999999999", RejectReason.InvalidQuality),
        ("-1.0.0", RejectReason.InvalidQuality),
        ("estimatedd", RejectReason.InvalidQuality),
        ("3..8", RejectReason.InvalidQuality),
    ];

    public static TheoryData<Format, string, string, RejectReason> FieldCases()
    {
        var data = new TheoryData<Format, string, string, RejectReason>();
        foreach (Format f in Enum.GetValues<Format>())
        {
            foreach ((string v, RejectReason r) in BadValues)
            {
                data.Add(f, "value", v, r);
            }

            foreach ((string v, RejectReason r) in BadTimestamps)
            {
                data.Add(f, "timestamp", v, r);
            }

            foreach ((string v, RejectReason r) in BadMeters)
            {
                data.Add(f, "meter", v, r);
            }

            foreach ((string v, RejectReason r) in BadTypes)
            {
                data.Add(f, "type", v, r);
            }

            foreach ((string v, RejectReason r) in BadQualities)
            {
                data.Add(f, "quality", v, r);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FieldCases))]
    public void Parse_OneBadField_RejectsItemWithReason(Format format, string field, string hostile, RejectReason expected)
    {
        string document = field switch
        {
            "value" => OneInterval(format, value: hostile),
            "timestamp" => OneInterval(format, timestamp: hostile),
            "meter" => OneInterval(format, meter: hostile),
            "type" => OneInterval(format, type: hostile),
            _ => OneInterval(format, quality: hostile),
        };

        MeterReadingBatch batch = Parse(format, document);

        // A CSV line over the line limit is refused as a whole before its fields are looked at.
        expected = format == Format.Csv && document.Length > CsvReadingParser.MaxLineLength ? RejectReason.MalformedLine : expected;
        Assert.Empty(batch.Intervals);
        RejectedItem rejected = Assert.Single(batch.Rejected);
        Assert.Equal(expected, rejected.Reason);
        Assert.Equal(format switch { Format.Csv => "line 1", Format.Xml => "MeterReading[1]/IntervalBlocks[1]/IntervalReadings[1]", _ => "$.MeterReading[0].IntervalBlocks[0].IntervalReadings[0]" }, rejected.Position);
        Assert.True(rejected.Detail.Length <= 64);
        Assert.DoesNotContain(rejected.Detail, c => char.IsControl(c) || c == '\u202E');
    }

    public static TheoryData<Format, int> Truncations()
    {
        var data = new TheoryData<Format, int>();
        foreach (Format f in Enum.GetValues<Format>())
        {
            int length = Encoding.UTF8.GetByteCount(Valid(f));
            for (int i = 0; i < 25; i++)
            {
                data.Add(f, 1 + (i * (length - 2) / 24));
            }
        }

        return data;
    }

    private static string Valid(Format format) => format == Format.Csv
        ? string.Concat(Enumerable.Range(0, 8).Select(i => OneInterval(format, timestamp: $"2026-11-26T0{i}:15:00+08:00")))
        : OneInterval(format);

    [Theory]
    [MemberData(nameof(Truncations))]
    public void Parse_TruncatedDocument_NeverThrowsAndAccountsForEveryItem(Format format, int keepBytes)
    {
        byte[] whole = Encoding.UTF8.GetBytes(Valid(format));
        byte[] truncated = whole[..keepBytes];

        MeterReadingBatch batch = Parse(format, truncated);

        if (format == Format.Csv)
        {
            int lines = Encoding.UTF8.GetString(truncated).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.Equal(lines, batch.Intervals.Count + batch.Rejected.Count);
        }
        else
        {
            Assert.Empty(batch.Intervals);
            Assert.Equal(RejectReason.MalformedDocument, Assert.Single(batch.Rejected).Reason);
        }
    }

    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
        <MeterReadings><MeterReading><Meter><mRID>&lol3;</mRID></Meter></MeterReading></MeterReadings>
        """;

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <MeterReadings><MeterReading><Meter><mRID>&xxe;</mRID></Meter></MeterReading></MeterReadings>
        """;

    public static TheoryData<Format, byte[], RejectReason> WholeDocumentCases()
    {
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        byte[] invalidUtf8 = [.. U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M"), 0xC3, 0x28, .. U("\"}}]}")];
        byte[] invalidUtf8Xml = [.. U("<MeterReadings><MeterReading><Meter><mRID>M"), 0xFF, 0xFE, 0x80, .. U("</mRID></Meter></MeterReading></MeterReadings>")];
        return new TheoryData<Format, byte[], RejectReason>
        {
            { Format.Json, U(""), RejectReason.MalformedDocument },
            { Format.Json, U("null"), RejectReason.MissingField },
            { Format.Json, U("[]"), RejectReason.MissingField },
            { Format.Json, U("{}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":{}}"), RejectReason.MissingField },
            { Format.Json, U("{\"meterreading\":[]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[1]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[null]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[]"), RejectReason.MalformedDocument },
            { Format.Json, U("{\"MeterReading\":[],}"), RejectReason.MalformedDocument },
            { Format.Json, U("{'MeterReading':[]}"), RejectReason.MalformedDocument },
            { Format.Json, U("{\"MeterReading\":[]} // c"), RejectReason.MalformedDocument },
            { Format.Json, U("{\"MeterReading\":[NaN]}"), RejectReason.MalformedDocument },
            { Format.Json, U(new string('[', 10_000) + new string(']', 10_000)), RejectReason.TooDeeplyNested },
            { Format.Json, U("{\"MeterReading\":" + string.Concat(Enumerable.Repeat("[", 100)) + new string(']', 100) + "}"), RejectReason.TooDeeplyNested },
            { Format.Json, invalidUtf8, RejectReason.InvalidEncoding },
            { Format.Json, [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], RejectReason.InvalidEncoding },
            { Format.Json, U("{\"MeterReading\":[]}{\"MeterReading\":[]}"), RejectReason.MalformedDocument },
            { Format.Json, U("\"just a string\""), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"\\ud800\"},\"EndDeviceEvents\":[{\"EndDeviceEventType\":\"PowerOff\",\"createdDateTime\":\"2026-11-26T00:00:00Z\"}]}]}"), RejectReason.InvalidMeterId },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"EndDeviceEvents\":[{\"EndDeviceEventType\":\"\\u0000\",\"createdDateTime\":\"2026-11-26T00:00:00Z\"}]}]}"), RejectReason.UnknownEventType },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"EndDeviceEvents\":[{\"EndDeviceEventType\":\"5\",\"createdDateTime\":\"2026-11-26T00:00:00Z\"}]}]}"), RejectReason.UnknownEventType },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"EndDeviceEvents\":[{\"EndDeviceEventType\":\"PowerOff\"}]}]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"},\"IntervalReadings\":[{\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":{}}]}]}]}"), RejectReason.InvalidNumber },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"},\"IntervalReadings\":[{\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":[1]}]}]}]}"), RejectReason.InvalidNumber },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"},\"IntervalReadings\":[{\"timeStamp\":1764115200,\"value\":1}]}]}]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"IntervalBlocks\":[{\"ReadingType\":{\"ref\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"},\"IntervalReadings\":[{\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":1,\"ReadingQualities\":\"3.8.0\"}]}]}]}"), RejectReason.InvalidQuality },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"Readings\":[{\"ReadingType\":\"0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":1,\"meterDigits\":1.5}]}]}"), RejectReason.InvalidMeterDigits },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"Readings\":[{\"ReadingType\":\"0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":1,\"meterDigits\":99}]}]}"), RejectReason.InvalidMeterDigits },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"Readings\":[{\"ReadingType\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",\"timeStamp\":\"2026-11-26T00:15:00Z\",\"value\":1}]}]}"), RejectReason.UnknownReadingType },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"Readings\":[{\"ReadingType\":\"0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",\"value\":1}]}]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"Readings\":[\"x\"]}]}"), RejectReason.MissingField },
            { Format.Json, U("{\"MeterReading\":[{\"Meter\":{\"mRID\":\"M1\"},\"EndDeviceEvents\":[[]]}]}"), RejectReason.MissingField },
            { Format.Xml, U(""), RejectReason.MalformedDocument },
            { Format.Xml, U("not xml at all"), RejectReason.MalformedDocument },
            { Format.Xml, U("<a><b></a>"), RejectReason.MalformedDocument },
            { Format.Xml, U("<a/><b/>"), RejectReason.MalformedDocument },
            { Format.Xml, U(BillionLaughs), RejectReason.DtdProhibited },
            { Format.Xml, U(ExternalEntity), RejectReason.DtdProhibited },
            { Format.Xml, U("<!DOCTYPE MeterReadings><MeterReadings/>"), RejectReason.DtdProhibited },
            { Format.Xml, U("<MeterReadings>&undefined;</MeterReadings>"), RejectReason.MalformedDocument },
            { Format.Xml, invalidUtf8Xml, RejectReason.InvalidEncoding },
            { Format.Xml, U("<?xml version=\"1.0\" encoding=\"gb2312\"?><MeterReadings/>"), RejectReason.InvalidEncoding },
            { Format.Xml, U("<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><MeterReadings/>"), RejectReason.InvalidEncoding },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1&#0;</mRID></Meter></MeterReading></MeterReadings>"), RejectReason.MalformedDocument },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><Readings><ReadingType ref=\"0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><timeStamp>2026-11-26T00:00:00Z</timeStamp><value>1</value><meterDigits>x</meterDigits></Readings></MeterReading></MeterReadings>"), RejectReason.InvalidMeterDigits },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><EndDeviceEvents><EndDeviceEventType ref=\"9.9.9.9\"/><createdDateTime>2026-11-26T00:00:00Z</createdDateTime></EndDeviceEvents></MeterReading></MeterReadings>"), RejectReason.UnknownEventType },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><IntervalBlocks><IntervalReadings><timeStamp>2026-11-26T00:15:00Z</timeStamp><value>1</value></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>"), RejectReason.UnknownReadingType },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><IntervalBlocks><ReadingType ref=\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><IntervalReadings><value>1</value></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>"), RejectReason.MissingField },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><IntervalBlocks><ReadingType ref=\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><IntervalReadings><timeStamp>2026-11-26T00:15:00Z</timeStamp></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>"), RejectReason.MissingField },
            { Format.Xml, U("<MeterReadings><MeterReading><IntervalBlocks><ReadingType ref=\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><IntervalReadings><timeStamp>2026-11-26T00:15:00Z</timeStamp><value>1</value></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>"), RejectReason.InvalidMeterId },
            { Format.Xml, U("<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><IntervalBlocks><ReadingType ref=\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\"/><IntervalReadings><timeStamp>2026-11-26T00:15:00Z</timeStamp><value><![CDATA[NaN]]></value></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>"), RejectReason.InvalidNumber },
            { Format.Csv, U("a,b\n"), RejectReason.MalformedLine },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,15,1,V,kWh,extra\n"), RejectReason.MalformedLine },
            { Format.Csv, U("\"M1\",AI,2026-11-26T00:00:00Z,15,1,V\n"), RejectReason.MalformedLine },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,15,1," + new string('V', 2000) + "\n"), RejectReason.MalformedLine },
            { Format.Csv, [0x4D, 0x31, 0x2C, 0xC3, 0x28, 0x0A], RejectReason.InvalidEncoding },
            { Format.Csv, [0xFF, 0xFE, 0x4D, 0x00], RejectReason.InvalidEncoding },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,20,1,V\n"), RejectReason.InvalidIntervalLength },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,-15,1,V\n"), RejectReason.InvalidIntervalLength },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,99999999999999,1,V\n"), RejectReason.InvalidIntervalLength },
            { Format.Csv, U("M1,0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0,2026-11-26T00:00:00Z,30,1,V\n"), RejectReason.InvalidIntervalLength },
            { Format.Csv, U("M1,AI,2026-11-26T00:00:00Z,15,1,V,MWh\n"), RejectReason.InvalidUnit },
            { Format.Csv, U("M1,0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0,2026-11-26T00:00:00Z,15,1,V,kvarh\n"), RejectReason.InvalidUnit },
            { Format.Csv, U("M1\0,AI,2026-11-26T00:00:00Z,15,1,V\n"), RejectReason.InvalidMeterId },
            { Format.Csv, U("M1,XX,2026-11-26T00:00:00Z,15,1,V\n"), RejectReason.UnknownReadingType },
            { Format.Csv, U("\r\r\r\n"), RejectReason.MalformedLine },
            { Format.Csv, U(",,,,,\n"), RejectReason.InvalidIntervalLength },
        };
    }

    [Theory]
    [MemberData(nameof(WholeDocumentCases))]
    public void Parse_HostileDocument_RejectedWithReason(Format format, byte[] document, RejectReason expected)
    {
        MeterReadingBatch batch = Parse(format, document);

        Assert.Empty(batch.Intervals);
        Assert.Empty(batch.Registers);
        Assert.Empty(batch.Events);
        Assert.Equal(expected, Assert.Single(batch.Rejected).Reason);
    }

    [Fact]
    public void ParseXml_DeeplyNestedElements_RejectedQuickly()
    {
        string xml = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        MeterReadingBatch batch = MeterReadingsXmlParser.Parse(xml);

        Assert.Empty(batch.Intervals);
        Assert.Equal(RejectReason.TooDeeplyNested, Assert.Single(batch.Rejected).Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
    }

    [Theory]
    [InlineData(Format.Csv)]
    [InlineData(Format.Xml)]
    [InlineData(Format.Json)]
    public void Parse_StringWithLoneSurrogate_NeverThrows(Format format)
    {
        string document = OneInterval(format, meter: "M\uD800");

        MeterReadingBatch batch = format switch
        {
            Format.Csv => CsvReadingParser.Parse(document),
            Format.Xml => MeterReadingsXmlParser.Parse(document),
            _ => MeterReadingsJsonParser.Parse(document),
        };

        Assert.Empty(batch.Intervals);
        Assert.NotEmpty(batch.Rejected);
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool Parse_ArbitraryBytes_NeverThrowsAndRejectsNonDocuments(byte[] data)
    {
        MeterReadingBatch csv = CsvReadingParser.Parse(data);
        MeterReadingBatch xml = MeterReadingsXmlParser.Parse(data);
        MeterReadingBatch json = MeterReadingsJsonParser.Parse(data);

        // Random bytes are never a valid XML or JSON MeterReadings document; CSV lines are judged one by one.
        return xml.Rejected.Count == 1 && json.Rejected.Count == 1 && xml.Intervals.Count == 0 && json.Intervals.Count == 0
            && csv.Intervals.Count + csv.Rejected.Count <= data.Count(b => b == (byte)'\n') + 1;
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool Parse_ValidDocumentWithOneByteFlipped_OutputStaysNormalised(int position, byte value)
    {
        bool normalised = true;
        foreach (Format format in Enum.GetValues<Format>())
        {
            byte[] document = Encoding.UTF8.GetBytes(OneInterval(format));
            document[Math.Abs(position % document.Length)] = value;
            MeterReadingBatch batch = Parse(format, document);
            normalised &= batch.Intervals.All(r => r.Start.Offset == TimeSpan.Zero && ChinaTime.IsAligned(r.Start, r.IntervalMinutes) && MeterChannels.IsStorable(r.Value));
        }

        return normalised;
    }
}
