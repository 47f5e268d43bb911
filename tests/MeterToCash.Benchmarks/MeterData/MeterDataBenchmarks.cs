using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Benchmarks.MeterData;

/// <summary>
/// The per-delivery hot path of ingestion: parse a push body of 100 meters × 96 values, validate each series, merge
/// into day curves and encode them. Divide the mean by 9,600 for the cost per interval value.
/// </summary>
[MemoryDiagnoser]
public class MeterDataBenchmarks
{
    private static readonly DateOnly Day = new(2026, 11, 2);
    private byte[] _json = [];
    private IntervalReading[] _readings = [];
    private DayCurve[] _curves = [];
    private CurveUpdate[] _updates = [];
    private byte[] _encoded = [];

    /// <summary>Builds the inputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        DateTimeOffset start = ChinaTime.DayStart(Day);
        _readings = Enumerable.Range(0, 100).SelectMany(m => Enumerable.Range(0, 96).Select(s =>
            new IntervalReading(new MeterId($"M{m:D5}"), MeterChannel.ActiveImport, start.AddMinutes(15 * s), 15, 0.1m + (s * 0.003m), EnergyUnit.Kwh, ReadingQuality.Valid))).ToArray();
        _json = MeterReadingsJsonWriter.Write(_readings, [], []);
        _updates = Enumerable.Range(0, 96).Select(s => new CurveUpdate(s, 0.1m + (s * 0.003m), ReadingQuality.Valid)).ToArray();
        _curves = Enumerable.Range(0, 100).Select(m => DayCurve.Empty(new MeterId($"M{m:D5}"), MeterChannel.ActiveImport, Day, 15)).ToArray();
        _encoded = _curves[0].Merge(_updates).Curve.Encode();
    }

    /// <summary>JSON push body → normalised readings (the streaming fast path, as ingestion runs it).</summary>
    [Benchmark]
    public int ParseJson() => MeterReadingsJsonParser.Parse(_json).Intervals.Count;

    /// <summary>Baseline: the same body through the document-tree parse alone (the parser before the fast path, and its fallback).</summary>
    [Benchmark]
    public int ParseJsonTree() => MeterReadingsJsonParser.ParseTree(_json, ParserLimits.Default).Intervals.Count;

    /// <summary>VEE over 100 series of 96 values without history.</summary>
    [Benchmark]
    public int Validate()
    {
        int accepted = 0;
        for (int m = 0; m < 100; m++)
        {
            var series = new ArraySegment<IntervalReading>(_readings, m * 96, 96);
            var archive = new MeterArchiveEntry(series[0].Meter, "A1", DateTimeOffset.UnixEpoch, null);
            var context = new IntervalSeriesContext(archive, MeterChannel.ActiveImport, ChinaTime.DayStart(Day).AddDays(1), [], VeeOptions.Default);
            foreach (ValidatedInterval v in IntervalValidator.Validate(series, context))
            {
                accepted += v.Disposition == ValueDisposition.Accepted ? 1 : 0;
            }
        }

        return accepted;
    }

    /// <summary>Merge a full day into 100 empty curves and encode each.</summary>
    [Benchmark]
    public int MergeAndEncode()
    {
        int bytes = 0;
        Span<MergeOutcome> outcomes = stackalloc MergeOutcome[96];
        foreach (DayCurve curve in _curves)
        {
            bytes += curve.Merge(_updates, outcomes).Encode().Length;
        }

        return bytes;
    }

    /// <summary>Decode a stored curve, merge a replay of the same values (no change), as on redelivery.</summary>
    [Benchmark]
    public bool DecodeAndReplay()
    {
        DayCurve.TryDecode(new MeterId("M00000"), MeterChannel.ActiveImport, Day, _encoded, out DayCurve? curve);
        Span<MergeOutcome> outcomes = stackalloc MergeOutcome[96];
        return ReferenceEquals(curve, curve!.Merge(_updates, outcomes));
    }
}
