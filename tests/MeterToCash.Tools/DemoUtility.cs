using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace MeterToCash.Tools;

/// <summary>A network node of the demo utility.</summary>
public sealed record DemoNode(string Level, string Code, string Name, string? ParentCode, decimal? RatedKva);

/// <summary>
/// A deterministic demo utility: a network of substations, feeders and transformer areas, and an archive CSV of
/// customers spread over the areas with a realistic mix of classes and payment modes. Optionally salted with bad rows.
/// </summary>
public sealed class DemoUtility(int customers, int seed = 20261126, int areas = 12)
{
    public const string Header = "account_no,name,class,payment_mode,phone,address,credit_grade,area_code,service_point_id,sp_address,supply_voltage_kv,contracted_kva,meter_no,manufacturer,ct_ratio,pt_ratio,registers,install_date,tariff_code,tariff_effective_from";

    static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
    static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"];
    static readonly string[] Streets = ["世纪大道", "张江路", "川沙路", "浦东南路", "龙阳路", "锦绣路"];
    static readonly string[] Makers = ["Linyang", "Wasion", "Holley", "Sanxing", "Techen"];

    public IReadOnlyList<DemoNode> Network()
    {
        List<DemoNode> nodes = [];
        int substations = Math.Max(1, areas / 6);
        for (int s = 1; s <= substations; s++)
        {
            nodes.Add(new("substations", $"SS{s:D2}", $"{Streets[s % Streets.Length]} 110kV 变电站", null, null));
        }

        int feeders = Math.Max(1, areas / 2);
        for (int f = 1; f <= feeders; f++)
        {
            nodes.Add(new("feeders", $"FD{f:D3}", $"10kV 线路 {f}", $"SS{(f - 1) % substations + 1:D2}", null));
        }

        for (int a = 1; a <= areas; a++)
        {
            nodes.Add(new("areas", AreaCode(a), $"台区 {a:D3}", $"FD{(a - 1) % feeders + 1:D3}", (a % 3) switch { 0 => 630m, 1 => 400m, _ => 800m }));
        }

        return nodes;
    }

    public static string AreaCode(int area) => $"TA{area:D4}";

