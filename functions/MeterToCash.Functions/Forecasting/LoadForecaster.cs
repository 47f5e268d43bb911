using System.Diagnostics;
using MeterToCash.Domain.Forecasting;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MeterToCash.Functions.Forecasting;

/// <summary>A trained day-ahead model of one area (or one uploaded series).</summary>
/// <param name="Model">The ML.NET model.</param>
/// <param name="Version">Model version tag stored with every forecast it makes (<see cref="LoadForecaster.ModelVersion"/>).</param>
/// <param name="UsesTemperature">True when trained with the temperature features.</param>
/// <param name="TrainingDays">Days of history it was trained on.</param>
/// <param name="TrainingRows">Slots it was trained on.</param>
/// <param name="TrainingMilliseconds">Wall-clock time the training took, ms.</param>
public sealed record TrainedLoadModel(ITransformer Model, string Version, bool UsesTemperature, int TrainingDays, int TrainingRows, long TrainingMilliseconds);

/// <summary>
/// The day-ahead load model: ML.NET FastTree (gradient-boosted regression trees) on <see cref="LoadFeatures"/>, trained
/// per area on its recent history. The label is a slot's load divided by the area's recent level, so trees learn shapes
/// and ratios (workday vs weekend vs holiday, a week ago vs two days ago, warmer vs colder than a week ago) instead of
/// absolute kW. Training is deterministic: fixed seed, one thread.
/// </summary>
public static class LoadForecaster
{
    /// <summary>The model version tag: trainer, its settings and the feature list; bump it when any of them changes.</summary>
    public const string ModelVersion = "fasttree-v1:trees200-leaves16-lr0.05:features21";

    /// <summary>History days the nightly forecast trains on (and a backtest trains on before each held-out week), at most.</summary>
    public const int TrainingWindowDays = 91;

    /// <summary>Fewest trainable days (days with a level and at least 90 valid slots) a model needs.</summary>
    public const int MinTrainingDays = 7;

    /// <summary>Share of slots with a temperature, over the training days, above which temperature features are used.</summary>
    public const double TemperatureCoverage = 0.5;

    sealed class Row
    {
        [VectorType(21)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>
    /// Trains on the days of <paramref name="series"/> in [<paramref name="from"/>, <paramref name="to"/>] (both inclusive)
    /// that have a level and at least 90 valid slots; null when fewer than <see cref="MinTrainingDays"/> qualify.
    /// </summary>
    public static TrainedLoadModel? Train(AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(series);
        Stopwatch clock = Stopwatch.StartNew();
        List<DateOnly> days = [];
        int withTemperature = 0, slots = 0;
        for (DateOnly d = from; d <= to; d = d.AddDays(1))
        {
            if (series.ValidSlots(d) >= 90 && !double.IsNaN(LoadFeatures.Level(series, d)))
            {
                days.Add(d);
                for (int s = 0; s < AreaLoadSeries.SlotsPerDay; s++)
                {
                    slots++;
                    withTemperature += double.IsNaN(series.Temperature(d, s)) ? 0 : 1;
                }
            }
        }

        if (days.Count < MinTrainingDays)
        {
            return null;
        }

        bool useTemperature = withTemperature > TemperatureCoverage * slots;
        List<Row> rows = [];
        foreach (DateOnly d in days)
        {
            (float[][] vectors, double level) = LoadFeatures.Build(series, kinds, d, useTemperature)!.Value;
            for (int s = 0; s < AreaLoadSeries.SlotsPerDay; s++)
            {
                double load = series.Load(d, s);
                if (!double.IsNaN(load))
                {
                    rows.Add(new Row { Features = vectors[s], Label = (float)(load / level) });
                }
            }
        }

        MLContext ml = new(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        FastTreeRegressionTrainer trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 200,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.05,
            NumberOfThreads = 1,
            Seed = 1,
            FeatureColumnName = nameof(Row.Features),
            LabelColumnName = nameof(Row.Label),
        });
        ITransformer model = trainer.Fit(data);
        return new TrainedLoadModel(model, ModelVersion, useTemperature, days.Count, rows.Count, clock.ElapsedMilliseconds);
    }

    /// <summary>The 96 forecast values of a day, kW (never negative); null when the day has no level (no load in D−8…D−2).</summary>
    public static double[]? Predict(TrainedLoadModel model, AreaLoadSeries series, Func<DateOnly, LoadDayKind> kinds, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (LoadFeatures.Build(series, kinds, day, model.UsesTemperature) is not { } built)
        {
            return null;
        }

        MLContext ml = new(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(built.Vectors.Select(v => new Row { Features = v }));
        float[] scores = [.. model.Model.Transform(data).GetColumn<float>(nameof(Prediction.Score))];
        return [.. scores.Select(score => Math.Max(0, score * built.Level))];
    }
}
