using System.Globalization;

namespace MeterToCash.Domain.Common;

/// <summary>
/// An amount of active energy in kilowatt-hours, exact in <see cref="decimal"/>.
/// </summary>
/// <remarks>Meter registers resolve to 0.01 kWh (some to 0.001); no rounding happens here.</remarks>
/// <param name="Value">Energy in kWh; negative only for corrections.</param>
public readonly record struct EnergyKwh(decimal Value) : IComparable<EnergyKwh>
{
    /// <summary>No energy.</summary>
    public static readonly EnergyKwh Zero = new(0m);

    /// <summary>Adds two amounts.</summary>
    public static EnergyKwh operator +(EnergyKwh left, EnergyKwh right) => new(left.Value + right.Value);

    /// <summary>Subtracts two amounts.</summary>
    public static EnergyKwh operator -(EnergyKwh left, EnergyKwh right) => new(left.Value - right.Value);

    /// <summary>Compares by amount.</summary>
    public static bool operator <(EnergyKwh left, EnergyKwh right) => left.Value < right.Value;

    /// <summary>Compares by amount.</summary>
    public static bool operator >(EnergyKwh left, EnergyKwh right) => left.Value > right.Value;

    /// <summary>Compares by amount.</summary>
    public static bool operator <=(EnergyKwh left, EnergyKwh right) => left.Value <= right.Value;

    /// <summary>Compares by amount.</summary>
    public static bool operator >=(EnergyKwh left, EnergyKwh right) => left.Value >= right.Value;

    /// <inheritdoc />
    public int CompareTo(EnergyKwh other) => Value.CompareTo(other.Value);

    /// <summary>Adds two amounts.</summary>
    public static EnergyKwh Add(EnergyKwh left, EnergyKwh right) => left + right;

    /// <summary>Subtracts two amounts.</summary>
    public static EnergyKwh Subtract(EnergyKwh left, EnergyKwh right) => left - right;

    /// <summary>The amount with its unit, invariant culture ("12.5 kWh").</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + " kWh";
}
