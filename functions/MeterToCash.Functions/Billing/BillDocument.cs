using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MeterToCash.Domain.Billing;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Domain.Tariffs;

namespace MeterToCash.Functions.Billing;

/// <summary>
/// The bill document a customer reads in a browser (HTML, Chinese with English labels), rendered on request from the
/// immutable stored bill: every meter with its multiplier, reads or interval days and kWh; the determinants; every line
/// with quantity, tier or band, rate, clause and tariff version, estimated lines marked 估; the power-factor assessment;
/// the amount due. Nothing on it is computed here: every figure is the stored bill's.
/// </summary>
public static class BillDocument
{
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The page for <paramref name="bill"/> in <paramref name="status"/>.</summary>
    public static string Render(StoredBill bill, BillStatus status)
    {
        ArgumentNullException.ThrowIfNull(bill);
        StringBuilder page = new(16 * 1024);
        page.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>电费账单 Electricity bill ")
            .Append(E(bill.BillId)).Append("</title><style>")
            .Append("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}h1{font-size:1.5em}")
            .Append("table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}.est{color:#b35c00;font-weight:bold}.held{background:#fff3cd;border:1px solid #e0b400;padding:.6em}")
            .Append(".total{font-size:1.3em;font-weight:bold}.small{color:#666;font-size:.85em}</style></head><body>");
        Header(page, bill, status);
        Meters(page, bill);
        Determinants(page, bill);
        Lines(page, bill);
        page.Append("</body></html>");
        return page.ToString();
    }

    static void Header(StringBuilder page, StoredBill bill, BillStatus status)
    {
        page.Append("<h1>电费账单 <span class=\"small\">Electricity bill</span></h1>");
        if (status != BillStatus.Issued)
        {
            page.Append("<p class=\"held\">").Append(status == BillStatus.Held ? "待审核 Held for review" : "已作废 Cancelled")
                .Append(bill.Reasons.Count > 0 ? ": " + E(string.Join("; ", bill.Reasons.Select(r => r.Code + " — " + r.Message))) : string.Empty).Append("</p>");
        }

        page.Append("<table>");
        Row(page, "账单号 Bill", $"{bill.BillId} (第 {bill.Revision} 版 revision{(bill.Replaces is { } r ? ", 替代 replaces " + r : string.Empty)})");
        Row(page, "户号 Account", bill.AccountNo);
        Row(page, "户名 Name", bill.CustomerName);
        Row(page, "地址 Address", bill.Address);
        Row(page, "用电类别 Class", bill.CustomerClass);
        Row(page, "计费周期 Period", $"{bill.PeriodStart:yyyy-MM-dd} 至 {bill.PeriodEnd.AddDays(-1):yyyy-MM-dd}（含 both days included, {bill.PeriodEnd.DayNumber - bill.PeriodStart.DayNumber} 天 days）");
        Row(page, "抄表段 Billing group", bill.GroupCode);
        Row(page, "电价 Tariff", bill.Rated is { } rated
            ? $"{bill.TariffCode}: {rated.TariffName}, 版本 version {string.Join(", ", rated.Segments.Select(s => s.TariffVersion).Distinct())}{(rated.IsSampleTariff ? "（示例电价 sample tariff: verify against the local price notice）" : string.Empty)}"
            : bill.TariffCode);
        Row(page, "出账日期 Issued", $"{bill.IssuedOn:yyyy-MM-dd}");
        Row(page, "缴费截止 Due", $"{bill.DueDate:yyyy-MM-dd}（含 inclusive; 逾期按日加收违约金 a late fee accrues daily after it）");
        page.Append("<tr><th>应缴电费 Amount due</th><td class=\"total\">¥ ").Append(new Money(bill.TotalFen)).Append("</td></tr></table>");
    }

    static void Meters(StringBuilder page, StoredBill bill)
    {
        page.Append("<h2>计量 Metering</h2><table><tr><th>表号 Meter</th><th>起止 Span</th><th>倍率 Multiplier (CT×PT)</th><th>数据来源 Source</th>")
            .Append("<th>示数 Reads (meter side)</th><th>电量 kWh</th><th>分时 Bands kWh</th><th>无功 kvarh</th><th>最大需量 Max demand kW</th><th>估算 Estimated kWh</th></tr>");
        foreach (BillMeterSource source in bill.Sources)
        {
            string reads = source.Reads.Count == 0
                ? $"{source.CurveDays} 天曲线 days of 15-minute curves"
                : string.Join("<br>", source.Reads.Select(r => $"{E(r.Register)} {r.ReadAt.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm}: {r.Value.ToString(CultureInfo.InvariantCulture)}{(r.Quality == "Valid" ? string.Empty : " (" + E(r.Quality) + ")")}"));
            page.Append("<tr><td>").Append(E(source.MeterNo)).Append("</td><td>").Append($"{source.SpanStart:yyyy-MM-dd} – {source.SpanEnd.AddDays(-1):yyyy-MM-dd}")
                .Append("</td><td class=\"n\">").Append(source.Multiplier).Append("</td><td>")
                .Append(source.ActiveSource == EnergySource.Registers ? "电能表示数 registers" : "负荷曲线累计 interval sum").Append("</td><td>").Append(reads)
                .Append("</td><td class=\"n\">").Append(N(source.Kwh)).Append("</td><td>").Append(Bands(source.Bands))
                .Append("</td><td class=\"n\">").Append(source.Kvarh is { } kvarh ? N(kvarh) : "—")
                .Append("</td><td class=\"n\">").Append(source.MaximumDemandKw is { } demand ? N(demand) : "—")
                .Append("</td><td class=\"n\">").Append(source.EstimatedKwh > 0 ? "<span class=\"est\">估 " + N(source.EstimatedKwh) + "</span>" : "0").Append("</td></tr>");
        }

        page.Append("</table>");
    }

