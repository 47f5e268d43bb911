using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Benchmarks.Tariffs;

/// <summary>The building blocks of a rating, to see where a bill's time goes.</summary>
[MemoryDiagnoser]
public class TariffPartsBenchmarks
{
    private decimal _kwh = 120000m;
    private decimal _kvarh = 61478m;
    private decimal _price = 0.617m;

    private static readonly CompiledVersion[] Versions = [new(TariffJson.LoadSample("shanghai-residential-tou").Tariff!.Versions[0], 0, null)];
    private static readonly BillDeterminants TouBill = new() { Period = new(new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 1)), TotalKwh = 312.45m, Bands = new BandEnergy(0, 200.15m, 0, 112.30m), YearToDateKwh = 2950m };

    [Benchmark]
    public object? ValidateTou() => DeterminantValidation.Validate(TouBill, Versions);

    [Benchmark]
    public int PowerFactorHundredths() => PowerFactor.ComputeHundredths(_kwh, _kvarh);

    [Benchmark]
    public Money MoneyFromYuan() => Money.FromYuan(_kwh * _price);

    [Benchmark]
    public Money FenRoundingToFen() => FenRounding.ToFen(_kwh * _price);
}