    /// <summary>Creates (or replaces) the demo network through the API, as a back-office client would.</summary>
    public async Task SeedNetworkAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (DemoNode node in Network())
        {
            object body = node.Level switch
            {
                "substations" => new { name = node.Name },
                "feeders" => new { name = node.Name, substationCode = node.ParentCode },
                // Every demo area has its master meter (考核表), installed before the data the demo seeds.
                _ => (object)new
                {
                    name = node.Name, feederCode = node.ParentCode, ratedKva = node.RatedKva,
                    masterMeter = new { meterNo = Simulator.AreaSupply.MasterMeterNo(node.Code), ctRatio = Simulator.AreaSupply.MasterCtRatio(node.RatedKva ?? 400m), ptRatio = 1, installDate = "2024-01-01" },
                },
            };
            HttpResponseMessage put = await client.PutAsJsonAsync($"api/network/{node.Level}/{node.Code}", body);
            if (!put.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"PUT network/{node.Level}/{node.Code}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>
    /// The demo's billing groups (抄表段): BG-EAST holds the first quarter of the areas (cycle day 1, so it bills calendar
    /// months), BG-WEST the rest (cycle day 15). With the default 12 areas: TA0001–TA0003, the areas run.sh simulates and
    /// seeds last month's readings for, so BG-EAST can be billed at once, and TA0004–TA0012.
    /// </summary>
    public IReadOnlyList<(string Code, string Name, int CycleDay, IReadOnlyList<string> Areas)> BillingGroups()
    {
        int half = Math.Max(1, areas / 4);
        List<(string, string, int, IReadOnlyList<string>)> groups = [("BG-EAST", "东区抄表段", 1, [.. Enumerable.Range(1, half).Select(AreaCode)])];
        if (areas > half)
        {
            groups.Add(("BG-WEST", "西区抄表段", 15, [.. Enumerable.Range(half + 1, areas - half).Select(AreaCode)]));
        }

        return groups;
    }

    /// <summary>Creates (or replaces with the same content: 200) the demo billing groups; needs the network first.</summary>
    public async Task SeedBillingGroupsAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach ((string code, string name, int cycleDay, IReadOnlyList<string> groupAreas) in BillingGroups())
        {
            HttpResponseMessage put = await client.PutAsJsonAsync($"api/billing-groups/{code}", new { name, cycleDay, areas = groupAreas });
            if (!put.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"PUT billing-groups/{code}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>Writes the archive CSV; <paramref name="badRows"/> rows (spread through the file) break one rule each.</summary>
    public string ArchiveCsv(int badRows = 0, int accountOffset = 0)
    {
        Random random = new(seed);
        StringBuilder csv = new(Header + "\n");
        HashSet<int> bad = [];
        Random badPick = new(seed + 1);
        while (bad.Count < Math.Min(badRows, customers))
        {
            bad.Add(badPick.Next(customers));
        }

        for (int i = 0; i < customers; i++)
        {
            string account = (3100000000L + accountOffset + i).ToString(CultureInfo.InvariantCulture);
            int area = i % areas + 1;
            double roll = random.NextDouble();
            (string cls, string tariff, decimal kv, decimal kva, int ct, int pt, string registers) = roll switch
            {
                < 0.80 => ("Residential", random.Next(2) == 0 ? "SH-RES-TOU" : "SH-RES-FLAT", 0.22m, 8m, 1, 1, "ActiveImportTotal|ActiveImportPeak|ActiveImportValley"),
                < 0.92 => ("Commercial", "SH-COM-TOU", 0.38m, 50m, 20, 1, "ActiveImportTotal|ActiveImportPeak|ActiveImportFlat|ActiveImportValley|ReactiveImport"),
                < 0.97 => ("LargeIndustrial", "SH-IND-2PART", 10m, 630m + 315m * random.Next(4), 40, 100, "ActiveImportTotal|ActiveImportCriticalPeak|ActiveImportPeak|ActiveImportFlat|ActiveImportValley|ReactiveImport"),
                _ => ("Agricultural", "SH-AGR", 0.38m, 30m, 1, 1, "ActiveImportTotal"),
            };
            string payment = cls == "Residential" && random.NextDouble() < 0.3 ? "Prepaid" : "Postpaid";
            string name = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)] + (cls == "Residential" ? string.Empty : "有限公司");
            string address = $"上海市浦东新区{Streets[random.Next(Streets.Length)]}{random.Next(1, 2000)}号";
            string phone = "13" + random.Next(100000000, 999999999).ToString(CultureInfo.InvariantCulture);
            string install = new DateOnly(2018, 1, 1).AddDays(random.Next(2500)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            string[] row =
            [
                account, name, cls, payment, phone, address, "A", AreaCode(area), "SP1", address,
                kv.ToString(CultureInfo.InvariantCulture), kva.ToString(CultureInfo.InvariantCulture),
                $"MTR{accountOffset + i:D9}", Makers[random.Next(Makers.Length)], ct.ToString(CultureInfo.InvariantCulture), pt.ToString(CultureInfo.InvariantCulture),
                registers, install, tariff, install,
            ];

            if (bad.Contains(i))
            {
                // One broken rule per bad row, cycling through kinds a real file gets wrong.
                switch (i % 5)
                {
                    case 0: row[10] = "0.5"; break;          // non-standard voltage
                    case 1: row[17] = "2024-13-40"; break;   // impossible date
                    case 2: row[7] = "TA9999"; break;        // area not in the network
                    case 3: row[2] = "Household"; break;     // unknown class
                    default: row[12] = "MTR/BAD"; break;     // meter number with a slash
                }
            }

            csv.AppendJoin(',', row.Select(Quote)).Append('\n');
        }

        return csv.ToString();
    }

    static string Quote(string field) => field.Contains(',') || field.Contains('"') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
