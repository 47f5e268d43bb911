using System.Globalization;

namespace MeterToCash.Domain.Common;

/// <summary>
/// An exact amount of Chinese yuan held as a whole number of fen (1 yuan = 100 fen).
/// </summary>
/// <remarks>
/// Money never passes through <see cref="double"/>. Amounts computed from a rate and a quantity are
/// produced in <see cref="decimal"/> yuan and converted once with <see cref="FromYuan(decimal, MidpointRounding)"/>,
/// which rounds half away from zero (四舍五入) unless the caller names another rule.
/// </remarks>
/// <param name="Fen">The amount in fen; negative for credits and reductions.</param>
public readonly record struct Money(long Fen) : IComparable<Money>
{
    /// <summary>Zero yuan.</summary>
    public static readonly Money Zero = new(0);

    /// <summary>The amount in yuan, exact (two decimal places at most).</summary>
    public decimal Yuan => Fen / 100m;

    /// <summary>
    /// Converts a yuan amount to money, rounding to the fen once.
    /// </summary>
    /// <param name="yuan">Amount in yuan, any precision.</param>
    /// <param name="rounding">How a half fen rounds; half away from zero (half-up) by default.</param>
    public static Money FromYuan(decimal yuan, MidpointRounding rounding = MidpointRounding.AwayFromZero) =>
        new(checked((long)decimal.Round(yuan * 100m, 0, rounding)));

    /// <summary>Parses a yuan amount with at most two decimal places ("12.30"); anything finer is refused.</summary>
    public static bool TryParseYuan(string? text, out Money money)
    {
        money = Zero;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal yuan))
        {
            return false;
        }

        decimal fen = yuan * 100m;
        if (fen != decimal.Truncate(fen) || fen > long.MaxValue || fen < long.MinValue)
        {
            return false;
        }

        money = new Money((long)fen);
        return true;
    }

    /// <summary>Adds two amounts.</summary>
    public static Money operator +(Money left, Money right) => new(checked(left.Fen + right.Fen));

    /// <summary>Subtracts two amounts.</summary>
    public static Money operator -(Money left, Money right) => new(checked(left.Fen - right.Fen));

    /// <summary>Negates an amount.</summary>
    public static Money operator -(Money value) => new(checked(-value.Fen));

    /// <summary>Compares by amount.</summary>
    public static bool operator <(Money left, Money right) => left.Fen < right.Fen;

    /// <summary>Compares by amount.</summary>
    public static bool operator >(Money left, Money right) => left.Fen > right.Fen;

    /// <summary>Compares by amount.</summary>
    public static bool operator <=(Money left, Money right) => left.Fen <= right.Fen;

    /// <summary>Compares by amount.</summary>
    public static bool operator >=(Money left, Money right) => left.Fen >= right.Fen;

    /// <inheritdoc />
    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    /// <summary>Adds two amounts.</summary>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Subtracts two amounts.</summary>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Negates an amount.</summary>
    public static Money Negate(Money value) => -value;

    /// <summary>The amount as yuan with two decimals, invariant culture ("1234.50").</summary>
    public override string ToString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);
}
