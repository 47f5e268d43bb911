using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using static MeterToCash.Functions.Tests.Ingestion.ReadingJson;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>A customer's daily and monthly usage through HTTP, against the intervals posted for its meters.</summary>
[Collection(BackendCollection.Name)]
public class CustomerUsageTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task CustomerUsage_TwoMetersAcrossAMonthEnd_DailyAndMonthlyEqualIntervalsTimesCtPt()
    {
        (string account, string first) = CustomerJson.NextIds();
        string second = first + "B";
        JsonObject customer = CustomerJson.Residential(account, first);
        // The second meter at a second service point: one point has one meter in service at a time.
        JsonArray points = customer["servicePoints"]!.AsArray();
        points[0]!["meters"]![0]!["ctRatio"] = 2;
        JsonNode point = points[0]!.DeepClone();
        point["id"] = "SP2";
        point["meters"]![0]!["meterNo"] = second;
        point["meters"]![0]!["ctRatio"] = 3;
        points.Add(point);
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        DateOnly june30 = new(2025, 6, 30), july1 = new(2025, 7, 1);
        // Per slot: 0.25 × CT 2 + 0.1 × CT 3 = 0.8 kWh primary; slot 40 (peak) of the second meter on 30 June is an estimate.
        await PostAsync(Combine(
            Combine(Document(first, june30, Day(0.25m)), Document(first, july1, Day(0.25m))),
            Combine(Document(second, june30, Day(0.1m), new Dictionary<int, string> { [40] = "3.8.0" }), Document(second, july1, Day(0.1m)))));

        JsonElement daily = await GetJsonAsync($"api/customers/{account}/usage?from=2025-06-29&to=2025-07-01");
        JsonElement monthly = await GetJsonAsync($"api/customers/{account}/usage/monthly?from=2025-06&to=2025-07");

        Assert.Equal("kWh", daily.GetProperty("unit").GetString());
        JsonElement[] days = daily.GetProperty("days").EnumerateArray().ToArray();
        Assert.Equal(["2025-06-29", "2025-06-30", "2025-07-01"], days.Select(d => d.GetProperty("day").GetString()));
        Assert.Equal(0, days[0].GetProperty("meters").GetInt32());
        Assert.Equal(0m, days[0].GetProperty("energy").GetProperty("total").GetDecimal());
        foreach (JsonElement day in days[1..])
        {
            Assert.Equal(2, day.GetProperty("meters").GetInt32());
            Assert.Equal(76.8m, day.GetProperty("energy").GetProperty("total").GetDecimal());
            Assert.Equal(51.2m, day.GetProperty("energy").GetProperty("peak").GetDecimal()); // 64 slots 06:00–22:00
            Assert.Equal(25.6m, day.GetProperty("energy").GetProperty("valley").GetDecimal());
        }

        Assert.Equal(0.3m, days[1].GetProperty("estimated").GetProperty("peak").GetDecimal());
        Assert.Equal(0.0039m, days[1].GetProperty("estimatedShare").GetDecimal());
        Assert.Equal(0m, days[2].GetProperty("estimatedShare").GetDecimal());
        Assert.Equal(153.6m, daily.GetProperty("energy").GetProperty("total").GetDecimal());

        JsonElement[] months = monthly.GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal(["2025-06", "2025-07"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.All(months, m => Assert.Equal(76.8m, m.GetProperty("energy").GetProperty("total").GetDecimal()));
        Assert.All(months, m => Assert.Equal(1, m.GetProperty("days").GetInt32()));
        Assert.Equal(153.6m, monthly.GetProperty("energy").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task CustomerUsage_UnknownAccount_Returns404() =>
        await Problem.AssertAsync(await Client.GetAsync("api/customers/NOSUCHACCT/usage?from=2025-06-01&to=2025-06-02"), HttpStatusCode.NotFound);

    [Theory]
    [InlineData("api/customers/A1/usage?from=2025-06-01", "to", "date-format")]
    [InlineData("api/customers/A1/usage?from=2025-01-01&to=2025-06-01", "to", "range-too-long")]
    [InlineData("api/customers/A!1/usage?from=2025-06-01&to=2025-06-01", "accountNo", "code-format")]
    [InlineData("api/customers/A1/usage/monthly?from=2025-6&to=2025-07", "from", "month-format")]
    [InlineData("api/customers/A1/usage/monthly?from=2025-07&to=2025-06", "to", "range-order")]
    [InlineData("api/customers/A1/usage/monthly?from=2020-01&to=2025-06", "to", "range-too-long")]
    public async Task CustomerUsage_BadParameters_Returns400NamingField(string url, string field, string rule) =>
        await Problem.AssertAsync(await Client.GetAsync(url), HttpStatusCode.BadRequest, field, rule);

    async Task PostAsync(JsonNode document)
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", Bytes(document));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    Task<JsonElement> GetJsonAsync(string url) => HttpJson.GetOkAsync(Client, url);
}
