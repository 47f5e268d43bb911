using System.Net;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Health;

public class HealthTests
{
    [Fact]
    public async Task Health_AllDependenciesUp_Returns200NamingEach()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite);
        using HttpClient anonymous = host.Client(key: null);

        HttpResponseMessage response = await anonymous.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(
            ["blobs", "durable", "queues", "tables"],
            report.GetProperty("dependencies").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).Order());

        // Storage goes away: the same endpoint must say so, quickly, and name what is down.
        azurite.Stop();
        HttpResponseMessage down = await anonymous.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        JsonElement failed = JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", failed.GetProperty("status").GetString());
        Assert.All(failed.GetProperty("dependencies").EnumerateArray(), d =>
        {
            Assert.Equal("Unhealthy", d.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(d.GetProperty("error").GetString()));
        });
    }
}
