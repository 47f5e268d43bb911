using FsCheck.Xunit;
using MeterToCash.Domain.Segments;

namespace MeterToCash.Domain.Tests.Segments;

public class LoadShapesTests
{
    static double[] Profile(Func<int, double> weight) => LoadShapes.Normalise([.. Enumerable.Range(0, 24).Select(weight)])!;

    // Any 24 positive weights, as a profile.
    static double[] ProfileOf(byte[] seed) => Profile(h => 1 + (seed.Length == 0 ? 0 : seed[h % seed.Length]));

    [Property(MaxTest = 200)]
    public bool Distance_AnyTwoProfiles_SymmetricZeroOnlyForItselfAtMostSqrtTwo(byte[] first, byte[] second)
    {
        double[] a = ProfileOf(first), b = ProfileOf(second);
        double distance = LoadShapes.Distance(a, b);
        return distance == LoadShapes.Distance(b, a) && LoadShapes.Distance(a, a) == 0 && distance >= 0 && distance <= Math.Sqrt(2);
    }

    [Fact]
    public void Distance_OnePercentagePointMovedBetweenTwoHours_IsUnderTheSameShapeDistance()
    {
        double[] evening = Profile(h => h is >= 18 and < 22 ? 4 : 1);
        double[] moved = [.. evening];
        moved[19] -= 0.01;
        moved[20] += 0.01;

        Assert.Equal(Math.Sqrt(2) * 0.01, LoadShapes.Distance(evening, moved), 12);
        Assert.True(LoadShapes.Distance(evening, moved) < LoadShapes.SameShapeDistance);
    }

    [Fact]
    public void Distance_EveningPeakTwoHoursLater_IsAnotherShape()
    {
        double[] evening = Profile(h => h is >= 18 and < 20 ? 4 : 1);
        double[] later = Profile(h => h is >= 20 and < 22 ? 4 : 1);

        Assert.True(LoadShapes.Distance(evening, later) > 5 * LoadShapes.SameShapeDistance);
    }

    [Fact]
    public void Distance_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => LoadShapes.Distance(new double[24], new double[23]));
}
