using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tariffs;

/// <summary>
/// The same rounding as <see cref="Money.FromYuan(decimal, MidpointRounding)"/> with half away from zero, done on
/// the decimal's integer mantissa: rating rounds several lines per bill, and decimal.Round dominated the profile.
/// </summary>
internal static class FenRounding
{
    private static readonly ulong[] Pow10 =
    [
        1UL, 10UL, 100UL, 1_000UL, 10_000UL, 100_000UL, 1_000_000UL, 10_000_000UL, 100_000_000UL, 1_000_000_000UL,
        10_000_000_000UL, 100_000_000_000UL, 1_000_000_000_000UL, 10_000_000_000_000UL, 100_000_000_000_000UL,
        1_000_000_000_000_000UL, 10_000_000_000_000_000UL, 100_000_000_000_000_000UL,
    ];

    /// <summary>Yuan to fen, half away from zero; identical to <c>Money.FromYuan(yuan)</c>.</summary>
    public static Money ToFen(decimal yuan)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(yuan, bits);
        int scale = (bits[3] >> 16) & 0xFF;

        // Values beyond 64-bit mantissas or extreme scales take the general path.
        if (bits[2] != 0 || scale > 19)
        {
            return Money.FromYuan(yuan);
        }

        ulong mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        ulong fen;
        if (scale <= 2)
        {
            ulong factor = Pow10[2 - scale];
            if (mantissa > long.MaxValue / 100)
            {
                return Money.FromYuan(yuan);
            }

            fen = mantissa * factor;
        }
        else
        {
            ulong divisor = Pow10[scale - 2];
            fen = mantissa / divisor;
            ulong remainder = mantissa - (fen * divisor);
            if (remainder >= divisor - remainder)
            {
                fen++;
            }
        }

        if (fen > long.MaxValue)
        {
            return Money.FromYuan(yuan);
        }

        long magnitude = (long)fen;
        return new Money(bits[3] < 0 ? -magnitude : magnitude);
    }
}
