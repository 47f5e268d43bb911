namespace MeterToCash.Domain.Tariffs;

/// <summary>
/// The monthly power factor and the national adjustment table ((83)水电财字第215号).
/// </summary>
/// <remarks>
/// The factor kWh / √(kWh² + kvarh²) is rounded half-up to two decimals without ever taking a square root: the
/// factor is at least (2k − 1)/200 exactly when 200²·kWh² − (2k − 1)²·kWh² ≥ (2k − 1)²·kvarh², which is decided in
/// 128-bit integers, so a factor sitting exactly on a rounding boundary (e.g. 0.895) rounds correctly.
/// </remarks>
public static class PowerFactor
{
    /// <summary>Largest kWh or kvarh accepted (10¹² — far above any monthly reading).</summary>
    public const decimal MaxEnergy = 1_000_000_000_000m;

    /// <summary>
    /// The power factor in hundredths (0–100), rounded half-up: 0.895 gives 90.
    /// </summary>
    /// <param name="kwh">Active energy, kWh, 0 ≤ kwh ≤ <see cref="MaxEnergy"/>, at most four decimals.</param>
    /// <param name="kvarh">Reactive energy, kvarh, same bounds.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, too large or too finely resolved, or both are zero.</exception>
    public static int ComputeHundredths(decimal kwh, decimal kvarh)
    {
        Int128 p = Scaled(kwh, nameof(kwh));
        Int128 q = Scaled(kvarh, nameof(kvarh));
        if (p == 0 && q == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kwh), "The power factor is undefined when kWh and kvarh are both zero.");
        }

        Int128 p2 = p * p;
        Int128 q2 = q * q;

        // Largest k with factor >= (2k-1)/200; k = 0 always qualifies. The predicate is monotone in k.
        int low = 0;
        int high = 100;
        while (low < high)
        {
            int k = (low + high + 1) / 2;
            Int128 m2 = (2 * k - 1) * (2 * k - 1);
            if (p2 * (40_000 - m2) >= m2 * q2)
            {
                low = k;
            }
            else
            {
                high = k - 1;
            }
        }

        return low;
    }

    /// <summary>
    /// The adjustment in hundredths of a percent for a factor (in hundredths) under a standard: −75 means −0.75 %
    /// (a reduction), 250 means +2.5 % (a surcharge).
    /// </summary>
    /// <param name="standard">The customer's standard.</param>
    /// <param name="factorHundredths">The rounded factor, 0–100.</param>
    /// <exception cref="ArgumentOutOfRangeException">The factor is outside 0–100 or the standard is unknown.</exception>
    public static int AdjustmentBasisPoints(PowerFactorStandard standard, int factorHundredths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(factorHundredths);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factorHundredths, 100);
        int f = factorHundredths;
        int s = (int)standard;

        // Below the standard the table is the same shape for every standard: +0.5 % per 0.01 for 10 points down to
        // +10 %, then +1 % per 0.01 for 5 points down to +15 %, then +2 % per 0.01.
        if (f < s)
        {
            int below = s - f;
            return below switch
            {
                <= 20 => below * 50,
                <= 25 => 1_000 + ((below - 20) * 100),
                _ => 1_500 + ((below - 25) * 200),
            };
        }

        // At or above the standard each table has its own reduction steps, capped.
        return standard switch
        {
            PowerFactorStandard.Pf090 => -Math.Min((f - 90) * 15, 75),
            PowerFactorStandard.Pf085 => f <= 90 ? -(f - 85) * 10 : -Math.Min(50 + ((f - 90) * 15), 110),
            PowerFactorStandard.Pf080 => f <= 90 ? -(f - 80) * 10 : -Math.Min(100 + ((f - 90) * 15), 130),
            _ => throw new ArgumentOutOfRangeException(nameof(standard)),
        };
    }

    /// <summary>The standard as a decimal factor (0.90, 0.85 or 0.80).</summary>
    public static decimal ToFactor(this PowerFactorStandard standard) => (int)standard / 100m;

    private static Int128 Scaled(decimal value, string name)
    {
        if (value < 0 || value > MaxEnergy)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be between 0 and 10^12.");
        }

        decimal scaled = value * 10_000m;
        if (value.Scale > 4 && scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentOutOfRangeException(name, value, "At most four decimals are supported.");
        }

        return (Int128)scaled;
    }
}
