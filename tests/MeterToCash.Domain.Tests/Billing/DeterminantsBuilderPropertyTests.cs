using FsCheck;
using FsCheck.Fluent;
using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Billing.BillingTestData;

namespace MeterToCash.Domain.Tests.Billing;

public class DeterminantsBuilderPropertyTests
{
    private static readonly DateOnly Start = new(2025, 3, 1);

    /// <summary>1–3 days of 96 slots with values of 0–99.9999 kWh (4 decimals), and a band for each hour of the day.</summary>
    private static Gen<(decimal[][] Days, TouBand[] BandOfHour)> Cases() =>
        from days in Gen.Choose(1, 3)
        from values in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 999_999).Select(v => v / 10_000m), 96), days)
        from bands in Gen.ArrayOf(Gen.Elements(TouBand.CriticalPeak, TouBand.Peak, TouBand.Flat, TouBand.Valley), 24)
        select (values, bands);

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property Build_CurvePath_ExactBandsAddUpToTheCurveTotalAndBillBandsToTheBillTotal() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            DateOnly end = Start.AddDays(c.Days.Length);
            DayCurve[] curves = [.. c.Days.Select((values, d) => Curve(A, Start.AddDays(d), i => values[i]))];
            Func<DateOnly, Func<DateTimeOffset, TouBand>> classifier = _ => s => c.BandOfHour[s.ToOffset(ChinaTime.Offset).Hour];

            DeterminantsResult result = DeterminantsBuilder.Build(Input(Period(Start, end), Point(Meter(A, new DateOnly(2020, 1, 1))), [Data(A, curves: curves)], true, classifier));

            MeterSource source = Assert.Single(result.Sources);
            decimal curveTotal = curves.Sum(curve => curve.Total());
            BillDeterminants d = result.Determinants!;
            return source.ActiveSource == EnergySource.Intervals
                && source.ExactBands!.Value.Total == curveTotal
                && source.ExactKwh == curveTotal
                && d.Bands!.Value.Total == d.TotalKwh
                && Math.Abs(d.TotalKwh - curveTotal) <= 0.02m;
        });
}
