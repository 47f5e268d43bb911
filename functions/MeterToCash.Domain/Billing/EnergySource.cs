namespace MeterToCash.Domain.Billing;

/// <summary>Where a meter's energy for its span came from.</summary>
public enum EnergySource
{
    /// <summary>Differences of the midnight frozen register reads at the span's first day and its end day, × CT × PT.</summary>
    Registers = 0,

    /// <summary>The sum of the stored interval curves (primary side) of every day of the span.</summary>
    Intervals = 1,
}
