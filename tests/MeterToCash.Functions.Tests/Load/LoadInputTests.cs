using System.Net;
using System.Net.Http.Json;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;

namespace MeterToCash.Functions.Tests.Load;

/// <summary>Hostile input on the load and line-loss parameters and the area's master meter: 4xx problems naming field and rule, never 500.</summary>
[Collection(BackendCollection.Name)]
public class LoadInputTests(BackendFixture backend)
{
    [Theory]
    [InlineData("api/areas/TA0001/load-rate", "day", "date-format")]
    [InlineData("api/areas/TA0001/load-rate?day=2026-02-30", "day", "date-format")]
    [InlineData("api/areas/TA0001/load-rate?day=1999-12-31", "day", "date-format")]
    [InlineData("api/areas/TA%2B1/load-rate?day=2026-01-01", "areaCode", "code-format")]
    [InlineData("api/feeders/FD001/load?day=yesterday", "day", "date-format")]
    [InlineData("api/feeders/FD%3B1/load?day=2026-01-01", "feederCode", "code-format")]
    [InlineData("api/areas/TA0001/line-loss?to=2026-01-01", "from", null)]
    [InlineData("api/areas/TA0001/line-loss?from=2026-01-10&to=2026-01-01", "to", "range-order")]
    [InlineData("api/areas/TA0001/line-loss?from=2026-01-01&to=2026-03-01", "to", "range-too-long")]
    [InlineData("api/areas/TA0001/line-loss?from=2099-01-01&to=2099-01-02", "to", "not-future")]
    [InlineData("api/line-loss/ranking?day=%27%20or%201%3D1", "day", "date-format")]
    public async Task Get_BadQuery_Is400NamingFieldAndRule(string url, string field, string? rule) =>
        await Problem.AssertAsync(await backend.Client.GetAsync(url), HttpStatusCode.BadRequest, field, rule);

    [Theory]
    [InlineData("api/areas/TA9999/load-rate?day=2026-01-01")]
    [InlineData("api/feeders/FD999/load?day=2026-01-01")]
    [InlineData("api/areas/TA9999/line-loss?from=2026-01-01&to=2026-01-02")]
    public async Task Get_UnknownAreaOrFeeder_Is404(string url) =>
        await Problem.AssertAsync(await backend.Client.GetAsync(url), HttpStatusCode.NotFound);

    [Fact]
    public async Task Evaluations_BadBodies_Are4xxNamingField()
    {
        HttpClient client = backend.Client;
        string today = ChinaTime.LocalDay(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await Problem.AssertAsync(await client.PostAsJsonAsync("api/line-loss/evaluations", new { day = "01/02/2026" }), HttpStatusCode.BadRequest, "day", "date-format");
        await Problem.AssertAsync(await client.PostAsJsonAsync("api/line-loss/evaluations", new { day = today }), HttpStatusCode.UnprocessableEntity, "day", "ended");
        await Problem.AssertAsync(await client.PostAsJsonAsync("api/line-loss/evaluations", new { areas = new[] { "../x" } }), HttpStatusCode.BadRequest, "areas[0]", "code-format");
        await Problem.AssertAsync(await client.PostAsJsonAsync("api/line-loss/evaluations", new { areas = new[] { "TA9999" } }), HttpStatusCode.UnprocessableEntity, "areas", "unknown-area");
        await Problem.AssertAsync(await client.PostAsync("api/line-loss/evaluations", new StringContent("{\"day\":", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Problem.AssertAsync(await client.GetAsync("api/line-loss/evaluations/line-loss-nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutArea_BadOrTakenMasterMeter_Is4xxNamingField()
    {
        HttpClient client = backend.Client;
        (string area, string master) = await LoadAreas.NewAsync(client, 100m);
        string customerMeter = await ReadingJson.CreateMeterAsync(client, area);
        string other = "TAX" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        object Area(object masterMeter) => new { name = "x", feederCode = "FD001", ratedKva = 100m, masterMeter };

        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { installDate = "2024-01-01" })), HttpStatusCode.BadRequest, "masterMeter.meterNo", "required");
        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { meterNo = "MM/1", installDate = "2024-01-01" })), HttpStatusCode.BadRequest, "masterMeter.meterNo", "meter-number-format");
        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { meterNo = "MMX1", ctRatio = 0, installDate = "2024-01-01" })), HttpStatusCode.BadRequest, "masterMeter.ctRatio", "range");
        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { meterNo = "MMX1" })), HttpStatusCode.BadRequest, "masterMeter.installDate", "required");
        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { meterNo = master, installDate = "2024-01-01" })), HttpStatusCode.Conflict, "masterMeter.meterNo", "master-meter-of-another-area");
        await Problem.AssertAsync(await client.PutAsJsonAsync($"api/network/areas/{other}", Area(new { meterNo = customerMeter, installDate = "2024-01-01" })), HttpStatusCode.Conflict, "masterMeter.meterNo", "meter-belongs-to-other-account");
        await Problem.AssertAsync(await client.PutAsJsonAsync("api/network/feeders/FD001", new { name = "x", substationCode = "SS001", masterMeter = new { meterNo = "MMX2", installDate = "2024-01-01" } }), HttpStatusCode.BadRequest, "masterMeter", "not-allowed");

        // A customer cannot take a master meter's number either.
        (string account, _) = CustomerJson.NextIds();
        await Problem.AssertAsync(await client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, master, area))), HttpStatusCode.Conflict);

        // The same area PUT again keeps its master meter (a retried PUT is not a conflict with itself).
        HttpResponseMessage again = await client.PutAsJsonAsync($"api/network/areas/{area}", new { name = "负载线损测试台区", feederCode = "FD001", ratedKva = 100m, masterMeter = new { meterNo = master, installDate = "2024-01-01" } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
