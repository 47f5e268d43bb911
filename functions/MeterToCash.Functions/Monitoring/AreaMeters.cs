using MeterToCash.Domain.Archive;
using MeterToCash.Functions.Archive;

namespace MeterToCash.Functions.Monitoring;

/// <summary>The meters of a transformer area as the archive has them, for area-level monitoring and statistics.</summary>
public static class AreaMeters
{
    /// <summary>
    /// Meter numbers (key form, upper case) in service for the whole China-local <paramref name="day"/>: installed on or
    /// before it and not removed by its end (removal is exclusive). Only service points of the area count, since an
    /// account's other service points may hang on another transformer.
    /// </summary>
    public static async Task<HashSet<string>> InServiceAsync(ArchiveStore archive, string area, DateOnly day, CancellationToken cancellationToken)
    {
        HashSet<string> meters = new(StringComparer.Ordinal);
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> customers, token) = await archive.ListAsync(area, null, null, 1000, token, cancellationToken);
            foreach (ServicePoint point in customers.SelectMany(c => c.ServicePoints).Where(p => p.AreaCode == area))
            {
                foreach (Meter meter in point.Meters.Where(m => m.InstallDate <= day && (m.RemovalDate is null || m.RemovalDate > day)))
                {
                    meters.Add(meter.MeterNo.Value.ToUpperInvariant());
                }
            }
        }
        while (token is not null);
        return meters;
    }
}
