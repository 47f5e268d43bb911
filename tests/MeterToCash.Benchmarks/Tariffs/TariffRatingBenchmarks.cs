using BenchmarkDotNet.Attributes;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Benchmarks.Tariffs;

/// <summary>
/// One bill rated per invocation, per tariff kind, against the shipped samples (compiled once in setup).
/// Bills per second per core = 1 / mean time, since each benchmark runs on one thread.
/// </summary>
[MemoryDiagnoser]
public class TariffRatingBenchmarks
{
    private static readonly BillingPeriod March = new(new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 1));

    private TariffRater _residential = null!;
    private TariffRater _residentialTou = null!;
    private TariffRater _commercial = null!;
    private TariffRater _industrial = null!;
    private Tariff _industrialTariff = null!;
    private BillDeterminants _residentialBill = null!;
    private BillDeterminants _residentialTouBill = null!;
    private BillDeterminants _commercialBill = null!;
    private BillDeterminants _industrialBill = null!;

    [GlobalSetup]
    public void Setup()
    {
        _residential = Load("shanghai-residential-ladder");
        _residentialTou = Load("shanghai-residential-tou");
        _commercial = Load("commercial-tou");
        _industrial = Load("large-industrial-two-part");
        _industrialTariff = TariffJson.LoadSample("large-industrial-two-part").Tariff!;

        // Crosses the 3,120 kWh threshold, so two tiers are worked out.
        _residentialBill = new BillDeterminants { Period = March, TotalKwh = 312.45m, YearToDateKwh = 2950m };
        _residentialTouBill = new BillDeterminants { Period = March, TotalKwh = 312.45m, Bands = new BandEnergy(0, 200.15m, 0, 112.30m), YearToDateKwh = 2950m };
        _commercialBill = new BillDeterminants { Period = March, TotalKwh = 4600.55m, Bands = new BandEnergy(100m, 1000m, 2000m, 1500.55m) };
        _industrialBill = new BillDeterminants
        {
            Period = March,
            TotalKwh = 120000m,
            Bands = new BandEnergy(0, 40000m, 50000m, 30000m),
            ReactiveKvarh = 61478m,
            MaximumDemandKw = 800m,
            TransformerKva = 1000m,
            BasicChargeMethod = BasicChargeMethod.Demand,
        };
    }

    /// <summary>
    /// Baseline, the naive design: a rating service that builds its rater from the tariff for every bill instead of
    /// compiling each tariff version once.
    /// </summary>
    [Benchmark(Baseline = true)]
    public Bill? IndustrialNaiveCompilePerBill() => new TariffRater(_industrialTariff).Rate(_industrialBill).Bill;

    [Benchmark]
    public Bill? ResidentialTariffLadder() => _residential.Rate(_residentialBill).Bill;

    [Benchmark]
    public Bill? ResidentialTariffLadderTou() => _residentialTou.Rate(_residentialTouBill).Bill;

    [Benchmark]
    public Bill? CommercialTariffTou() => _commercial.Rate(_commercialBill).Bill;

    [Benchmark]
    public Bill? IndustrialTariffTwoPart() => _industrial.Rate(_industrialBill).Bill;

    private static TariffRater Load(string name) =>
        new(TariffJson.LoadSample(name).Tariff ?? throw new InvalidOperationException("sample " + name + " does not load"));
}
