namespace MeterToCash.Domain.Load;

/// <summary>One interval of an area's (or feeder's) load.</summary>
/// <param name="Slot">Interval index of the China-local day, 0-based (slot 0 starts at 00:00).</param>
/// <param name="Kwh">Energy of the interval in kWh (primary side), or null when no meter reported it.</param>
/// <param name="Kw">Average load in kW over the interval (kWh × 60 ÷ interval minutes), 3 decimals, or null.</param>
/// <param name="Rate">Load rate as a share of the capacity in kW (0.8123 = 81.23 %), 4 decimals, or null.</param>
public readonly record struct LoadRatePoint(int Slot, decimal? Kwh, decimal? Kw, decimal? Rate);
