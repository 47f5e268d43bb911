using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Archive;
using MeterToCash.Tools;

namespace MeterToCash.Benchmarks.Archive;

/// <summary>
/// Parsing and validating an archive file, per 10,000 rows. Baseline: splitting lines on commas, which is what a naive
/// importer does (and gets quoted addresses wrong); the real parser must stay within a small factor of it.
/// </summary>
[MemoryDiagnoser]
public class ArchiveCsvBenchmarks
{
    string csv = string.Empty;

    [GlobalSetup]
    public void Setup() => csv = new DemoUtility(10_000, seed: 5, areas: 40).ArchiveCsv(badRows: 100);

    [Benchmark(Baseline = true, Description = "naive string.Split, no validation")]
    public int NaiveSplit()
    {
        int fields = 0;
        foreach (string line in csv.Split('\n'))
        {
            fields += line.Split(',').Length;
        }

        return fields;
    }

    [Benchmark(Description = "ArchiveCsv.Parse: RFC 4180 + validation + grouping")]
    public int Parse() => ArchiveCsv.Parse(new StringReader(csv)).Customers.Count;
}
