using MeterToCash.Domain.Archive;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Load;

/// <summary>
/// Reads area-days for load monitoring and line loss through the features that own the data: the archive
/// (<see cref="ArchiveStore"/>: the area, its master meter and its in-service meters) and meter data
/// (<see cref="CurveStore.ListAreaDayAsync"/>: one partition query per area-day).
/// </summary>
public sealed class LoadReader(ArchiveStore archive, CurveStore curves)
{
    /// <summary>Reads and folds one area-day.</summary>
    public async Task<AreaDayReading> ReadAsync(NetworkNode area, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(area);
        Task<HashSet<string>> meters = LowVoltageMetersAsync(area.Code, day, cancellationToken);
        IReadOnlyList<StoredCurve> stored = await curves.ListAreaDayAsync(area.Code, day, cancellationToken);
        return AreaDayReading.Fold(area, day, await meters, stored.Select(s => s.Curve));
    }

    /// <summary>
    /// The customer meters (key form) behind the area's transformer on <paramref name="day"/>: meters of the area's
    /// service points supplied at low voltage (≤ <see cref="LowVoltageKv"/>), in service all day (install inclusive,
    /// removal exclusive). A customer supplied at 10 kV and above is filed under an area but fed from the feeder, not
    /// through the transformer: its energy is neither the transformer's load nor seen by the master meter.
    /// </summary>
    public async Task<HashSet<string>> LowVoltageMetersAsync(string area, DateOnly day, CancellationToken cancellationToken)
    {
        HashSet<string> meters = new(StringComparer.Ordinal);
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> customers, token) = await archive.ListAsync(area, null, null, 1000, token, cancellationToken);
            foreach (ServicePoint point in customers.SelectMany(c => c.ServicePoints).Where(p => p.AreaCode == area && p.SupplyVoltageKv <= LowVoltageKv))
            {
                foreach (Meter meter in point.Meters.Where(m => m.InServiceOn(day)))
                {
                    meters.Add(meter.MeterNo.Value.ToUpperInvariant());
                }
            }
        }
        while (token is not null);
        return meters;
    }

    /// <summary>Highest supply voltage (kV) of a customer behind a distribution transformer: 0.22 and 0.38 kV are; 10 kV is not.</summary>
    public const decimal LowVoltageKv = 1m;

    /// <summary>The transformer area, or null when the network archive has none by that code.</summary>
    public Task<NetworkNode?> AreaAsync(string code, CancellationToken cancellationToken) =>
        archive.FindNodeAsync(NetworkLevel.TransformerArea, code, cancellationToken);

    /// <summary>The whole network (one partition query).</summary>
    public Task<IReadOnlyList<NetworkNode>> NetworkAsync(CancellationToken cancellationToken) => archive.NetworkAsync(cancellationToken);
}
