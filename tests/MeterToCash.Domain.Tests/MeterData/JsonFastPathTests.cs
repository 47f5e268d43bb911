using System.Globalization;
using System.Text;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Domain.Tests.MeterData;

/// <summary>
/// The streaming fast path of the JSON parser must either give up or give exactly what the document-tree parse gives.
/// </summary>
public class JsonFastPathTests
{
    private static readonly ParserLimits Limits = ParserLimits.Default;

    private static readonly MeterChannel[] Channels = [MeterChannel.ActiveImport, MeterChannel.ActiveExport, MeterChannel.ReactiveImport, MeterChannel.ReactiveExport];

    private static readonly ReadingQuality[] Qualities = [ReadingQuality.Valid, ReadingQuality.Valid, ReadingQuality.Questionable, ReadingQuality.Estimated];

    /// <summary>Random readings, registers and events of a few meters, as a head-end would send them.</summary>
    private static (List<IntervalReading> Intervals, List<RegisterReading> Registers, List<MeterEvent> Events) Readings(int seed)
    {
        var random = new Random(seed);
        var day = new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero); // 2026-11-26 00:00 China time
        List<IntervalReading> intervals = [];
        List<RegisterReading> registers = [];
        List<MeterEvent> events = [];
        int meters = random.Next(1, 5);
        for (int m = 0; m < meters; m++)
        {
            var meter = new MeterId(string.Create(CultureInfo.InvariantCulture, $"31{random.Next(0, 99_999_999):D8}"));
            foreach (MeterChannel channel in Channels.Take(random.Next(1, 3)))
            {
                int minutes = random.Next(3) switch { 0 => 15, 1 => 30, _ => 60 };
                int first = random.Next(0, 20);
                for (int i = first; i < first + random.Next(0, 12); i++)
                {
                    decimal value = decimal.Round((decimal)random.NextDouble() * random.Next(1, 5000), random.Next(0, 5));
                    intervals.Add(new IntervalReading(meter, channel, day.AddMinutes(i * minutes), minutes, value, MeterChannels.UnitOf(channel), Qualities[random.Next(Qualities.Length)]));
                }
            }

            if (random.Next(2) == 0)
            {
                registers.Add(new RegisterReading(meter, MeterChannel.ActiveImport, (RegisterBand)random.Next(0, 5), day, random.Next(0, 999_999) + 0.25m, EnergyUnit.Kwh, ReadingQuality.Valid, random.Next(2) == 0 ? 6 : null));
            }

            if (random.Next(3) == 0)
            {
                events.Add(new MeterEvent(meter, MeterEventKind.PowerOff, day.AddMinutes(random.Next(0, 1440)), EventCodes.ToCimCode(MeterEventKind.PowerOff)));
            }
        }

