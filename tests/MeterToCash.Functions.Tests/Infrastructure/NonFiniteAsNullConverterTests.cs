using System.Text.Json;
using MeterToCash.Functions.Infrastructure;

namespace MeterToCash.Functions.Tests.Infrastructure;

public sealed class NonFiniteAsNullConverterTests
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new NonFiniteAsNullConverter() } };

    sealed record Figures(double Mape, double Ratio, double PeakError);

    [Fact]
    public void Write_NaNAndInfinities_AreNullFiniteValuesUnchanged() =>
        Assert.Equal(
            """{"mape":null,"ratio":null,"peakError":12.5}""",
            JsonSerializer.Serialize(new Figures(double.NaN, double.PositiveInfinity, 12.5), Options));

    [Fact]
    public void Write_NegativeInfinity_IsNull() =>
        Assert.Equal("null", JsonSerializer.Serialize(double.NegativeInfinity, Options));

    [Fact]
    public void Read_Number_IsTheNumber() =>
        Assert.Equal(0.754, JsonSerializer.Deserialize<double>("0.754", Options));
}
