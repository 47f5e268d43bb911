using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

public class PowerFactorTests
{
    [Theory]
    // Exact Pythagorean ratios: 3-4-5 gives 0.60 and 0.80, 24-7-25 gives 0.96.
    [InlineData("3", "4", 60)]
    [InlineData("4", "3", 80)]
    [InlineData("24", "7", 96)]
    [InlineData("1", "0", 100)]
    [InlineData("0", "1", 0)]
    // Either side of 0.895 (reference values to 50 digits): 100/√(100² + 49.83²) = 0.895034…, with 49.84 → 0.894999….
    [InlineData("100", "49.83", 90)]
    [InlineData("100", "49.84", 89)]
    // Either side of 0.945 within 3e-9: 1e6 / √(1e12 + 346106.16²) = 0.9450000024…, with .17 → 0.9449999994….
    [InlineData("1000000", "346106.16", 95)]
    [InlineData("1000000", "346106.17", 94)]
    // 1 kvarh per kWh: 1/√2 = 0.7071… → 0.71.
    [InlineData("5000", "5000", 71)]
    public void ComputeHundredths_KwhAndKvarh_RoundsHalfUpExactly(string kwh, string kvarh, int expected) =>
        Assert.Equal(expected, PowerFactor.ComputeHundredths(D(kwh), D(kvarh)));

    [Theory]
    // Standard 0.90, every step of the national table (hundredths of a percent).
    [InlineData(PowerFactorStandard.Pf090, 100, -75)]
    [InlineData(PowerFactorStandard.Pf090, 95, -75)]
    [InlineData(PowerFactorStandard.Pf090, 94, -60)]
    [InlineData(PowerFactorStandard.Pf090, 93, -45)]
    [InlineData(PowerFactorStandard.Pf090, 92, -30)]
    [InlineData(PowerFactorStandard.Pf090, 91, -15)]
    [InlineData(PowerFactorStandard.Pf090, 90, 0)]
    [InlineData(PowerFactorStandard.Pf090, 89, 50)]
    [InlineData(PowerFactorStandard.Pf090, 86, 200)]
    [InlineData(PowerFactorStandard.Pf090, 85, 250)]
    [InlineData(PowerFactorStandard.Pf090, 84, 300)]
    [InlineData(PowerFactorStandard.Pf090, 81, 450)]
    [InlineData(PowerFactorStandard.Pf090, 80, 500)]
    [InlineData(PowerFactorStandard.Pf090, 70, 1000)]
    [InlineData(PowerFactorStandard.Pf090, 69, 1100)]
    [InlineData(PowerFactorStandard.Pf090, 65, 1500)]
    [InlineData(PowerFactorStandard.Pf090, 64, 1700)]
    [InlineData(PowerFactorStandard.Pf090, 60, 2500)]
    // Standard 0.85.
    [InlineData(PowerFactorStandard.Pf085, 100, -110)]
    [InlineData(PowerFactorStandard.Pf085, 95, -110)]
    [InlineData(PowerFactorStandard.Pf085, 94, -110)]
    [InlineData(PowerFactorStandard.Pf085, 93, -95)]
    [InlineData(PowerFactorStandard.Pf085, 92, -80)]
    [InlineData(PowerFactorStandard.Pf085, 91, -65)]
    [InlineData(PowerFactorStandard.Pf085, 90, -50)]
    [InlineData(PowerFactorStandard.Pf085, 89, -40)]
    [InlineData(PowerFactorStandard.Pf085, 86, -10)]
    [InlineData(PowerFactorStandard.Pf085, 85, 0)]
    [InlineData(PowerFactorStandard.Pf085, 84, 50)]
    [InlineData(PowerFactorStandard.Pf085, 80, 250)]
    [InlineData(PowerFactorStandard.Pf085, 65, 1000)]
    [InlineData(PowerFactorStandard.Pf085, 64, 1100)]
    [InlineData(PowerFactorStandard.Pf085, 60, 1500)]
    [InlineData(PowerFactorStandard.Pf085, 59, 1700)]
    // Standard 0.80.
    [InlineData(PowerFactorStandard.Pf080, 100, -130)]
    [InlineData(PowerFactorStandard.Pf080, 92, -130)]
    [InlineData(PowerFactorStandard.Pf080, 91, -115)]
    [InlineData(PowerFactorStandard.Pf080, 90, -100)]
    [InlineData(PowerFactorStandard.Pf080, 89, -90)]
    [InlineData(PowerFactorStandard.Pf080, 85, -50)]
    [InlineData(PowerFactorStandard.Pf080, 81, -10)]
    [InlineData(PowerFactorStandard.Pf080, 80, 0)]
    [InlineData(PowerFactorStandard.Pf080, 79, 50)]
    [InlineData(PowerFactorStandard.Pf080, 60, 1000)]
    [InlineData(PowerFactorStandard.Pf080, 59, 1100)]
    [InlineData(PowerFactorStandard.Pf080, 55, 1500)]
    [InlineData(PowerFactorStandard.Pf080, 54, 1700)]
    public void AdjustmentBasisPoints_EveryTableEdge_MatchesNationalTable(PowerFactorStandard standard, int factor, int expected) =>
        Assert.Equal(expected, PowerFactor.AdjustmentBasisPoints(standard, factor));

    [Theory]
    [InlineData("-1", "1")]
    [InlineData("1", "-1")]
    [InlineData("0", "0")]
    [InlineData("1.00001", "1")]
    public void ComputeHundredths_InvalidInput_Throws(string kwh, string kvarh) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerFactor.ComputeHundredths(D(kwh), D(kvarh)));

    [FsCheck.Xunit.Property]
    public bool ComputeHundredths_AwayFromRoundingBoundaries_AgreesWithFloatingPoint(uint kwhCents, uint kvarhCents)
    {
        if (kwhCents == 0 && kvarhCents == 0)
        {
            return true;
        }

        double exact = 100.0 * kwhCents / Math.Sqrt(((double)kwhCents * kwhCents) + ((double)kvarhCents * kvarhCents));

        // The double oracle is only trusted well away from a .5 boundary.
        if (Math.Abs(exact - Math.Floor(exact) - 0.5) < 1e-6)
        {
            return true;
        }

        return PowerFactor.ComputeHundredths(kwhCents / 100m, kvarhCents / 100m) == (int)Math.Floor(exact + 0.5);
    }
}
