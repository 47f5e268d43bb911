using MeterToCash.Domain.Tariffs;
using static MeterToCash.Domain.Tests.Tariffs.TariffTestData;

namespace MeterToCash.Domain.Tests.Tariffs;

public class BillTextTests
{
    [Fact]
    public void Render_TouLadderBill_ShowsEachLinesArithmeticAndTotal()
    {
        // Same bill as ResidentialLadderTests.Rate_TouLadderCrossingTier_…: 92.55 + 15.35 + 4.00 = 111.90.
        Bill bill = ResidentialTou.RateOk(Tou(Month(2025, 5), 0, 150m, 0, 50m, 3000m));

        string text = BillText.Render(bill);

        Assert.Contains("150.00 kWh × 0.617 yuan/kWh = 92.55", text, StringComparison.Ordinal);
        Assert.Contains("50.00 kWh × 0.307 yuan/kWh = 15.35", text, StringComparison.Ordinal);
        Assert.Contains("80.00 kWh × 0.05 yuan/kWh = 4.00", text, StringComparison.Ordinal);
        Assert.Contains("Total: 111.90 yuan", text, StringComparison.Ordinal);
        Assert.Contains("SAMPLE TARIFF", text, StringComparison.Ordinal);
        Assert.Contains("by tier 120.00 / 80.00 / 0.00 kWh", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IndustrialBill_ExplainsThePowerFactor()
    {
        Bill bill = Industrial.RateOk(LargeIndustrialTests.Determinants(Month(2025, 3), BasicChargeMethod.Capacity, 800m, 61478m));

        string text = BillText.Render(bill);

        Assert.Contains("power factor = 120000 / √(120000² + 61478²) = 0.89 (half-up), standard 0.90, adjustment +0.50 %", text, StringComparison.Ordinal);
        Assert.Contains("107000.00 yuan (basic + energy) × +0.50 % = 535.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderHtml_Bill_EncodesAndTabulatesLines()
    {
        Bill bill = CommercialTou.RateOk(Tou(Month(2025, 8), 100m, 1000m, 2000m, 1500.55m));

        string html = BillText.RenderHtml(bill);

        Assert.Contains("<td>3033.60</td>", html, StringComparison.Ordinal);
        Assert.Equal(bill.Lines.Count + 2, html.Split("<tr>").Length - 1);
    }
}
