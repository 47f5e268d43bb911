using System.Net.Http.Json;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>
/// A transformer area of its own for a test: area-level results (outage share, read success rate) depend on every meter
/// of the area, and the shared fixture's demo areas also receive other tests' and imports' customers.
/// </summary>
internal static class MonitoringAreas
{
    public static async Task<string> NewAsync(HttpClient client)
    {
        string code = "TAM" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        HttpResponseMessage put = await client.PutAsJsonAsync($"api/network/areas/{code}", new { name = "告警测试台区", feederCode = "FD001", ratedKva = 400m });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        return code;
    }
}
