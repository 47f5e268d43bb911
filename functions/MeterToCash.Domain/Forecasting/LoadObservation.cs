namespace MeterToCash.Domain.Forecasting;

/// <summary>One observation of an area's load, as an operator's history file or the meter data gives it.</summary>
/// <param name="Instant">When the observation's interval starts (any offset; it is placed on the China-local 15-minute grid).</param>
/// <param name="Kw">Average active power over the interval, kW; finite and not negative.</param>
/// <param name="TemperatureC">Air temperature at the area's weather station, °C, when known.</param>
public readonly record struct LoadObservation(DateTimeOffset Instant, double Kw, double? TemperatureC);
