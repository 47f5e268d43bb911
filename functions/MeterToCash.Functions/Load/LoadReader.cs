using MeterToCash.Domain.Archive;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Archive;
using MeterToCash.Functions.MeterData;
using MeterToCash.Functions.Monitoring;

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
        Task<HashSet<string>> meters = AreaMeters.InServiceAsync(archive, area.Code, day, cancellationToken);
        IReadOnlyList<StoredCurve> stored = await curves.ListAreaDayAsync(area.Code, day, cancellationToken);
        return AreaDayReading.Fold(area, day, await meters, stored.Select(s => s.Curve));
    }

    /// <summary>The transformer area, or null when the network archive has none by that code.</summary>
    public Task<NetworkNode?> AreaAsync(string code, CancellationToken cancellationToken) =>
        archive.FindNodeAsync(NetworkLevel.TransformerArea, code, cancellationToken);

    /// <summary>The whole network (one partition query).</summary>
    public Task<IReadOnlyList<NetworkNode>> NetworkAsync(CancellationToken cancellationToken) => archive.NetworkAsync(cancellationToken);
}
