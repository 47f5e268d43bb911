using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Load;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Functions.Load;

/// <summary>
/// One area-day of active-import 15-minute data as load monitoring and line loss need it, folded from the area's stored
/// day curves: the customers' energy per interval and per meter, and the master meter's. Curves of other channels or
/// interval lengths are left out (spreading them over the grid would invent a profile).
/// </summary>
/// <param name="Area">Transformer area code.</param>
/// <param name="Day">China-local day.</param>
/// <param name="CustomerKwh">Per interval: Σ customers' kWh, null when no customer meter has the interval.</param>
/// <param name="CustomerMetersPerSlot">Per interval: customer meters with a value.</param>
/// <param name="MeterKwh">Per customer meter (key form): its energy of the day (kWh).</param>
/// <param name="CustomerMeters">Customer meters expected: the low-voltage meters in service all day per the archive.</param>
/// <param name="CustomerValues">Values the customer meters have that count (see <see cref="Counts"/>).</param>
/// <param name="HasMasterMeter">Whether the archive names a master meter installed by the day.</param>
/// <param name="MasterKwh">Master meter energy of the day (kWh), null without a stored curve.</param>
/// <param name="MasterValues">Values the master meter has that count (see <see cref="Counts"/>).</param>
public sealed record AreaDayReading(
    string Area,
    DateOnly Day,
    decimal?[] CustomerKwh,
    int[] CustomerMetersPerSlot,
    IReadOnlyDictionary<string, decimal> MeterKwh,
    int CustomerMeters,
    int CustomerValues,
    bool HasMasterMeter,
    decimal? MasterKwh,
    int MasterValues)
{
    /// <summary>Intervals per day on the 15-minute grid.</summary>
    public const int Slots = 96;

    /// <summary>Σ customers' kWh of the day.</summary>
    public decimal CustomersKwh => MeterKwh.Values.Sum();

    /// <summary>The line-loss calculator's input.</summary>
    public LineLossInput LineLossInput => new(Day, HasMasterMeter, MasterKwh, MasterValues, CustomerMeters, CustomerValues, CustomersKwh, Slots);

    /// <summary>Folds the area's stored curves of the day. Pure: the benchmark and the tests call it on curves in memory.</summary>
    /// <param name="area">The area as the archive has it (its master meter, if any).</param>
    /// <param name="day">The day.</param>
    /// <param name="inServiceMeters">Customer meters (key form) behind the transformer, in service all day; curves of other meters (10 kV customers, meters not in service) are left out.</param>
    /// <param name="curves">The area-day's curves, every channel and meter.</param>
    public static AreaDayReading Fold(NetworkNode area, DateOnly day, IReadOnlySet<string> inServiceMeters, IEnumerable<DayCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(inServiceMeters);
        ArgumentNullException.ThrowIfNull(curves);
        string? master = area.MasterMeter is { } m && m.InstallDate <= day ? m.MeterNo.Value : null;
        var perSlot = new decimal?[Slots];
        var metersPerSlot = new int[Slots];
        Dictionary<string, decimal> meterKwh = new(StringComparer.Ordinal);
        int customerValues = 0, masterValues = 0;
        decimal? masterKwh = null;
        foreach (DayCurve curve in curves)
        {
            if (curve.Channel != MeterChannel.ActiveImport || curve.IntervalMinutes != 15)
            {
                continue;
            }

            ReadOnlySpan<CurveSlot> slots = curve.Slots;
            if (string.Equals(curve.Meter.Value, master, StringComparison.OrdinalIgnoreCase))
            {
                decimal total = 0;
                for (int s = 0; s < slots.Length; s++)
                {
                    if (Counts(slots[s]))
                    {
                        total += slots[s].Value;
                        masterValues++;
                    }
                }

                masterKwh = (masterKwh ?? 0) + total;
                continue;
            }

            string key = curve.Meter.Value.ToUpperInvariant();
            if (!inServiceMeters.Contains(key))
            {
                continue;
            }

            decimal kwh = 0;
            for (int s = 0; s < slots.Length; s++)
            {
                if (Counts(slots[s]))
                {
                    perSlot[s] = (perSlot[s] ?? 0) + slots[s].Value;
                    metersPerSlot[s]++;
                    kwh += slots[s].Value;
                    customerValues++;
                }
            }

            meterKwh[key] = meterKwh.GetValueOrDefault(key) + kwh;
        }

        return new AreaDayReading(area.Code, day, perSlot, metersPerSlot, meterKwh, inServiceMeters.Count, customerValues, master is not null, masterKwh, masterValues);
    }

    /// <summary>Whether a stored value feeds load and line loss (<see cref="CurveSlot.CountsTowardLoad"/>).</summary>
    public static bool Counts(CurveSlot slot) => slot.CountsTowardLoad;
}
