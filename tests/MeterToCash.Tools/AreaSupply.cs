using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;

namespace MeterToCash.Simulator;

/// <summary>Theft planted in one area: from <paramref name="From"/> (China-local day, inclusive) some meters register only <paramref name="ReportedShare"/> of their energy.</summary>
/// <param name="Area">Transformer area.</param>
/// <param name="From">First day of the theft.</param>
/// <param name="ReportedShare">Share of the true energy the tampered meters still register (0.3: a bypass takes 70 %).</param>
public sealed record TheftPlan(string Area, DateOnly From, double ReportedShare = 0.3);

/// <summary>A simulated customer meter as the area's supply sees it.</summary>
/// <param name="Meter">The meter and its load profile.</param>
/// <param name="Area">Its transformer area.</param>
/// <param name="LowVoltage">Supplied at ≤ 1 kV, i.e. through the area's transformer (10 kV customers are fed from the feeder).</param>
public sealed record SupplyMeter(SimulatedMeter Meter, string Area, bool LowVoltage);

/// <summary>
/// The transformer side of the simulation: each area's master meter (考核表), which measures the true energy of the
/// low-voltage customers behind the transformer plus a technical loss of 3–6 % (fixed per area, ±20 % per interval),
/// and optional planted theft: the largest low-voltage meters of the theft area, until they hold at least 15 % of its
/// energy, register only <see cref="TheftPlan.ReportedShare"/> from the theft's first day while the master meter
/// still sees everything (a bypass). Deterministic in (seed, meter, interval), like the customer curves.
/// </summary>
public sealed class AreaSupply(IReadOnlyList<SupplyMeter> meters, IReadOnlyDictionary<string, int> masterCtRatios, int seed, TheftPlan? theft)
{
    /// <summary>Share of the theft area's energy the tampered meters hold at least.</summary>
    public const double TheftEnergyShare = 0.15;

    readonly HashSet<string> thieves = theft is { Area: { } theftArea } ? Thieves([.. meters.Where(m => m.Area == theftArea && m.LowVoltage).Select(m => m.Meter)]) : [];

    /// <summary>The master meter number of an area, as the demo archive files it.</summary>
    public static string MasterMeterNo(string area) => "MM-" + area;

    /// <summary>CT ratio of a master meter for a transformer of <paramref name="ratedKva"/> at 0.4 kV (e.g. 400 kVA → 577 A → 600/5 = 120).</summary>
    public static int MasterCtRatio(decimal ratedKva) => ratedKva <= 400 ? 120 : ratedKva <= 630 ? 200 : 300;

    /// <summary>The area's technical loss share, 3–6 %, fixed per area.</summary>
    public double TechnicalLoss(string area) => 0.03 + (0.03 * DeterministicRandom.Uniform(seed, "loss:" + area, 0));

    /// <summary>The meters theft was planted on (empty without a plan).</summary>
    public IReadOnlySet<string> TamperedMeters => thieves;

    /// <summary>What a customer meter registers of an interval whose true value is <paramref name="reading"/>: scaled down once tampered.</summary>
    public IntervalReading Registered(IntervalReading reading)
    {
        return theft is not null && reading.Channel == MeterChannel.ActiveImport && thieves.Contains(reading.Meter.Value) && ChinaTime.LocalDay(reading.Start) >= theft.From
            ? reading with { Value = decimal.Round(reading.Value * (decimal)theft.ReportedShare, 3, MidpointRounding.AwayFromZero) }
            : reading;
    }

    /// <summary>The master meter's reading of an interval (meter side: primary ÷ CT ratio, 0.0001 kWh), or null for an area without one.</summary>
    public IntervalReading? Master(string area, DateTimeOffset start)
    {
        if (!masterCtRatios.TryGetValue(area, out int ct))
        {
            return null;
        }

        decimal customers = 0;
        foreach (SupplyMeter m in meters)
        {
            if (m.Area == area && m.LowVoltage)
            {
                customers += CurveGenerator.Interval(m.Meter, start, seed).Value * (decimal)Math.Max(m.Meter.Multiplier, 1);
            }
        }

        double loss = TechnicalLoss(area) * (0.8 + (0.4 * DeterministicRandom.Uniform(seed, "loss:" + area, start.ToUnixTimeSeconds())));
        decimal primary = customers / (1 - (decimal)loss);
        return new IntervalReading(new MeterId(MasterMeterNo(area)), MeterChannel.ActiveImport, start.ToUniversalTime(), 15, decimal.Round(primary / ct, 4, MidpointRounding.AwayFromZero), EnergyUnit.Kwh, ReadingQuality.Valid);
    }

    /// <summary>The demo master meters' CT ratios by area, read from the network tree (areas without one, or with another number, are left out).</summary>
    public static async Task<Dictionary<string, int>> MasterCtRatiosAsync(HttpClient client, Uri tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        Dictionary<string, int> masters = new(StringComparer.Ordinal);
        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync(tree, cancellationToken));
        foreach (JsonElement area in document.RootElement.GetProperty("substations").EnumerateArray()
            .SelectMany(s => s.GetProperty("feeders").EnumerateArray()).SelectMany(f => f.GetProperty("areas").EnumerateArray()))
        {
            string code = area.GetProperty("code").GetString()!;
            if (area.TryGetProperty("masterMeter", out JsonElement master) && master.ValueKind == JsonValueKind.Object && master.GetProperty("meterNo").GetString() == MasterMeterNo(code))
            {
                masters[code] = master.TryGetProperty("ctRatio", out JsonElement ct) && ct.ValueKind == JsonValueKind.Number ? ct.GetInt32() : 1;
            }
        }

        return masters;
    }

    static HashSet<string> Thieves(List<SimulatedMeter> area)
    {
        double total = area.Sum(m => m.AverageKwhPerDay);
        HashSet<string> chosen = new(StringComparer.OrdinalIgnoreCase);
        double taken = 0;
        foreach (SimulatedMeter m in area.OrderByDescending(m => m.AverageKwhPerDay).ThenBy(m => m.Meter.Value, StringComparer.Ordinal))
        {
            if (taken >= TheftEnergyShare * total)
            {
                break;
            }

            chosen.Add(m.Meter.Value);
            taken += m.AverageKwhPerDay;
        }

        return chosen;
    }
}
