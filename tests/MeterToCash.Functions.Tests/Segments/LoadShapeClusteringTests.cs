using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Segments;
using MeterToCash.Functions.Segments;
using MeterToCash.Simulator;

namespace MeterToCash.Functions.Tests.Segments;

/// <summary>k-means over the simulator's class profiles (households, shops, factories), each meter with its own noise.</summary>
public class LoadShapeClusteringTests
{
    static readonly DateOnly Monday = new(2026, 11, 2);

    static (string Class, double[] Profile)[] Profiles()
    {
        List<(string, double[])> profiles = [];
        foreach ((CustomerClass cls, int count) in new[] { (CustomerClass.Residential, 40), (CustomerClass.Commercial, 12), (CustomerClass.Industrial, 6) })
        {
            for (int i = 0; i < count; i++)
            {
                SimulatedMeter meter = SimulatedMeter.Typical($"M{cls}{i}", cls);
                double[] hourly = new double[24];
                for (int d = 0; d < 5; d++)
                {
                    IntervalReading[] day = CurveGenerator.Day(meter, Monday.AddDays(d), seed: 11);
                    for (int s = 0; s < day.Length; s++)
                    {
                        hourly[s / 4] += (double)day[s].Value;
                    }
                }

                profiles.Add((cls.ToString(), LoadShapes.Normalise(hourly)!));
            }
        }

        return [.. profiles];
    }

    [Fact]
    public void Fit_SameProfilesTwice_IdenticalClusters()
    {
        (string Class, double[] Profile)[] profiles = Profiles();

        IReadOnlyList<ShapeCluster> first = LoadShapeClustering.Fit([.. profiles.Select(p => p.Profile)], 4);
        IReadOnlyList<ShapeCluster> second = LoadShapeClustering.Fit([.. profiles.Select(p => p.Profile)], 4);

        Assert.Equal(first.Select(c => c.Name), second.Select(c => c.Name));
        Assert.Equal(first.SelectMany(c => c.Centroid), second.SelectMany(c => c.Centroid));
    }

    [Fact]
    public void Nearest_SimulatedClassesThreeClusters_HouseholdsEveningShopsDaytimeEachClassItsOwnCluster()
    {
        (string Class, double[] Profile)[] profiles = Profiles();
        IReadOnlyList<ShapeCluster> clusters = LoadShapeClustering.Fit([.. profiles.Select(p => p.Profile)], 3);

        Dictionary<string, string[]> byClass = profiles.GroupBy(p => p.Class)
            .ToDictionary(g => g.Key, g => g.Select(p => LoadShapeClustering.Nearest(clusters, p.Profile).Cluster.Name).Distinct().ToArray());

        Assert.StartsWith("evening-peak", Assert.Single(byClass["Residential"]), StringComparison.Ordinal);
        Assert.StartsWith("daytime", Assert.Single(byClass["Commercial"]), StringComparison.Ordinal);
        string industrial = Assert.Single(byClass["Industrial"]);
        Assert.Equal(3, new[] { byClass["Residential"][0], byClass["Commercial"][0], industrial }.Distinct().Count());
    }

    [Fact]
    public void Fit_MoreClustersThanTheDataHasShapes_NoTwoCentroidsAreOneShape()
    {
        (string Class, double[] Profile)[] profiles = Profiles();

        IReadOnlyList<ShapeCluster> clusters = LoadShapeClustering.Fit([.. profiles.Select(p => p.Profile)], 8);

        Assert.InRange(clusters.Count, 3, 7);
        foreach ((ShapeCluster first, int i) in clusters.Select((c, i) => (c, i)))
        {
            foreach (ShapeCluster second in clusters.Skip(i + 1))
            {
                Assert.True(LoadShapes.Distance(first.Centroid, second.Centroid) >= LoadShapes.SameShapeDistance, $"{first.Name} and {second.Name} are one shape");
            }
        }

        Assert.All(clusters, c => Assert.Equal(1.0, c.Centroid.Sum(), 3));
    }

    [Fact]
    public void Fit_AGroupOfAlikeProfilesAndKOfTwo_OneShape()
    {
        // Forty households with the same evening shape and a little noise: k-means must split them in two; they are one shape.
        Random noise = new(5);
        IReadOnlyList<double>[] profiles = [.. Enumerable.Range(0, 40).Select(_ => (IReadOnlyList<double>)LoadShapes.Normalise(
            [.. Enumerable.Range(0, 24).Select(h => (h is >= 18 and < 22 ? 4.0 : 1.0) + (noise.NextDouble() * 0.05))])!)];

        ShapeCluster cluster = Assert.Single(LoadShapeClustering.Fit(profiles, 2));

        Assert.Equal("evening-peak", cluster.Name);
    }

    [Fact]
    public void Fit_TwoEveningShapes_TheSharperPeakKeepsThePlainName()
    {
        double[] sharp = LoadShapes.Normalise([.. Enumerable.Range(0, 24).Select(h => h == 20 ? 12.0 : 1.0)])!;
        double[] mild = LoadShapes.Normalise([.. Enumerable.Range(0, 24).Select(h => h is >= 8 and < 23 ? (h == 20 ? 3.3 : 3.0) : 1.0)])!;
        IReadOnlyList<double>[] profiles = [.. Enumerable.Repeat(mild, 10), .. Enumerable.Repeat(sharp, 10)];

        IReadOnlyList<ShapeCluster> clusters = LoadShapeClustering.Fit(profiles, 2);

        Assert.Equal(["evening-peak", "evening-peak-2"], clusters.Select(c => c.Name));
        Assert.Equal("evening-peak", LoadShapeClustering.Nearest(clusters, sharp).Cluster.Name);
        Assert.Equal("evening-peak-2", LoadShapeClustering.Nearest(clusters, mild).Cluster.Name);
    }

    [Fact]
    public void Shape_Account_ExplainsProfileAndNearestCluster()
    {
        (string Class, double[] Profile)[] profiles = Profiles();
        IReadOnlyList<ShapeCluster> clusters = LoadShapeClustering.Fit([.. profiles.Select(p => p.Profile)], 3);
        AccountFacts facts = new("3100000009", Domain.Archive.CustomerClass.Residential, Domain.Archive.CreditGrade.A, ["SH-RES-TOU"], profiles[0].Profile, 5, 240, 1, 0, false, 0, 0, 0);

        CustomerSegment segment = SegmentWorkflow.Shape(facts, clusters);

        string nearest = LoadShapeClustering.Nearest(clusters, profiles[0].Profile).Cluster.Name;
        Assert.Equal(nearest, segment.Code);
        Assert.StartsWith("evening-peak", segment.Code, StringComparison.Ordinal);
        Assert.StartsWith("average day over 5 day(s): peak hour 20:00", segment.Reasons[0], StringComparison.Ordinal);
        Assert.StartsWith($"nearest of 3 k-means clusters: '{nearest}'", segment.Reasons[1], StringComparison.Ordinal);
    }
}
