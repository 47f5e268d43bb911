using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Tools.Reconciliation;

namespace MeterToCash.Benchmarks.Reconciliation;

/// <summary>Reading a 100,000-transaction bank file (bytes in, lines out), CSV and camt.053.</summary>
[MemoryDiagnoser]
public class ReconFileBenchmarks
{
    static readonly DateOnly Day = new(2026, 12, 3);
    byte[] csv = [], camt053 = [];

    [GlobalSetup]
    public void Setup()
    {
        List<BankLine> lines = ReconDemo.BankLines(ReconDemo.Journal("BANK-ICBC", Day, 98_040), Day, new ReconPlants(WithoutId: 1000));
        csv = ReconFileWriter.Csv("BANK-ICBC", Day, lines);
        camt053 = ReconFileWriter.Camt(ReconFileFormat.Camt053, "6222000011112222", Day, lines);
        Console.WriteLine($"// {lines.Count} lines: CSV {csv.Length:N0} bytes, camt.053 {camt053.Length:N0} bytes");
    }

    [Benchmark(Baseline = true, Description = "CSV (Sep), 100,000 lines")]
    public int Csv() => ReconCsvParser.Parse(csv).File!.Lines.Count;

    [Benchmark(Description = "camt.053 (XmlReader), 100,000 entries")]
    public int Camt053() => CamtParser.Parse(camt053, "BANK-ICBC", Day).File!.Lines.Count;
}
