namespace MeterToCash.Domain.Common;

/// <summary>
/// A time-of-use price band (分时电价时段). Which band an instant falls in is decided by the tariff's
/// <see cref="Tariffs.TouSchedule"/>, not here. The numeric values index <see cref="Tariffs.BandEnergy"/> and
/// <see cref="Tariffs.BandPrices"/>, so they must not change.
/// </summary>
public enum TouBand
{
    /// <summary>Critical peak (尖峰).</summary>
    CriticalPeak = 0,

    /// <summary>Peak (峰).</summary>
    Peak = 1,

    /// <summary>Flat / shoulder (平).</summary>
    Flat = 2,

    /// <summary>Valley / off-peak (谷).</summary>
    Valley = 3,
}
