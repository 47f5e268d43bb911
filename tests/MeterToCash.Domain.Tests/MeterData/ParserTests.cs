using System.Security;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

public class ParserTests
{
    private const string ActiveImport15 = "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0";
    private const string GoodTimestamp = "2026-11-26T00:15:00+08:00";

    public enum Format
    {
        Csv,
        Xml,
        Json,
    }

    internal static MeterReadingBatch Parse(Format format, string document) => format switch
    {
        Format.Csv => CsvReadingParser.Parse(Encoding.UTF8.GetBytes(document)),
        Format.Xml => MeterReadingsXmlParser.Parse(Encoding.UTF8.GetBytes(document)),
        _ => MeterReadingsJsonParser.Parse(Encoding.UTF8.GetBytes(document)),
    };

    internal static MeterReadingBatch Parse(Format format, byte[] document) => format switch
    {
        Format.Csv => CsvReadingParser.Parse(document),
        Format.Xml => MeterReadingsXmlParser.Parse(document),
        _ => MeterReadingsJsonParser.Parse(document),
    };

    /// <summary>One interval value in the given format. In CSV the timestamp is the interval start, in CIM the end.</summary>
    internal static string OneInterval(Format format, string meter = "M1", string type = ActiveImport15, string timestamp = GoodTimestamp, string value = "0.25", string quality = "1.0.0") => format switch
    {
        Format.Csv => $"{meter},{type},{timestamp},15,{value},{quality}\n",
        Format.Xml => "<?xml version=\"1.0\" encoding=\"utf-8\"?><MeterReadings xmlns=\"http://iec.ch/TC57/2011/MeterReadings#\"><MeterReading>"
            + $"<Meter><mRID>{X(meter)}</mRID></Meter><IntervalBlocks><IntervalReadings><timeStamp>{X(timestamp)}</timeStamp><value>{X(value)}</value>"
            + $"<ReadingQualities><ReadingQualityType ref=\"{X(quality)}\"/></ReadingQualities></IntervalReadings><ReadingType ref=\"{X(type)}\"/></IntervalBlocks>"
            + "</MeterReading></MeterReadings>",
        _ => $"{{\"MeterReading\":[{{\"Meter\":{{\"mRID\":{J(meter)}}},\"IntervalBlocks\":[{{\"ReadingType\":{{\"ref\":{J(type)}}},"
            + $"\"IntervalReadings\":[{{\"timeStamp\":{J(timestamp)},\"value\":{J(value)},\"ReadingQualities\":[{{\"ReadingQualityType\":{{\"ref\":{J(quality)}}}}}]}}]}}]}}]}}",
    };

    private static string X(string s) => SecurityElement.Escape(s);

    private static string J(string s) => JsonSerializer.Serialize(s);

    [Theory]
    [InlineData(Format.Csv, "2026-11-26T00:15:00+08:00")]
    [InlineData(Format.Xml, "2026-11-26T00:00:00+08:00")]
    [InlineData(Format.Json, "2026-11-26T00:00:00+08:00")]
    public void Parse_OneGoodInterval_NormalisesToUtcStart(Format format, string expectedLocalStart)
    {
        MeterReadingBatch batch = Parse(format, OneInterval(format));

        Assert.Empty(batch.Rejected);
        IntervalReading reading = Assert.Single(batch.Intervals);
        Assert.Equal(new IntervalReading(new MeterId("M1"), MeterChannel.ActiveImport, DateTimeOffset.Parse(expectedLocalStart, System.Globalization.CultureInfo.InvariantCulture), 15, 0.25m, EnergyUnit.Kwh, ReadingQuality.Valid), reading);
        Assert.Equal(TimeSpan.Zero, reading.Start.Offset);
    }

    [Theory]
    [InlineData("M1,AI,2026-11-26T00:00:00Z,15,250,V,Wh", MeterChannel.ActiveImport, "0.25", EnergyUnit.Kwh, ReadingQuality.Valid)]
    [InlineData("M1,ae,2026-11-26T00:00:00Z,15,1.5,E", MeterChannel.ActiveExport, "1.5", EnergyUnit.Kwh, ReadingQuality.Estimated)]
    [InlineData("M1,RI,2026-11-26T00:00:00Z,15,2,3.7.0,kvarh", MeterChannel.ReactiveImport, "2", EnergyUnit.Kvarh, ReadingQuality.ManuallyEdited)]
    [InlineData("M1,AI,2026-11-26T00:00:00Z,15,2,1.5.0,kvarh", MeterChannel.ActiveImport, "2", EnergyUnit.Kvarh, ReadingQuality.Questionable)]
    [InlineData("M1,0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.0.72.0,2026-11-26T00:00:00Z,15,1250,,", MeterChannel.ActiveImport, "1.25", EnergyUnit.Kwh, ReadingQuality.Valid)]
    public void ParseCsv_ChannelUnitQualityColumns_Normalise(string line, MeterChannel channel, string value, EnergyUnit unit, ReadingQuality quality)
    {
        IntervalReading reading = Assert.Single(CsvReadingParser.Parse(line).Intervals);

        Assert.Equal((channel, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit, quality), (reading.Channel, reading.Value, reading.Unit, reading.Quality));
    }

