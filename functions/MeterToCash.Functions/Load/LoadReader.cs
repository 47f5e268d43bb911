using MeterToCash.Domain.Archive;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.MeterData;

namespace MeterToCash.Functions.Load;

/// <summary>
/// Reads area-days for load monitoring, line loss and the forecast through the features that own the data: the archive
/// (<see cref="ArchiveStore"/>: the area, its master meter and its in-service meters) and meter data
/// (<see cref="CurveStore.ListAreaDayAsync"/>: one partition query per area-day). An area's load is its low-voltage
/// customers' load (<see cref="ServicePoint.BehindTransformer"/>): what the transformer carries.
/// </summary>
public sealed class LoadReader(ArchiveStore archive, CurveStore curves)
{
    /// <summary>Reads and folds one area-day.</summary>
    public async Task<AreaDayReading> ReadAsync(NetworkNode area, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(area);
        Task<IReadOnlyList<Meter>> meters = CustomerMetersAsync(area.Code, cancellationToken);
        IReadOnlyList<StoredCurve> stored = await curves.ListAreaDayAsync(area.Code, day, cancellationToken);
        return AreaDayReading.Fold(area, day, InServiceOn(await meters, day), stored.Select(s => s.Curve));
    }

    /// <summary>
    /// Reads and folds one area-day with the area's customer meters already read (<see cref="CustomerMetersAsync"/>):
    /// a reader of many days of one area lists the archive once.
    /// </summary>
    public async Task<AreaDayReading> ReadAsync(NetworkNode area, IReadOnlyList<Meter> customerMeters, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(area);
        IReadOnlyList<StoredCurve> stored = await curves.ListAreaDayAsync(area.Code, day, cancellationToken);
        return AreaDayReading.Fold(area, day, InServiceOn(customerMeters, day), stored.Select(s => s.Curve));
    }

    /// <summary>
    /// The customer meters behind the area's transformer, current and removed: the meters of the area's service points
    /// supplied at low voltage (<see cref="ServicePoint.BehindTransformer"/>).
    /// </summary>
    public async Task<IReadOnlyList<Meter>> CustomerMetersAsync(string area, CancellationToken cancellationToken)
    {
        List<Meter> meters = [];
        string? token = null;
        do
        {
            (IReadOnlyList<Customer> customers, token) = await archive.ListAsync(area, null, null, 1000, token, cancellationToken);
            meters.AddRange(customers.SelectMany(c => c.ServicePoints).Where(p => p.AreaCode == area && p.BehindTransformer).SelectMany(p => p.Meters));
        }
        while (token is not null);
        return meters;
    }

    /// <summary>The meters (key form: upper case) of <paramref name="meters"/> in service all of <paramref name="day"/> (install inclusive, removal exclusive).</summary>
    public static HashSet<string> InServiceOn(IEnumerable<Meter> meters, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(meters);
        return new HashSet<string>(meters.Where(m => m.InServiceOn(day)).Select(m => m.MeterNo.Value.ToUpperInvariant()), StringComparer.Ordinal);
    }

    /// <summary>The transformer area, or null when the network archive has none by that code.</summary>
    public Task<NetworkNode?> AreaAsync(string code, CancellationToken cancellationToken) =>
        archive.FindNodeAsync(NetworkLevel.TransformerArea, code, cancellationToken);

    /// <summary>The whole network (one partition query).</summary>
    public Task<IReadOnlyList<NetworkNode>> NetworkAsync(CancellationToken cancellationToken) => archive.NetworkAsync(cancellationToken);
}
