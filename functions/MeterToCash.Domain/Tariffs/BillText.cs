using System.Globalization;
using System.Net;
using System.Text;

namespace MeterToCash.Domain.Tariffs;

/// <summary>Renders a bill as plain text or HTML that a customer can check line by line with a calculator.</summary>
public static class BillText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Plain text: one line per bill line, "quantity × rate = amount", with version and clause.</summary>
    public static string Render(Bill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        var sb = new StringBuilder();
        sb.Append(Inv, $"Bill: {bill.TariffName} ({bill.TariffId})").AppendLine();
        if (bill.IsSampleTariff)
        {
            sb.AppendLine("SAMPLE TARIFF: prices must be verified against the current local price notice.");
        }

        sb.Append(Inv, $"Period: {bill.Period}").AppendLine();
        foreach (BillSegment s in bill.Segments)
        {
            sb.Append(Inv, $"  Version {s.TariffVersion}: {s.Period}, {s.Kwh:0.00} kWh").Append(Ladder(s)).AppendLine();
        }

        int n = 1;
        foreach (BillLine line in bill.Lines)
        {
            sb.Append(Inv, $"{n++,2}. {Describe(line)}: {Arithmetic(line)}").AppendLine();
            sb.Append(Inv, $"    version {line.TariffVersion}, clause {line.Clause}").AppendLine();
            if (line.PowerFactor is PowerFactorAssessment pf)
            {
                sb.Append(Inv, $"    power factor = {pf.Kwh} / √({pf.Kwh}² + {pf.Kvarh}²) = {pf.Factor:0.00} (half-up), standard {pf.Standard.ToFactor():0.00}, adjustment {pf.AdjustmentPercent:+0.00;-0.00;0} %").AppendLine();
            }
        }

        sb.Append(Inv, $"Total: {bill.Total} yuan (the sum of the rounded lines; each line rounds half-up to the fen once)").AppendLine();
        if (bill.ContainsEstimates)
        {
            sb.AppendLine("Lines marked (estimated) rest on estimated readings and will be corrected when actual readings arrive.");
        }

        return sb.ToString();
    }

    /// <summary>A self-contained HTML fragment (a table) with the same content as <see cref="Render"/>.</summary>
    public static string RenderHtml(Bill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        var sb = new StringBuilder();
        sb.Append("<section class=\"bill\"><h2>").Append(E($"{bill.TariffName} ({bill.TariffId})")).Append("</h2>");
        if (bill.IsSampleTariff)
        {
            sb.Append("<p><strong>Sample tariff: verify against the current local price notice.</strong></p>");
        }

        sb.Append("<p>Period: ").Append(E(bill.Period.ToString())).Append("</p><ul>");
        foreach (BillSegment s in bill.Segments)
        {
            sb.Append("<li>").Append(E(string.Create(Inv, $"Version {s.TariffVersion}: {s.Period}, {s.Kwh:0.00} kWh{Ladder(s)}"))).Append("</li>");
        }

        sb.Append("</ul><table><thead><tr><th>#</th><th>Item</th><th>Calculation</th><th>Amount (yuan)</th><th>Version</th><th>Clause</th></tr></thead><tbody>");
        int n = 1;
        foreach (BillLine line in bill.Lines)
        {
            sb.Append(Inv, $"<tr><td>{n++}</td><td>{E(Describe(line))}</td><td>{E(Arithmetic(line))}</td><td>{line.Amount}</td><td>{E(line.TariffVersion)}</td><td>{E(line.Clause)}</td></tr>");
        }

        sb.Append(Inv, $"</tbody><tfoot><tr><td colspan=\"3\">Total</td><td>{bill.Total}</td><td colspan=\"2\"></td></tr></tfoot></table></section>");
        return sb.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Ladder(BillSegment s) => s.LadderThresholdsKwh.Count == 0
        ? string.Empty
        : string.Create(Inv, $"; ladder thresholds {string.Join(" / ", s.LadderThresholdsKwh.Select(t => t.ToString("0", Inv)))} kWh, this period's kWh counted from {s.LadderStartKwh:0.00} kWh; by tier {string.Join(" / ", s.TierKwh.Select(t => t.ToString("0.00", Inv)))} kWh");

    private static string Describe(BillLine line)
    {
        string estimated = line.Estimated ? " (estimated)" : string.Empty;
        return line.Description + estimated;
    }

    private static string Arithmetic(BillLine line) => line.Kind switch
    {
        BillLineKind.PowerFactorAdjustment => string.Create(Inv, $"{line.Quantity:0.00} yuan (basic + energy) × {line.Rate:+0.00;-0.00;0} % = {line.Amount}"),
        BillLineKind.BasicCapacity or BillLineKind.BasicDemand => string.Create(Inv, $"{line.Quantity} {line.Unit} × {line.Rate} yuan/{line.Unit}-month{(line.ProrationBaseDays > 0 ? $" × {line.ProratedDays}/{line.ProrationBaseDays} days" : string.Empty)} = {line.Amount}"),
        _ => string.Create(Inv, $"{line.Quantity:0.00} kWh × {line.Rate} yuan/kWh = {line.Amount}"),
    };
}