    [Fact]
    public void ParseCsv_HeaderCommentsBlankLinesAndBom_AreSkipped()
    {
        string csv = "\uFEFFmeter,readingType,intervalStart,intervalMinutes,value,quality\r\n# exported\r\n\r\nM1,AI,2026-11-26T00:00:00Z,15,1,V\r\nM1,AI,2026-11-26T00:15:00Z,15,x,V\r\n";

        MeterReadingBatch batch = CsvReadingParser.Parse(Encoding.UTF8.GetBytes(csv));

        Assert.Single(batch.Intervals);
        Assert.Equal([new RejectedItem("line 5", RejectReason.InvalidNumber, "M1,AI,2026-11-26T00:15:00Z,15,x,V")], batch.Rejected);
    }

    [Fact]
    public void ParseXml_RegistersAndEventsInEnvelope_AreRead()
    {
        string xml = """
            <CreatedMeterReadings><Payload><MeterReadings xmlns="http://iec.ch/TC57/2016/MeterReadings#">
              <MeterReading><Meter><Names><name>M7</name></Names></Meter>
                <Readings><ReadingType ref="0.0.0.1.1.1.12.0.0.0.0.2.0.0.0.3.72.0"/><timeStamp>2026-11-26T00:00:00+08:00</timeStamp><value>999999.5</value><meterDigits>6</meterDigits></Readings>
                <EndDeviceEvents><EndDeviceEventType ref="3.12.0.257"/><createdDateTime>2026-11-26T01:02:03Z</createdDateTime></EndDeviceEvents>
                <EndDeviceEvents><EndDeviceEventType ref="PowerOff"/><createdDateTime>2026-11-26T01:02:04Z</createdDateTime></EndDeviceEvents>
              </MeterReading>
            </MeterReadings></Payload></CreatedMeterReadings>
            """;

        MeterReadingBatch batch = MeterReadingsXmlParser.Parse(xml);

        Assert.Empty(batch.Rejected);
        Assert.Equal(new RegisterReading(new MeterId("M7"), MeterChannel.ActiveImport, RegisterBand.Peak, new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero), 999999.5m, EnergyUnit.Kwh, ReadingQuality.Valid, 6), Assert.Single(batch.Registers));
        Assert.Equal([MeterEventKind.CoverOpen, MeterEventKind.PowerOff], batch.Events.Select(e => e.Kind));
    }

    [Fact]
    public void ParseXml_TimePeriodStartAndEnd_UsedAndChecked()
    {
        string Doc(string end) => $"<MeterReadings><MeterReading><Meter><mRID>M1</mRID></Meter><IntervalBlocks><ReadingType ref=\"{ActiveImport15}\"/>"
            + $"<IntervalReadings><timePeriod><start>2026-11-26T00:00:00Z</start><end>{end}</end></timePeriod><value>1</value></IntervalReadings></IntervalBlocks></MeterReading></MeterReadings>";

        Assert.Single(MeterReadingsXmlParser.Parse(Doc("2026-11-26T00:15:00Z")).Intervals);
        Assert.Equal(RejectReason.InvalidIntervalLength, Assert.Single(MeterReadingsXmlParser.Parse(Doc("2026-11-26T00:30:00Z")).Rejected).Reason);
    }

    [Fact]
    public void ParseJson_MixedGoodAndBadItems_KeepsGoodAndReportsPositions()
    {
        string json = $$"""
            {"MeterReading":[
              {"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":{"ref":"{{ActiveImport15}}"},"IntervalReadings":[
                {"timeStamp":"2026-11-26T00:15:00+08:00","value":0.25},
                {"timeStamp":"2026-11-26T00:30:00+08:00","value":"abc"},
                {"timeStamp":"2026-11-26T00:45:00+08:00","value":1e400},
                {"timeStamp":"2026-11-26T01:00:00+08:00"}]}]},
              42,
              {"Meter":{"mRID":"bad meter"},"EndDeviceEvents":[{"EndDeviceEventType":{"ref":"3.26.0.85"},"createdDateTime":"2026-11-26T00:00:00Z"}]}
            ]}
            """;

        MeterReadingBatch batch = MeterReadingsJsonParser.Parse(json);

        Assert.Single(batch.Intervals);
        Assert.Equal(
            [
                ("$.MeterReading[0].IntervalBlocks[0].IntervalReadings[1]", RejectReason.InvalidNumber),
                ("$.MeterReading[0].IntervalBlocks[0].IntervalReadings[2]", RejectReason.NumberOutOfRange),
                ("$.MeterReading[0].IntervalBlocks[0].IntervalReadings[3]", RejectReason.MissingField),
                ("$.MeterReading[1]", RejectReason.MissingField),
                ("$.MeterReading[2].EndDeviceEvents[0]", RejectReason.InvalidMeterId),
            ],
            batch.Rejected.Select(r => (r.Position, r.Reason)));
    }

    [Fact]
    public void Parse_SameReadingsThroughEveryEntryPoint_GiveSameReadings()
    {
        IntervalReading[] readings = Enumerable.Range(0, 96)
            .Select(s => new IntervalReading(new MeterId("M" + (s % 3)), (MeterChannel)(s % 4), TestData.DayStart.AddMinutes(15 * s), 15, s * 0.0125m, MeterChannels.UnitOf((MeterChannel)(s % 4)), (ReadingQuality)(s % 4)))
            .ToArray();
        string csv = CsvReadingParser.Write(readings);
        byte[] json = MeterReadingsJsonWriter.Write(readings, [], []);
        string xml = "<MeterReadings>" + string.Concat(readings.Select(r =>
            $"<MeterReading><Meter><mRID>{r.Meter}</mRID></Meter><IntervalBlocks><ReadingType ref=\"{ReadingTypeCodes.ForInterval(r.Channel, 15)}\"/><IntervalReadings>"
            + $"<timePeriod><start>{r.Start:yyyy-MM-ddTHH:mm:ssZ}</start></timePeriod><value>{r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}</value>"
            + $"<ReadingQualities><ReadingQualityType ref=\"{QualityCodes.ToCimCode(r.Quality)}\"/></ReadingQualities></IntervalReadings></IntervalBlocks></MeterReading>")) + "</MeterReadings>";

        static IEnumerable<IntervalReading> Sorted(MeterReadingBatch b) => b.Intervals.OrderBy(r => r.Start);

        Assert.Equal(readings, Sorted(CsvReadingParser.Parse(csv)));
        Assert.Equal(readings, Sorted(MeterReadingsJsonParser.Parse(json)));
        Assert.Equal(readings, Sorted(MeterReadingsXmlParser.Parse(xml)));
    }

    [Fact]
    public void ParseJson_WriterOutputWithRegistersAndEvents_RoundTrips()
    {
        var meter = new MeterId("M9");
        RegisterReading[] registers = [new(meter, MeterChannel.ActiveExport, RegisterBand.Valley, TestData.DayStart, 12.5m, EnergyUnit.Kwh, ReadingQuality.Valid, 8)];
        MeterEvent[] events = Enum.GetValues<MeterEventKind>().Select(k => new MeterEvent(meter, k, TestData.DayStart, EventCodes.ToCimCode(k))).ToArray();

        MeterReadingBatch batch = MeterReadingsJsonParser.Parse(MeterReadingsJsonWriter.Write([], registers, events));

        Assert.Equal(registers, batch.Registers);
        Assert.Equal(events, batch.Events);
    }

    [Fact]
    public void Parse_TooManyItems_StopsWithOneRejection()
    {
        string csv = string.Concat(Enumerable.Range(0, 10).Select(i => $"M1,AI,2026-11-26T00:{(i % 4) * 15:00}:00Z,15,1,V\n"));

        MeterReadingBatch batch = CsvReadingParser.Parse(csv, new ParserLimits { MaxItems = 3 });

        Assert.Equal(3, batch.Intervals.Count);
        Assert.Equal(RejectReason.TooManyItems, Assert.Single(batch.Rejected).Reason);
    }

    [Theory]
    [InlineData(Format.Csv)]
    [InlineData(Format.Xml)]
    [InlineData(Format.Json)]
    public void Parse_DocumentOverSizeLimit_RejectedWhole(Format format)
    {
        var limits = new ParserLimits { MaxBytes = 10 };
        string document = OneInterval(format);

        MeterReadingBatch batch = format switch
        {
            Format.Csv => CsvReadingParser.Parse(document, limits),
            Format.Xml => MeterReadingsXmlParser.Parse(document, limits),
            _ => MeterReadingsJsonParser.Parse(document, limits),
        };

        Assert.Equal(new RejectedItem("document", RejectReason.TooLarge, string.Empty), Assert.Single(batch.Rejected));
        Assert.Empty(batch.Intervals);
    }
}
