using System.Net.Http.Json;

namespace MeterToCash.Functions.Tests.Load;

/// <summary>A transformer area of a test's own (load and line loss depend on every meter of the area), with a master meter.</summary>
internal static class LoadAreas
{
    public static async Task<(string Area, string MasterMeter)> NewAsync(HttpClient client, decimal ratedKva, int masterCtRatio = 1)
    {
        string suffix = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        string code = "TAL" + suffix, master = "MML" + suffix;
        HttpResponseMessage put = await client.PutAsJsonAsync($"api/network/areas/{code}", new
        {
            name = "负载线损测试台区",
            feederCode = "FD001",
            ratedKva,
            masterMeter = new { meterNo = master, ctRatio = masterCtRatio, installDate = "2024-01-01" },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        return (code, master);
    }
}
