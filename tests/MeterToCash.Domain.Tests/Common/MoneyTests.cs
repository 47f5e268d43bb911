using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Common;

public class MoneyTests
{
    [Theory]
    [InlineData("0.005", 1)]
    [InlineData("0.0049", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("12.345", 1235)]
    [InlineData("12.344", 1234)]
    public void FromYuan_HalfFen_RoundsHalfAwayFromZero(string yuan, long expectedFen) =>
        Assert.Equal(expectedFen, Money.FromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)).Fen);

    [Theory]
    [InlineData("12.30", true, 1230)]
    [InlineData("-0.01", true, -1)]
    [InlineData("0.001", false, 0)]
    [InlineData("abc", false, 0)]
    [InlineData("", false, 0)]
    public void TryParseYuan_Text_AcceptsAtMostTwoDecimals(string text, bool ok, long fen)
    {
        Assert.Equal(ok, Money.TryParseYuan(text, out Money money));
        Assert.Equal(fen, money.Fen);
    }

    [Fact]
    public void ToString_Amount_PrintsTwoDecimals() => Assert.Equal("1234.50", new Money(123450).ToString());

    [FsCheck.Xunit.Property]
    public bool Addition_ThenSubtraction_RoundTrips(int a, int b) => (new Money(a) + new Money(b) - new Money(b)).Fen == a;
}
