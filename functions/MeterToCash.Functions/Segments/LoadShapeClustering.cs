using MeterToCash.Domain.Segments;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MeterToCash.Functions.Segments;

/// <summary>
/// k-means (ML.NET, k-means++ initialisation, fixed seed, one thread) over normalised 24-hour profiles. Centroids nearer
/// each other than <see cref="LoadShapes.SameShapeDistance"/> are merged (the mean weighted by the profiles nearest each),
/// so <c>k</c> is the most shapes, not a count the data must fill. The rest are named by <see cref="LoadShapes.Name"/>
/// and put in a stable order: by name, then the sharpest peak first (it keeps the plain name; a repeat gets a suffix,
/// <c>evening-peak-2</c>), then peak hour. Accounts are assigned to the nearest centroid (<see cref="LoadShapes.Distance"/>).
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
        List<double[]> shapes = MergeAlike([.. centroids.Take(found).Select(c => c.DenseValues().Select(v => (double)v).ToArray())], profiles);
        List<double[]> ordered = [.. shapes.OrderBy(LoadShapes.Name, StringComparer.Ordinal).ThenByDescending(c => c.Max()).ThenBy(LoadShapes.PeakHour)];
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
        return clusters.Select(c => (c, LoadShapes.Distance(c.Centroid, profile))).MinBy(x => x.Item2);
    }

    // Merges the nearest two centroids while they are nearer than SameShapeDistance, into their mean weighted by how
    // many profiles are nearest each (a plain mean when neither has any).
    static List<double[]> MergeAlike(List<double[]> centroids, IReadOnlyList<IReadOnlyList<double>> profiles)
    {
        List<(double[] Centroid, int Members)> shapes = [.. centroids.Select(c => (c, 0))];
        foreach (IReadOnlyList<double> profile in profiles)
        {
            int nearest = Enumerable.Range(0, shapes.Count).MinBy(i => LoadShapes.Distance(shapes[i].Centroid, profile));
            shapes[nearest] = (shapes[nearest].Centroid, shapes[nearest].Members + 1);
        }

        while (shapes.Count > 1)
        {
            (int first, int second, double distance) = (from i in Enumerable.Range(0, shapes.Count)
                                                       from j in Enumerable.Range(i + 1, shapes.Count - i - 1)
                                                       select (i, j, LoadShapes.Distance(shapes[i].Centroid, shapes[j].Centroid))).MinBy(pair => pair.Item3);
            if (distance >= LoadShapes.SameShapeDistance)
            {
                break;
            }

            (double[] kept, int keptMembers) = shapes[first];
            (double[] absorbed, int absorbedMembers) = shapes[second];
            double keptWeight = keptMembers + absorbedMembers == 0 ? 0.5 : (double)keptMembers / (keptMembers + absorbedMembers);
            shapes[first] = ([.. kept.Select((share, hour) => (keptWeight * share) + ((1 - keptWeight) * absorbed[hour]))], keptMembers + absorbedMembers);
            shapes.RemoveAt(second);
        }

        return [.. shapes.Select(shape => shape.Centroid)];
    }
}
