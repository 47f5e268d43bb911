using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MeterToCash.Functions.Tests.Archive;

/// <summary>Customer documents as a back-office client would send them.</summary>
internal static class CustomerJson
{
    static int next = 1;

    /// <summary>Unique account and meter numbers per test, so tests sharing one backend never collide.</summary>
    public static (string AccountNo, string MeterNo) NextIds()
    {
        int n = Interlocked.Increment(ref next);
        string stamp = DateTime.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        return ($"T{stamp}{n:D4}", $"TM{stamp}{n:D4}");
    }

    public static JsonObject Residential(string accountNo, string meterNo, string area = "TA0001") => new()
    {
        ["accountNo"] = accountNo,
        ["name"] = "李四",
        ["class"] = "Residential",
        ["paymentMode"] = "Prepaid",
        ["phone"] = "13912345678",
        ["address"] = "上海市浦东新区张江路 88 号",
        ["areaCode"] = area,
        ["servicePoints"] = new JsonArray
        {
            new JsonObject
            {
                ["id"] = "SP1",
                ["address"] = "上海市浦东新区张江路 88 号",
                ["supplyVoltageKv"] = 0.22m,
                ["contractedCapacityKva"] = 8m,
                ["meters"] = new JsonArray
                {
                    new JsonObject { ["meterNo"] = meterNo, ["manufacturer"] = "Wasion", ["installDate"] = "2023-03-01", ["registers"] = new JsonArray("ActiveImportTotal", "ActiveImportPeak", "ActiveImportValley") },
                },
                ["tariffs"] = new JsonArray { new JsonObject { ["tariffCode"] = "SH-RES-TOU", ["effectiveFrom"] = "2023-03-01" } },
            },
        },
    };

    public static JsonContent Content(JsonNode node) => JsonContent.Create(node);
}
