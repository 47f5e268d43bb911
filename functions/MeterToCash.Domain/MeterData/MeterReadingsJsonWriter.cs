using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MeterToCash.Domain.MeterData;

/// <summary>
/// Writes the JSON push body read by <see cref="MeterReadingsJsonParser"/>: one MeterReading per meter (first-seen
/// order), one IntervalBlock per (channel, interval length), interval timeStamp = interval END; all instants written
/// as UTC with a 'Z' suffix (no '+' to escape).
/// </summary>
public static class MeterReadingsJsonWriter
{
    /// <summary>Serialises readings and events to UTF-8 JSON.</summary>
    public static byte[] Write(IEnumerable<IntervalReading> intervals, IEnumerable<RegisterReading> registers, IEnumerable<MeterEvent> events)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(registers);
        ArgumentNullException.ThrowIfNull(events);
        var order = new List<string>();
        var byMeter = new Dictionary<string, (List<IntervalReading> I, List<RegisterReading> R, List<MeterEvent> E)>(StringComparer.Ordinal);
        (List<IntervalReading> I, List<RegisterReading> R, List<MeterEvent> E) For(string meter)
        {
            if (!byMeter.TryGetValue(meter, out var lists))
            {
                lists = ([], [], []);
                byMeter[meter] = lists;
                order.Add(meter);
            }

            return lists;
        }

        foreach (IntervalReading r in intervals)
        {
            For(r.Meter.Value).I.Add(r);
        }

        foreach (RegisterReading r in registers)
        {
            For(r.Meter.Value).R.Add(r);
        }

        foreach (MeterEvent e in events)
        {
            For(e.Meter.Value).E.Add(e);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("MeterReading");
            foreach (string meter in order)
            {
                (List<IntervalReading> ints, List<RegisterReading> regs, List<MeterEvent> evs) = byMeter[meter];
                w.WriteStartObject();
                w.WriteStartObject("Meter");
                w.WriteString("mRID", meter);
                w.WriteEndObject();
                WriteBlocks(w, ints);
                WriteRegisters(w, regs);
                WriteEvents(w, evs);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBlocks(Utf8JsonWriter w, List<IntervalReading> readings)
    {
        if (readings.Count == 0)
        {
            return;
        }

        w.WriteStartArray("IntervalBlocks");
        foreach (IGrouping<(MeterChannel Channel, int IntervalMinutes), IntervalReading> block in readings.GroupBy(r => (r.Channel, r.IntervalMinutes)))
        {
            w.WriteStartObject();
            WriteRef(w, "ReadingType", ReadingTypeCodes.ForInterval(block.Key.Channel, block.Key.IntervalMinutes));
            w.WriteStartArray("IntervalReadings");
            foreach (IntervalReading r in block)
            {
                w.WriteStartObject();
                w.WriteString("timeStamp", Format(r.End));
                w.WriteNumber("value", r.Value);
                WriteQuality(w, r.Quality);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteRegisters(Utf8JsonWriter w, List<RegisterReading> readings)
    {
        if (readings.Count == 0)
        {
            return;
        }

        w.WriteStartArray("Readings");
        foreach (RegisterReading r in readings)
        {
            w.WriteStartObject();
            WriteRef(w, "ReadingType", ReadingTypeCodes.ForRegister(r.Channel, r.Band));
            w.WriteString("timeStamp", Format(r.ReadAt));
            w.WriteNumber("value", r.Value);
            if (r.MeterDigits is { } digits)
            {
                w.WriteNumber("meterDigits", digits);
            }

            WriteQuality(w, r.Quality);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteEvents(Utf8JsonWriter w, List<MeterEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        w.WriteStartArray("EndDeviceEvents");
        foreach (MeterEvent e in events)
        {
            w.WriteStartObject();
            WriteRef(w, "EndDeviceEventType", EventCodes.ToCimCode(e.Kind));
            w.WriteString("createdDateTime", Format(e.OccurredAt));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteQuality(Utf8JsonWriter w, ReadingQuality quality)
    {
        if (quality == ReadingQuality.Valid)
        {
            return;
        }

        w.WriteStartArray("ReadingQualities");
        w.WriteStartObject();
        WriteRef(w, "ReadingQualityType", QualityCodes.ToCimCode(quality));
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteRef(Utf8JsonWriter w, string name, string code)
    {
        w.WriteStartObject(name);
        w.WriteString("ref", code);
        w.WriteEndObject();
    }

    private static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