    static void Determinants(StringBuilder page, StoredBill bill)
    {
        if (bill.Determinants is not { } d)
        {
            return;
        }

        page.Append("<h2>计费电量 Billed quantities</h2><table>");
        Row(page, "有功电量 Active energy", N(d.TotalKwh) + " kWh" + (d.Estimated.HasFlag(EstimatedValues.ActiveEnergy) ? "（含估算 includes estimates）" : string.Empty));
        if (d.Bands is { } bands)
        {
            page.Append("<tr><th>分时电量 Energy by band</th><td>").Append(Bands(bands)).Append("</td></tr>");
        }

        if (d.ReactiveKvarh is { } kvarh)
        {
            Row(page, "无功电量 Reactive energy", N(kvarh) + " kvarh");
        }

        if (d.MaximumDemandKw is { } demand)
        {
            Row(page, "最大需量 Maximum demand", N(demand) + " kW");
        }

        if (d.TransformerKva is { } kva)
        {
            Row(page, "受电容量 Transformer capacity", N(kva) + " kVA");
        }

        if (d.YearToDateKwh > 0)
        {
            Row(page, "本年累计 Year to date before this bill", N(d.YearToDateKwh) + " kWh");
        }

        if (bill.EstimatedShare > 0)
        {
            Row(page, "估算比例 Estimated share", bill.EstimatedShare.ToString("P2", CultureInfo.InvariantCulture));
        }

        page.Append("</table>");
    }

    static void Lines(StringBuilder page, StoredBill bill)
    {
        if (bill.Rated is not { } rated)
        {
            return;
        }

        page.Append("<h2>电费明细 Charges</h2><table><tr><th>项目 Item</th><th>数量 Quantity</th><th>单价 Rate</th><th>金额 Amount ¥</th><th>依据 Clause, version</th></tr>");
        foreach (BillLine line in rated.Lines)
        {
            string item = Kind(line.Kind) + (line.Band is { } band ? "，" + BandName(band) : string.Empty) + (line.Tier is { } tier ? $"，第 {tier} 档 tier {tier}" : string.Empty);
            string rate = line.Kind == BillLineKind.PowerFactorAdjustment
                ? N(line.Rate) + " %"
                : N(line.Rate) + " ¥/" + line.Unit + (line.ProrationBaseDays > 0 ? $" × {line.ProratedDays}/{line.ProrationBaseDays} 天 days" : string.Empty);
            page.Append("<tr><td>").Append(item).Append("<br><span class=\"small\">").Append(E(line.Description)).Append("</span>")
                .Append(line.Estimated ? " <span class=\"est\" title=\"estimated\">估</span>" : string.Empty)
                .Append("</td><td class=\"n\">").Append(N(line.Quantity)).Append(' ').Append(E(line.Unit))
                .Append("</td><td class=\"n\">").Append(rate)
                .Append("</td><td class=\"n\">").Append(line.Amount)
                .Append("</td><td class=\"small\">").Append(E(line.Clause)).Append("<br>").Append(E(line.TariffVersion)).Append("</td></tr>");
            if (line.PowerFactor is { } pf)
            {
                page.Append("<tr><td colspan=\"5\" class=\"small\">功率因数 Power factor = kWh ÷ √(kWh² + kvarh²) = ")
                    .Append(N(pf.Kwh)).Append(" ÷ √(").Append(N(pf.Kwh)).Append("² + ").Append(N(pf.Kvarh)).Append("²) = ").Append(N(pf.Factor))
                    .Append("；标准 standard 0.").Append((int)pf.Standard).Append("；调整 adjustment ").Append(N(pf.AdjustmentPercent)).Append(" %（(83)水电财字第215号）</td></tr>");
            }
        }

        page.Append("<tr><th colspan=\"3\">合计 Total</th><td class=\"n total\">").Append(rated.Total).Append("</td><td></td></tr></table>")
            .Append("<p class=\"small\">金额逐行四舍五入到分，合计为各行之和。Each line is rounded half-up to the fen once; the total is the sum of the lines.</p>");
    }

    static string Bands(BandEnergy? bands) => bands is not { } b
        ? "—"
        : string.Join("<br>", new[] { TouBand.CriticalPeak, TouBand.Peak, TouBand.Flat, TouBand.Valley }.Where(band => b[band] != 0).Select(band => $"{BandName(band)} {N(b[band])}"));

    static string BandName(TouBand band) => band switch
    {
        TouBand.CriticalPeak => "尖峰 critical peak",
        TouBand.Peak => "峰 peak",
        TouBand.Flat => "平 flat",
        _ => "谷 valley",
    };

    static string Kind(BillLineKind kind) => kind switch
    {
        BillLineKind.Energy => "电度电费 Energy",
        BillLineKind.TierSurcharge => "阶梯加价 Tier surcharge",
        BillLineKind.BasicCapacity => "基本电费（容量）Basic charge, capacity",
        BillLineKind.BasicDemand => "基本电费（需量）Basic charge, demand",
        BillLineKind.PowerFactorAdjustment => "功率因数调整电费 Power-factor adjustment",
        _ => "政府性基金及附加 Pass-through",
    };

    static void Row(StringBuilder page, string label, string value) =>
        page.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    static string N(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    static string E(string text) => Html.Encode(text);
}
