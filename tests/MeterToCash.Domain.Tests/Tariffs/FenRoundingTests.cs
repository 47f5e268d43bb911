using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Domain.Tests.Tariffs;

public class FenRoundingTests
{
    [Theory]
    [InlineData("0.005", 1)]
    [InlineData("0.0049999", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("-0.0049", 0)]
    [InlineData("1924.423", 192442)]
    [InlineData("3.3835", 338)]
    [InlineData("12", 1200)]
    [InlineData("92233720368547758.07", long.MaxValue)]
    public void ToFen_Yuan_MatchesMoneyFromYuanHalfUp(string yuan, long expectedFen) =>
        Assert.Equal(expectedFen, FenRounding.ToFen(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)).Fen);

    [Theory]
    [InlineData("92233720368547758.08")]
    [InlineData("79228162514264337593543950.335")]
    [InlineData("184467440737095516.151")]
    public void ToFen_BeyondLongFen_ThrowsOverflow(string yuan) =>
        Assert.Throws<OverflowException>(() => FenRounding.ToFen(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));

    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public bool ToFen_AnyProduct_AgreesWithMoneyFromYuan(long mantissa, byte scale, int quantityCents)
    {
        long magnitude = Math.Abs(mantissa % 10_000_000_000);
        decimal rate = new((int)(uint)magnitude, (int)(magnitude >> 32), 0, mantissa < 0, (byte)(scale % 12));
        decimal yuan = rate * (quantityCents / 100m);
        return FenRounding.ToFen(yuan) == MeterToCash.Domain.Common.Money.FromYuan(yuan);
    }
}
