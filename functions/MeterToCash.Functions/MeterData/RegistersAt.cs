using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.MeterData;

/// <summary>A request for a meter's register reads at one instant (<see cref="RegisterStore.AtManyAsync"/>).</summary>
/// <param name="AreaCode">The transformer area the meter's reads are filed under (its service point's area).</param>
/// <param name="Meter">The meter.</param>
/// <param name="Registers">The registers wanted (the meter's archive flags); reads of other registers are left out.</param>
/// <param name="ReadAt">The instant, UTC; at a China-local midnight the frozen-read copy is read first.</param>
public sealed record RegistersAt(string AreaCode, MeterId Meter, IReadOnlyList<(MeterChannel Channel, RegisterBand Band)> Registers, DateTimeOffset ReadAt);
