using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Tests.Tariffs;

/// <summary>Golden bills for general commercial tariffs (sample: 1.2 / 1.0 / 0.65 / 0.32 yuan/kWh, funds 0.029).</summary>
public class CommercialTests
{
    [Fact]
    public void Rate_FourBandTou_ChargesEachBandAndFundsSeparately()
    {
        // 100 × 1.2 = 120.00; 1000 × 1.0 = 1000.00; 2000 × 0.65 = 1300.00; 1500.55 × 0.32 = 480.176 → 480.18;
        // funds on 4600.55 kWh × 0.029 = 133.41595 → 133.42. Total 3033.60.
        Bill bill = CommercialTou.RateOk(Tou(Month(2025, 8), 100m, 1000m, 2000m, 1500.55m));

        Assert.Equal(303360, bill.Total.Fen);
        Assert.Equal(
            [(TouBand?)TouBand.CriticalPeak, TouBand.Peak, TouBand.Flat, TouBand.Valley, null],
            bill.Lines.Select(l => l.Band));
        BillLine funds = bill.Lines[^1];
        Assert.Equal((BillLineKind.PassThrough, 4600.55m, 0.029m, 13342L), (funds.Kind, funds.Quantity, funds.Rate, funds.Amount.Fen));
        Assert.Equal("$.versions[0].passThrough[0]; notice sample: verify against the current local price notice", funds.Clause);
    }

    [Fact]
    public void Rate_SinglePriceCommercial_ChargesEnergyAndFunds()
    {
        // 1234.56 × 0.75 = 925.92; 1234.56 × 0.029 = 35.80224 → 35.80. Total 961.72.
        TariffRater rater = FromJson(SinglePriceJson);

        Bill bill = rater.RateOk(Flat(Month(2025, 2), 1234.56m));

        Assert.Equal(96172, bill.Total.Fen);
        Assert.Equal(2, bill.Lines.Count);
    }

    [Fact]
    public void Rate_EstimatedReading_FlagsLinesAndBill()
    {
        Bill bill = CommercialTou.RateOk(Tou(Month(2025, 8), 0, 10m, 10m, 10m) with { Estimated = EstimatedValues.ActiveEnergy });

        Assert.True(bill.ContainsEstimates);
        Assert.All(bill.Lines, l => Assert.True(l.Estimated));
    }

    internal const string SinglePriceJson = """
        {
          "id": "test-commercial-single", "name": "Commercial single price (test)", "kind": "generalCommercial",
          "versions": [
            {
              "version": "2025", "effectiveFrom": "2025-01-01",
              "energy": { "singlePrice": 0.75 },
              "passThrough": [ { "code": "gov-funds", "name": "Government funds", "perKwh": 0.029 } ]
            }
          ]
        }
        """;
}
