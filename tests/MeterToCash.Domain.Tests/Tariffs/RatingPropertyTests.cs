using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

/// <summary>Properties every tariff kind must keep, over random determinants of the four samples.</summary>
public class RatingPropertyTests
{
    public enum Kind
    {
        ResidentialLadder,
        ResidentialTou,
        CommercialTou,
        Industrial,
    }

    private static readonly Gen<decimal> Kwh = Gen.Choose(0, 2_000_000).Select(c => c / 100m);

    private static Gen<(Kind Kind, BillDeterminants D)> Cases()
    {
        Gen<BillingPeriod> period =
            from month in Gen.Choose(1, 12)
            from startDay in Gen.Choose(1, 28)
            let start = new DateOnly(2025, month, startDay)
            from length in Gen.Choose(1, 40)
            select new BillingPeriod(start, start.AddDays(length));

        return from kind in Gen.Elements(Kind.ResidentialLadder, Kind.ResidentialTou, Kind.CommercialTou, Kind.Industrial)
               from p in period
               from cp in Kwh
               from peak in Kwh
               from flat in Kwh
               from valley in Kwh
               from ytd in Gen.Choose(0, 800_000).Select(c => c / 100m)
               from kvarh in Gen.Choose(0, 3_000_000).Select(c => c / 100m)
               from demand in Gen.Choose(0, 2_000)
               from byDemand in Gen.Elements(true, false)
               select (kind, Build(kind, p, cp, peak, flat, valley, ytd, kvarh, demand, byDemand));
    }

    private static BillDeterminants Build(Kind kind, BillingPeriod p, decimal cp, decimal peak, decimal flat, decimal valley, decimal ytd, decimal kvarh, int demand, bool byDemand) => kind switch
    {
        Kind.ResidentialLadder => Flat(p, peak + valley, ytd),
        Kind.ResidentialTou => Tou(p, 0, peak, 0, valley, ytd),
        Kind.CommercialTou => Tou(p, cp, peak, flat, valley),
        _ => Tou(p, cp, peak, flat, valley) with
        {
            ReactiveKvarh = kvarh,
            MaximumDemandKw = demand,
            TransformerKva = 1000m,
            BasicChargeMethod = byDemand ? BasicChargeMethod.Demand : BasicChargeMethod.Capacity,
        },
    };

    private static TariffRater RaterFor(Kind kind) => kind switch
    {
        Kind.ResidentialLadder => ResidentialLadder,
        Kind.ResidentialTou => ResidentialTou,
        Kind.CommercialTou => CommercialTou,
        _ => Industrial,
    };

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Rate_AnyDeterminants_LinesSumToTotal() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            Bill bill = RaterFor(c.Kind).RateOk(c.D);
            return bill.Total.Fen == bill.Lines.Sum(l => l.Amount.Fen);
        });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Rate_AnyDeterminants_EachLineIsItsArithmeticRoundedToTheFen() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            Bill bill = RaterFor(c.Kind).RateOk(c.D);
            return bill.Lines.All(l =>
                decimal.Round(l.Amount.Yuan, 2) == l.Amount.Yuan &&
                l.Amount == Money.FromYuan(l.Kind switch
                {
                    BillLineKind.PowerFactorAdjustment => l.Quantity * l.Rate / 100m,
                    _ when l.ProrationBaseDays > 0 => l.Quantity * l.Rate * l.ProratedDays / l.ProrationBaseDays,
                    _ => l.Quantity * l.Rate,
                }));
        });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Rate_SameInputTwice_GivesTheSameBill() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            Bill first = RaterFor(c.Kind).RateOk(c.D);
            Bill second = RaterFor(c.Kind).RateOk(c.D);
            return first.Total == second.Total && first.Lines.SequenceEqual(second.Lines) && first.Segments.Count == second.Segments.Count;
        });

    /// <summary>
    /// More consumption in any band never lowers the bill. For the two-part tariff the power factor is held at 1.00
    /// (no kvarh, at least 1 kWh): a better factor legitimately lowers the bill through the national table, shown in
    /// <see cref="LargeIndustrialTests.Rate_MoreEnergyImprovingPowerFactor_CanLowerTheBill"/>.
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Rate_MoreEnergyInAnyBand_NeverLowersTheTotal() =>
        Prop.ForAll(
            Arb.From(from c in Cases()
                     from band in Gen.Elements(TouBand.CriticalPeak, TouBand.Peak, TouBand.Flat, TouBand.Valley)
                     from delta in Gen.Elements(0.01m, 1m, 123.45m, 5000m)
                     select (c.Kind, c.D, band, delta)),
            x =>
            {
                BillDeterminants before = x.D;
                if (x.Kind == Kind.Industrial)
                {
                    BandEnergy b0 = before.Bands!.Value;
                    before = before with { ReactiveKvarh = 0m, Bands = b0 with { Flat = b0.Flat + 1m }, TotalKwh = before.TotalKwh + 1m };
                }

                BillDeterminants after = Increase(x.Kind, before, x.band, x.delta);
                TariffRater rater = RaterFor(x.Kind);
                return rater.RateOk(after).Total >= rater.RateOk(before).Total;
            });

    private static BillDeterminants Increase(Kind kind, BillDeterminants d, TouBand band, decimal delta)
    {
        if (kind == Kind.ResidentialLadder)
        {
            return d with { TotalKwh = d.TotalKwh + delta };
        }

        BandEnergy b = d.Bands!.Value;
        if (kind == Kind.ResidentialTou)
        {
            // The residential sample offers only peak and valley.
            band = band is TouBand.Peak or TouBand.CriticalPeak ? TouBand.Peak : TouBand.Valley;
        }

        BandEnergy more = band switch
        {
            TouBand.CriticalPeak => b with { CriticalPeak = b.CriticalPeak + delta },
            TouBand.Peak => b with { Peak = b.Peak + delta },
            TouBand.Flat => b with { Flat = b.Flat + delta },
            _ => b with { Valley = b.Valley + delta },
        };
        return d with { Bands = more, TotalKwh = d.TotalKwh + delta };
    }
}
