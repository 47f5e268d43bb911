using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MeterToCash.Functions.Tests.Infrastructure;

namespace MeterToCash.Functions.Tests.Forecasting;

/// <summary>Hostile CSV uploads and query parameters of the forecast API: always a 4xx problem naming the field and rule, never a 500.</summary>
[Collection(BackendCollection.Name)]
public class ForecastHostileInputTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    public static TheoryData<string, string, string> BadLoadFiles => new()
    {
        { "", "body", "required" },
        { "timestamp,kw\n", "body", "no-rows" },
        { "time,kw\n2026-11-01T00:00:00+08:00,1\n", "header", "missing-column" },
        { "timestamp,kw,kw\n2026-11-01T00:00:00+08:00,1,2\n", "header", "duplicate-column" },
        { "timestamp,kw\n2026-11-01T00:00:00+08:00,NaN\n", "rows[1].kw", "number-range" },
        { "timestamp,kw\n2026-11-01T00:00:00+08:00,-5\n", "rows[1].kw", "number-range" },
        { "timestamp,kw\n2026-11-01T00:00:00+08:00,1e400\n", "rows[1].kw", "number-range" },
        { "timestamp,kw\n2026-11-01T00:00:00+08:00,1\nyesterday,1\n", "rows[2].timestamp", "timestamp-format" },
        { "timestamp,kw\n1899-11-01T00:00:00+08:00,1\n", "rows[1].timestamp", "timestamp-range" },
        { "timestamp,kw,temperature\n2026-11-01T00:00:00+08:00,1,900\n", "rows[1].temperature", "number-range" },
        { "timestamp,kw\n2026-11-01T00:00:00+08:00,1,7\n", "body", "csv-structure" },
        { "timestamp,kw\n\"2026-11-01T00:00:00+08:00,1\n", "body", "csv-structure" },
    };

    [Theory]
    [MemberData(nameof(BadLoadFiles))]
    public async Task Backtest_MalformedCsv_Is400NamingFieldAndRule(string csv, string field, string rule)
    {
        HttpResponseMessage response = await Client.PostAsync("api/forecasts/backtests", new StringContent(csv, Encoding.UTF8, "text/csv"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task Backtest_InvalidUtf8_Is400()
    {
        ByteArrayContent content = new([.. "timestamp,kw\n"u8.ToArray(), 0xC3, 0x28, (byte)'\n']);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        await Problem.AssertAsync(await Client.PostAsync("api/forecasts/backtests", content), HttpStatusCode.BadRequest, "body", "utf8");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task Backtest_BadWeeks_Is400(string weeks)
    {
        HttpResponseMessage response = await Client.PostAsync($"api/forecasts/backtests?weeks={weeks}", new StringContent("timestamp,kw\n", Encoding.UTF8, "text/csv"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "weeks", "range");
    }

    [Theory]
    [InlineData("{}", "area", "required")]
    [InlineData("{\"area\":\"TA/1\"}", "area", "code-format")]
    [InlineData("{\"area\":\"TA0001\",\"weeks\":100}", "weeks", "range")]
    [InlineData("{\"area\":\"TA0001\",\"to\":\"2999-01-01\"}", "to", "date-format")]
    [InlineData("{\"area\":1}", "area", "json")]
    [InlineData("not json", "body", "json")]
    public async Task Backtest_BadJsonRequest_Is400(string json, string field, string rule)
    {
        HttpResponseMessage response = await Client.PostAsync("api/forecasts/backtests", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task Backtest_UnknownArea_Is404Problem()
    {
        HttpResponseMessage response = await Client.PostAsync("api/forecasts/backtests", new StringContent("{\"area\":\"TA9999\"}", Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutWeather_NotCsv_Is415()
    {
        HttpResponseMessage response = await Client.PutAsync("api/weather/ST-HOSTILE", new StringContent("{}", Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type", "csv-required");
    }

    [Theory]
    [InlineData("timestamp,temperature,kind\n2026-11-01T00:00:00+08:00,12,guess\n", "rows[1].kind", "weather-kind")]
    [InlineData("timestamp,temperature\n2026-11-01T00:00:00+08:00,-99\n", "rows[1].temperature", "number-range")]
    [InlineData("timestamp\n2026-11-01T00:00:00+08:00\n", "header", "missing-column")]
    public async Task PutWeather_MalformedCsv_Is400(string csv, string field, string rule)
    {
        HttpResponseMessage response = await Client.PutAsync("api/weather/ST-HOSTILE", new StringContent(csv, Encoding.UTF8, "text/csv"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task PutWeather_StationTooLong_Is400()
    {
        HttpResponseMessage response = await Client.PutAsync($"api/weather/{new string('S', 40)}", new StringContent("timestamp,temperature\n", Encoding.UTF8, "text/csv"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "station", "code-format");
    }

    [Theory]
    [InlineData("api/areas/TA0001/forecast", "day", "date-format")]
    [InlineData("api/areas/TA0001/forecast?day=2026-13-01", "day", "date-format")]
    [InlineData("api/areas/TA0001/forecast?day=1999-12-31", "day", "date-format")]
    [InlineData("api/areas/TA0001/forecast?day=%00", "day", "date-format")]
    [InlineData("api/weather/SIM-SH?from=2026-11-01&to=2026-10-01", "to", "range-order")]
    [InlineData("api/weather/SIM-SH?from=2026-01-01&to=2026-12-31", "to", "range-too-long")]
    public async Task Get_BadQuery_Is400(string url, string field, string rule)
    {
        await Problem.AssertAsync(await Client.GetAsync(url), HttpStatusCode.BadRequest, field, rule);
    }

    [Theory]
    [InlineData("{\"day\":\"tomorrow\"}", "day", "date-format")]
    [InlineData("{\"day\":\"2099-12-31\"}", "day", "horizon")]
    [InlineData("{\"areas\":[\"TA 1\"]}", "areas[0]", "code-format")]
    public async Task RunForecast_BadRequest_Is400(string json, string field, string rule)
    {
        HttpResponseMessage response = await Client.PostAsync("api/forecasts/runs", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }
}
