namespace MeterToCash.Domain.MeterData;

/// <summary>How two consecutive register values relate.</summary>
public enum RegisterDeltaKind
{
    /// <summary>The register advanced (or stayed); delta = current − previous.</summary>
    Normal = 0,

    /// <summary>The register wrapped past its display maximum; delta = 10^digits − previous + current.</summary>
    Rollover = 1,

    /// <summary>The register went backwards without a plausible rollover: meter replaced, tampered or misread.</summary>
    Rollback = 2,
}

/// <summary>The consumption between two register values, in the register's unit (meter side, before CT/PT).</summary>
/// <param name="Kind">Normal, rollover or rollback.</param>
/// <param name="Delta">Energy consumed; for a rollback it is the (negative) raw difference.</param>
public readonly record struct RegisterDelta(RegisterDeltaKind Kind, decimal Delta);

/// <summary>Register rollover arithmetic.</summary>
public static class RegisterMath
{
    /// <summary>
    /// The consumption from <paramref name="previous"/> to <paramref name="current"/>. A decrease is a rollover only when
    /// the meter's digit count is known and the wrapped delta (10^digits − previous + current) does not exceed
    /// <paramref name="maxPlausibleDelta"/>; otherwise it is a rollback.
    /// </summary>
    /// <param name="previous">Earlier register value.</param>
    /// <param name="current">Later register value.</param>
    /// <param name="meterDigits">Integer digits of the display (1–12), or null if unknown.</param>
    /// <param name="maxPlausibleDelta">Most energy the meter can have recorded between the two reads (same unit).</param>
    public static RegisterDelta Delta(decimal previous, decimal current, int? meterDigits, decimal maxPlausibleDelta)
    {
        if (current >= previous)
        {
            return new RegisterDelta(RegisterDeltaKind.Normal, current - previous);
        }

        if (meterDigits is >= 1 and <= 12)
        {
            decimal modulus = Pow10(meterDigits.Value);
            if (previous < modulus && current >= 0m)
            {
                decimal wrapped = modulus - previous + current;
                if (wrapped <= maxPlausibleDelta)
                {
                    return new RegisterDelta(RegisterDeltaKind.Rollover, wrapped);
                }
            }
        }

        return new RegisterDelta(RegisterDeltaKind.Rollback, current - previous);
    }

    private static decimal Pow10(int digits)
    {
        decimal result = 1m;
        for (int i = 0; i < digits; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