        return (intervals, registers, events);
    }

    private static byte[] Canonical(int seed)
    {
        (List<IntervalReading> intervals, List<RegisterReading> registers, List<MeterEvent> events) = Readings(seed);
        return MeterReadingsJsonWriter.Write(intervals, registers, events);
    }

    /// <summary>Every observable part of a batch, values with their decimal scale and instants with their offset.</summary>
    private static string Describe(MeterReadingBatch batch) => string.Join(
        "\n",
        batch.Intervals.Select(r => $"I {r} {r.Start.UtcTicks} {r.Start.Offset} {r.Value.Scale}")
            .Concat(batch.Registers.Select(r => $"R {r} {r.ReadAt.UtcTicks} {r.Value.Scale}"))
            .Concat(batch.Events.Select(e => $"E {e} {e.OccurredAt.UtcTicks}"))
            .Concat(batch.Rejected.Select(r => $"X {r}")));

    /// <summary>Null when the fast path gave up (fine), otherwise whether it agrees with the tree parse.</summary>
    private static bool? Agrees(byte[] document)
    {
        if (!System.Text.Unicode.Utf8.IsValid(document))
        {
            return null; // never reaches either parse
        }

        MeterReadingBatch? fast = MeterReadingsJsonFastPath.TryParse(document, Limits);
        return fast is null ? null : Describe(fast) == Describe(MeterReadingsJsonParser.ParseTree(document, Limits));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool TryParse_CanonicalDocument_TakesFastPathAndMatchesTreeParse(int seed) => Agrees(Canonical(seed)) == true;

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool TryParse_CanonicalDocument_KeepsEveryValueAsWritten(int seed)
    {
        (List<IntervalReading> intervals, List<RegisterReading> registers, List<MeterEvent> events) = Readings(seed);
        MeterReadingBatch? batch = MeterReadingsJsonFastPath.TryParse(MeterReadingsJsonWriter.Write(intervals, registers, events), Limits);

        // The writer groups by meter, then block: the same values, maybe in another order.
        return batch is not null
            && batch.Intervals.Order(IntervalOrder.Instance).SequenceEqual(intervals.Order(IntervalOrder.Instance))
            && batch.Registers.Count == registers.Count && batch.Events.Count == events.Count;
    }

    private static readonly string[] Insertions =
    [
        "\"value\":1,", "\"value\":\"1\",", "\"timeStamp\":\"2026-11-26T00:15:00Z\",", "\"x\":{\"a\":[1,{\"b\":null}]},", "\"ReadingQualities\":[],",
        "\"ReadingQualities\":[{\"ReadingQualityType\":\"1.0.0\"}],", "\"timePeriod\":{\"start\":\"2026-11-26T00:00:00Z\"},", "\"Meter\":{\"mRID\":\"M2\"},",
        "\"mRID\":\"M3\",", "\"ref\":\"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",", "\"ReadingType\":\"0.0.4.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0\",", "\"meterDigits\":7,",
        "\\u0041", "\\\"", "1e3", "0.10", "-0", "+08:00", "Z", " ", "\n", "[]", "{}", ",", "null", "true",
    ];

    private const string JsonChars = "{}[]\",:0123456789.eE-+TZ \\ux";

    /// <summary>A canonical document with one byte changed, a range cut out or a fragment inserted somewhere.</summary>
    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public bool TryParse_MutatedDocument_GivesUpOrMatchesTreeParse(int seed, int where, int what)
    {
        byte[] document = Canonical(seed);
        int at = Math.Abs(where % document.Length);
        byte[] mutated = Math.Abs(what % 3) switch
        {
            0 => [.. document[..at], (byte)JsonChars[Math.Abs(what % JsonChars.Length)], .. document[(at + 1)..]],
            1 => [.. document[..at], .. document[Math.Min(document.Length, at + 1 + Math.Abs(what % 8))..]],
            _ => [.. document[..at], .. Encoding.UTF8.GetBytes(Insertions[Math.Abs(what % Insertions.Length)]), .. document[at..]],
        };

        return Agrees(mutated) is null or true;
    }

    private const string TwoValues = """{"MeterReading":[{"Meter":{"mRID":"M1","name":"x"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","extra":[1,2],"IntervalReadings":[{"timeStamp":"2026-11-26T00:15:00+08:00","value":2.50E-1},{"value":0.100,"timeStamp":"2026-11-26T00:30:00+08:00","ReadingQualities":[{"ReadingQualityType":"3.8.0"}]}]}]}]}""";

    public static TheoryData<string> Variants() =>
    [
        // Timestamps with an offset, exponent and trailing-zero numbers, refs as plain strings, unknown properties, whitespace.
        TwoValues,
        """ { "MeterReading" : [ { "Meter" : { "mRID" : "m1" } , "IntervalBlocks" : [ { "ReadingType" : { "ref" : "0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0" } , "IntervalReadings" : [ { "timeStamp" : "2026-11-25T16:15:00Z" , "value" : 12 } ] } ] } ] , "header" : { "source" : "HES-1" } } """,
        $$"""{"MeterReading":[{"Meter":{"mRID":"M1"},"Readings":[{"ReadingType":{"ref":"{{ReadingTypeCodes.ForRegister(MeterChannel.ActiveImport, RegisterBand.Peak)}}"},"timeStamp":"2026-11-26T00:00:00+08:00","value":1234.5,"meterDigits":6}],"EndDeviceEvents":[{"EndDeviceEventType":{"ref":"3.26.0.85"},"createdDateTime":"2026-11-26T03:00:00+08:00"}]}]}""",
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public void TryParse_VariantOfCanonicalShape_MatchesTreeParse(string json)
    {
        byte[] document = Encoding.UTF8.GetBytes(json);

        MeterReadingBatch tree = MeterReadingsJsonParser.ParseTree(document, Limits);
        MeterReadingBatch? fast = MeterReadingsJsonFastPath.TryParse(document, Limits);

        Assert.NotNull(fast);
        Assert.Empty(tree.Rejected);
        Assert.Equal(Describe(tree), Describe(fast));
    }

    public static TheoryData<string, string> GiveUpCases() => new()
    {
        { "value given as text", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timeStamp":"2026-11-25T16:15:00Z","value":"0.25"}]}]}]}""" },
        { "value repeated (the tree parse takes the last)", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timeStamp":"2026-11-25T16:15:00Z","value":1,"value":2}]}]}]}""" },
        { "meter after its blocks", """{"MeterReading":[{"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timeStamp":"2026-11-25T16:15:00Z","value":1}]}],"Meter":{"mRID":"M1"}}]}""" },
        { "reading type after the values", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"IntervalReadings":[{"timeStamp":"2026-11-25T16:15:00Z","value":1}],"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0"}]}]}""" },
        { "escaped timestamp", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timeStamp":"2026-11-25T16:15:00\u005A","value":1}]}]}]}""" },
        { "timePeriod", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timePeriod":{"start":"2026-11-25T16:00:00Z"},"timeStamp":"2026-11-25T16:15:00Z","value":1}]}]}]}""" },
        { "a value to reject (misaligned)", """{"MeterReading":[{"Meter":{"mRID":"M1"},"IntervalBlocks":[{"ReadingType":"0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0","IntervalReadings":[{"timeStamp":"2026-11-25T16:16:00Z","value":1}]}]}]}""" },
        { "trailing content", """{"MeterReading":[]} {}""" },
        { "no MeterReading", """{"Readings":[]}""" },
    };

    [Theory]
    [MemberData(nameof(GiveUpCases))]
    public void TryParse_OutsideCanonicalShape_GivesUpAndParseStillAnswers(string why, string json)
    {
        byte[] document = Encoding.UTF8.GetBytes(json);

        MeterReadingBatch? fast = MeterReadingsJsonFastPath.TryParse(document, Limits);
        MeterReadingBatch parsed = MeterReadingsJsonParser.Parse(document);

        Assert.True(fast is null, why);
        Assert.Equal(Describe(MeterReadingsJsonParser.ParseTree(document, Limits)), Describe(parsed));
    }

    [Fact]
    public void TryParse_MoreItemsThanTheLimit_GivesUpSoTheLimitIsReported()
    {
        byte[] document = Encoding.UTF8.GetBytes(TwoValues);
        var limits = new ParserLimits { MaxItems = 1 };

        Assert.Null(MeterReadingsJsonFastPath.TryParse(document, limits));
        Assert.Contains(MeterReadingsJsonParser.Parse(document, limits).Rejected, r => r.Reason == RejectReason.TooManyItems);
    }

    private sealed class IntervalOrder : IComparer<IntervalReading>
    {
        public static readonly IntervalOrder Instance = new();

        public int Compare(IntervalReading x, IntervalReading y) =>
            (string.CompareOrdinal(x.Meter.Value, y.Meter.Value), x.Channel.CompareTo(y.Channel), x.Start.CompareTo(y.Start)) switch
            {
                (not 0 and var c, _, _) => c,
                (_, not 0 and var c, _) => c,
                (_, _, var c) => c,
            };
    }
}
