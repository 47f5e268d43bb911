using System.Diagnostics.Metrics;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>Listens to one instrument of the app's meter and keeps its measurements with their tags (tests run one at a time).</summary>
internal sealed class MetricRecorder : IDisposable
{
    readonly MeterListener listener = new();
    readonly List<(long Value, Dictionary<string, string?> Tags)> measurements = [];

    public MetricRecorder(string instrument)
    {
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == MeterToCashTelemetry.Name && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Dictionary<string, string?> copy = new(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            lock (measurements)
            {
                measurements.Add((value, copy));
            }
        });
        listener.Start();
    }

    /// <summary>Sum of the measurements whose tags include every given pair.</summary>
    public long Sum(params (string Key, string Value)[] tags)
    {
        lock (measurements)
        {
            return measurements.Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out string? v) && v == t.Value)).Sum(m => m.Value);
        }
    }

    public void Dispose() => listener.Dispose();
}
