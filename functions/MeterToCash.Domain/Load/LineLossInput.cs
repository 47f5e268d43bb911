namespace MeterToCash.Domain.Load;

/// <summary>What one area-day's line loss is computed from (kWh on the primary side, active import).</summary>
/// <param name="Day">China-local day.</param>
/// <param name="HasMasterMeter">Whether the archive records a master meter (考核表) for the area on that day.</param>
/// <param name="MasterKwh">The master meter's energy of the day (sum of its stored values), or null when it has none.</param>
/// <param name="MasterValues">15-minute values the master meter has for the day (actual or estimated).</param>
/// <param name="CustomerMeters">Customer meters of the area in service all day per the archive.</param>
/// <param name="CustomerValues">15-minute values those meters have for the day (actual or estimated), summed over meters.</param>
/// <param name="CustomersKwh">Energy of those meters for the day, summed.</param>
/// <param name="SlotsPerDay">Expected values per meter and day (96 for 15-minute data).</param>
public sealed record LineLossInput(DateOnly Day, bool HasMasterMeter, decimal? MasterKwh, int MasterValues, int CustomerMeters, int CustomerValues, decimal CustomersKwh, int SlotsPerDay = 96);
