namespace MeterToCash.Domain.Load;

/// <summary>A meter whose consumption dropped while the area's loss rose.</summary>
/// <param name="Meter">Meter number.</param>
/// <param name="BaselineKwhPerDay">Mean daily kWh over the baseline days it has data for, 3 decimals.</param>
/// <param name="RecentKwhPerDay">Mean daily kWh over the high-loss days it has data for, 3 decimals.</param>
/// <param name="DropShare">1 − recent ÷ baseline, 4 decimals (0.6 = consumption fell by 60 %).</param>
public sealed record SuspectMeter(string Meter, decimal BaselineKwhPerDay, decimal RecentKwhPerDay, decimal DropShare);
