using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Ingestion.ReadingJson;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>Billing through HTTP for tests that run their own host: areas, customers with the period's register reads, cycles.</summary>
internal static class BillingApi
{
    public static readonly DateOnly PeriodStart = new(2026, 10, 1), PeriodEnd = new(2026, 11, 1);

    public const string Total = "0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0", CriticalPeak = "0.0.0.1.1.1.12.0.0.0.0.1.0.0.0.3.72.0",
        Peak = "0.0.0.1.1.1.12.0.0.0.0.2.0.0.0.3.72.0", Flat = "0.0.0.1.1.1.12.0.0.0.0.3.0.0.0.3.72.0", Valley = "0.0.0.1.1.1.12.0.0.0.0.4.0.0.0.3.72.0";

    public static string BillId(string account, int revision) => $"{account}-{PeriodStart:yyyyMMdd}-r{revision:D2}";

    /// <summary>
    /// Readies a host of a test's own for billing: the reference data (tariffs, calendar), the demo network, and a new area
    /// <c>{areaPrefix}{stamp}</c>; answers the stamp (for the test's other codes) and the area.
    /// </summary>
    public static async Task<(string Stamp, string Area)> SeedOwnHostAsync(LocalHostProcess host, HttpClient client, string areaPrefix)
    {
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 1));
        string stamp = CustomerJson.NextIds().AccountNo[1..];
        return (stamp, await CreateAreaAsync(client, areaPrefix + stamp));
    }

    /// <summary>A residential meter's reads at the period's two midnights: 300 kWh total, peak 200 and valley 100 (CT×PT 1).</summary>
    public static Dictionary<string, (decimal Start, decimal End)> ResidentialReads() =>
        new() { [Total] = (1000m, 1300m), [Peak] = (600m, 800m), [Valley] = (400m, 500m) };

    public static async Task<string> CreateAreaAsync(HttpClient client, string code)
    {
        await PutOkAsync(client, $"api/network/areas/{code}", new { name = "测试台区 " + code, feederCode = "FD001", ratedKva = 400 });
        return code;
    }

    /// <summary>A residential TOU customer in <paramref name="area"/> with one meter; for each register reading type, its reads at the period's two midnights.</summary>
    public static Task<string> CreateResidentialAsync(HttpClient client, string area, Dictionary<string, (decimal Start, decimal End)> reads) =>
        CreateCustomerAsync(client, area, "SH-RES-TOU", "Residential", ["ActiveImportTotal", "ActiveImportPeak", "ActiveImportValley"], reads);

    /// <summary>A customer in <paramref name="area"/> on <paramref name="tariff"/> with one meter recording <paramref name="registers"/>; for each register reading type, its reads at the period's two midnights.</summary>
    public static async Task<string> CreateCustomerAsync(HttpClient client, string area, string tariff, string customerClass, string[] registers, Dictionary<string, (decimal Start, decimal End)> reads)
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter, area);
        customer["class"] = customerClass;
        customer["paymentMode"] = "Postpaid";
        customer["servicePoints"]![0]!["tariffs"]![0]!["tariffCode"] = tariff;
        customer["servicePoints"]![0]!["meters"]![0]!["registers"] = new JsonArray([.. registers.Select(r => JsonValue.Create(r))]);
        using HttpResponseMessage created = await client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        if (reads.Count > 0)
        {
            JsonObject[] all = [.. reads.SelectMany(r => new[] { Register(r.Key, Midnight(PeriodStart), r.Value.Start, 6), Register(r.Key, Midnight(PeriodEnd), r.Value.End, 6) })];
            using HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", Bytes(Registers(meter, all)));
            string body = await pushed.Content.ReadAsStringAsync();
            Assert.True(pushed.StatusCode == HttpStatusCode.OK && !body.Contains("Quarantined", StringComparison.Ordinal), body);
        }

        return account;
    }

    /// <summary>Starts the October 2026 cycle of a group: answers its id.</summary>
    public static async Task<string> StartCycleAsync(HttpClient admin, string group)
    {
        using HttpResponseMessage started = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-10" });
        string body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> WaitForPhaseAsync(HttpClient client, string cycleId, string phase, TimeSpan? patience = null)
    {
        DateTime deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(90));
        JsonElement status;
        do
        {
            status = await GetJsonAsync(client, $"api/billing/cycles/{cycleId}");
            if (status.GetProperty("phase").GetString() == phase)
            {
                return status;
            }

            Assert.NotEqual("Failed", status.GetProperty("status").GetString());
            await Task.Delay(300);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Cycle {cycleId} did not reach {phase}: {status}");
        return status;
    }

    public static Task<JsonElement> GetJsonAsync(HttpClient client, string url) => HttpJson.GetOkAsync(client, url);

    public static async Task PutOkAsync(HttpClient client, string url, object body)
    {
        using HttpResponseMessage response = await client.PutAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Fires a timer function now through the host's admin endpoint (accepted at once, run in the background).</summary>
    public static async Task FireTimerAsync(HttpClient admin, string name)
    {
        using HttpResponseMessage fired = await admin.PostAsync($"admin/functions/{name}", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
    }
}
