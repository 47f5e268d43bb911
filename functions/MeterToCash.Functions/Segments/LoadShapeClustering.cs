using MeterToCash.Domain.Segments;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// k-means (ML.NET, k-means++ initialisation, fixed seed, one thread) over normalised 24-hour profiles. The centroids
/// are put in a stable order (by name, then peak hour) and named by <see cref="LoadShapes.Name"/>; a name that repeats
/// gets a suffix (<c>daytime-2</c>). Accounts are assigned to the nearest centroid (Euclidean distance).
/// </summary>
public static class LoadShapeClustering
{
    sealed class Row
    {
        [VectorType(24)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Fits <paramref name="k"/> clusters (fewer when there are fewer profiles); profiles are taken in the given order.</summary>
    public static IReadOnlyList<ShapeCluster> Fit(IReadOnlyList<IReadOnlyList<double>> profiles, int k)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        k = Math.Min(k, profiles.Count);
        if (k == 0)
        {
            return [];
        }

        MLContext ml = new(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(profiles.Select(p => new Row { Features = [.. p.Select(v => (float)v)] }));
        var model = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 200,
        }).Fit(data);
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out int found);
        List<double[]> ordered = [.. centroids.Take(found).Select(c => c.DenseValues().Select(v => (double)v).ToArray())
            .OrderBy(LoadShapes.Name, StringComparer.Ordinal).ThenBy(LoadShapes.PeakHour).ThenBy(c => c.Max())];
        Dictionary<string, int> seen = new(StringComparer.Ordinal);
        List<ShapeCluster> clusters = [];
        foreach (double[] c in ordered)
        {
            string name = LoadShapes.Name(c);
            int n = seen[name] = seen.GetValueOrDefault(name) + 1;
            clusters.Add(new ShapeCluster(n == 1 ? name : $"{name}-{n}", [.. c.Select(v => Math.Round(v, 5))], LoadShapes.Describe(c)));
        }

        return clusters;
    }

    /// <summary>The nearest cluster of a profile and its distance.</summary>
    public static (ShapeCluster Cluster, double Distance) Nearest(IReadOnlyList<ShapeCluster> clusters, IReadOnlyList<double> profile)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(profile);
        return clusters.Select(c => (c, Math.Sqrt(c.Centroid.Select((v, h) => (v - profile[h]) * (v - profile[h])).Sum()))).MinBy(x => x.Item2);
    }
}
