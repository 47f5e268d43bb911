using MeterToCash.Domain.Common;
namespace MeterToCash.Domain.Tariffs;

/// <summary>A tariff version with every label, clause and price laid out for the rating hot path.</summary>
internal sealed class CompiledVersion
{
    private static readonly string[] BandLabels = ["critical peak 尖峰", "peak 峰", "flat 平", "valley 谷", "all hours"];

    public CompiledVersion(TariffVersion version, int index, DateOnly? until)
    {
        Label = version.Version;
        From = version.EffectiveFrom;
        Until = until;
        string p = $"$.versions[{index}]";
        string notice = string.IsNullOrWhiteSpace(version.Notice) ? string.Empty : "; notice " + version.Notice;

        IsTimeOfUse = version.Energy.IsTimeOfUse;
        SinglePrice = version.Energy.SinglePrice ?? 0;
        for (int band = 0; band < 4; band++)
        {
            decimal? price = version.Energy.Bands?[(TouBand)band];
            BandPrice[band] = price ?? 0;
            BandPriced[band] = price is not null;
            EnergyDescription[band] = "Energy 电度电费, " + BandLabels[band];
            EnergyClause[band] = $"{p}.energy.bands.{TariffJson.BandName((TouBand)band)}{notice}";
        }

        EnergyDescription[4] = "Energy 电度电费";
        EnergyClause[4] = $"{p}.energy.singlePrice{notice}";
        int maxLines = IsTimeOfUse ? 4 : 1;

        Ladder = version.Ladder;
        if (Ladder is not null)
        {
            int tiers = Ladder.Tiers.Count;
            Thresholds = new decimal[tiers - 1];
            ThresholdCents = new long[tiers - 1];
            Surcharges = new decimal[tiers];
            SurchargeDescription = new string[tiers];
            string bandsUsed = string.Join(" + ", Enumerable.Range(0, 4).Where(b => BandPriced[b]).Select(b => BandLabels[b]));
            SurchargeClause = new string[tiers];
            for (int t = 0; t < tiers; t++)
            {
                if (t < tiers - 1)
                {
                    Thresholds[t] = Ladder.Tiers[t].UpToKwh!.Value;
                    ThresholdCents[t] = (long)Thresholds[t] * 100;
                }

                Surcharges[t] = Ladder.Tiers[t].Surcharge;
                SurchargeClause[t] = $"{p}.ladder.tiers[{t}].surcharge{notice}";
                SurchargeDescription[t] = IsTimeOfUse
                    ? $"Tier {t + 1} surcharge 第{t + 1}档加价, on {bandsUsed} together"
                    : $"Tier {t + 1} surcharge 第{t + 1}档加价";
            }

            maxLines += tiers;
        }

        Basic = version.Basic;
        BasicCapacityDescription = "Basic charge by capacity 基本电费(容量)";
        BasicCapacityClause = $"{p}.basic.perKvaMonth{notice}";
        BasicDemandDescription = "Basic charge by maximum demand 基本电费(需量)";
        BasicDemandMinimumDescription = "Basic charge by demand, contracted minimum 基本电费(需量, 核定下限)";
        BasicDemandClause = $"{p}.basic.perKwMonth{notice}";
        if (Basic is not null)
        {
            maxLines++;
        }

        PowerFactor = version.PowerFactor;
        PowerFactorDescription = "Power-factor adjustment 功率因数调整电费";
        PowerFactorClause = $"{p}.powerFactor; national table (83)水电财字第215号";
        if (PowerFactor is not null)
        {
            maxLines++;
        }

        PassThrough = [.. version.PassThrough];
        PassThroughClause = new string[PassThrough.Length];
        for (int i = 0; i < PassThrough.Length; i++)
        {
            PassThroughClause[i] = $"{p}.passThrough[{i}]{notice}";
        }

        MaxLines = maxLines + PassThrough.Length;
    }

    private System.Collections.ObjectModel.ReadOnlyCollection<decimal>? _thresholdsView;

    public string Label { get; }

    public DateOnly From { get; }

    public DateOnly? Until { get; }

    public bool IsTimeOfUse { get; }

    public decimal SinglePrice { get; }

    public decimal[] BandPrice { get; } = new decimal[4];

    public bool[] BandPriced { get; } = new bool[4];

    /// <summary>Index 0–3 by band, 4 for the single price.</summary>
    public string[] EnergyDescription { get; } = new string[5];

    /// <summary>Index 0–3 by band, 4 for the single price.</summary>
    public string[] EnergyClause { get; } = new string[5];

    public LadderDefinition? Ladder { get; }

    public decimal[] Thresholds { get; } = [];

    /// <summary>The thresholds in hundredths of a kWh.</summary>
    public long[] ThresholdCents { get; } = [];

    /// <summary>The unprorated thresholds, shared read-only by every bill of a full period.</summary>
    public IReadOnlyList<decimal> ThresholdsView => _thresholdsView ??= System.Array.AsReadOnly(Thresholds);

    public decimal[] Surcharges { get; } = [];

    public string[] SurchargeDescription { get; } = [];

    public string[] SurchargeClause { get; } = [];

    public BasicChargeDefinition? Basic { get; }

    public string BasicCapacityDescription { get; }

    public string BasicCapacityClause { get; }

    public string BasicDemandDescription { get; }

    public string BasicDemandMinimumDescription { get; }

    public string BasicDemandClause { get; }

    public PowerFactorRule? PowerFactor { get; }

    public string PowerFactorDescription { get; }

    public string PowerFactorClause { get; }

    public PassThroughComponent[] PassThrough { get; }

    public string[] PassThroughClause { get; }

    public int MaxLines { get; }
}
