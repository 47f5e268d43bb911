using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Monitoring;

namespace MeterToCash.Functions.Tests.Vee;

/// <summary>The nightly VEE run (estimation and consumption alarms) through the real durable engine and the HTTP API.</summary>
[Collection(BackendCollection.Name)]
public class DailyVeeTests(BackendFixture backend)
{
    // A Wednesday; its same weekday one and two weeks back and the Tuesday before are the reference days.
    static readonly DateOnly Day = new(2026, 9, 16);

    HttpClient Client => backend.Client;

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1970-01-01")]
    [InlineData("1999-12-31")]
    public async Task RunVee_DayOutsideTheApiRange_Returns400DateFormatAndStartsNothing(string day)
    {
        // Used to be 202 and then a run that ended Failed with no reason.
        HttpResponseMessage response = await Client.PostAsJsonAsync("api/vee/runs", new { day });

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "day", "date-format");
    }

    [Fact]
    public async Task Run_GapsOfEndedDay_InterpolatesShortProfilesLong_RerunChangesNothing_LaterActualReplacesEstimate()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string meter = await ReadingJson.CreateMeterAsync(Client, area);
        string silent = await ReadingJson.CreateMeterAsync(Client, area);
        await PostAsync(meter, Day.AddDays(-7), ReadingJson.Day(0.3m));
        await PostAsync(meter, Day.AddDays(-14), ReadingJson.Day(0.5m));
        await PostAsync(silent, Day.AddDays(-1), ReadingJson.Day(0.25m)); // reported the day before, nothing on the day

        decimal?[] values = ReadingJson.Day(0.2m);
        values[9] = 0.1m;
        values[14] = 0.6m;
        for (int s = 10; s <= 13; s++)
        {
            values[s] = null; // one hour: interpolated between 0.1 and 0.6
        }

        for (int s = 40; s < 60; s++)
        {
            values[s] = null; // five hours: the same-weekday profile, (0.3 + 0.5) / 2
        }

        await PostAsync(meter, Day, values);

        JsonElement run = await RunAsync(area);
        Assert.Equal(24 + 96, run.GetProperty("estimated").GetInt32());
        Assert.Equal(0, run.GetProperty("unestimated").GetInt32());

        JsonElement[] points = await PointsAsync(meter, Day);
        Assert.Equal([0.2m, 0.3m, 0.4m, 0.5m], points[10..14].Select(p => p.GetProperty("value").GetDecimal()));
        Assert.All(points[10..14], p => Assert.Equal(("Estimated", "LinearInterpolation"), (p.GetProperty("quality").GetString(), p.GetProperty("estimationMethod").GetString())));
        Assert.All(points[40..60], p => Assert.Equal((0.4m, "Estimated", "SameWeekdayProfile"), (p.GetProperty("value").GetDecimal(), p.GetProperty("quality").GetString(), p.GetProperty("estimationMethod").GetString())));
        Assert.Equal("Valid", points[9].GetProperty("quality").GetString());
        JsonElement[] whole = await PointsAsync(silent, Day);
        Assert.All(whole, p => Assert.Equal((0.25m, "SimilarDayProfile"), (p.GetProperty("value").GetDecimal(), p.GetProperty("estimationMethod").GetString())));

        // Billing sees the estimates in month-to-date, apart from the actuals.
        JsonElement month = await GetJsonAsync($"api/meters/{meter}/month-to-date?month=2026-09");
        Assert.Equal(1.4m + (20 * 0.4m), month.GetProperty("estimated").GetProperty("total").GetDecimal());

        JsonElement again = await RunAsync(area);
        Assert.Equal((0, 0), (again.GetProperty("estimated").GetInt32(), again.GetProperty("curvesWritten").GetInt32()));

        // The head-end delivers slot 11 late: the actual replaces the estimate, which stays in the slot's history.
        decimal?[] late = new decimal?[12];
        late[11] = 0.35m;
        await PostAsync(meter, Day, late);
        JsonElement replaced = (await PointsAsync(meter, Day))[11];
        Assert.Equal((0.35m, "Valid"), (replaced.GetProperty("value").GetDecimal(), replaced.GetProperty("quality").GetString()));
        Assert.True(replaced.GetProperty("revisions").GetInt32() >= 1, replaced.ToString());
        Assert.True(replaced.GetProperty("version").GetInt32() >= 2, replaced.ToString());
    }

    [Fact]
    public async Task Run_MeterDropsToZeroAfterNormalWeek_RaisesOneSuddenDropAlarm()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string meter = await ReadingJson.CreateMeterAsync(Client, area);
        for (int back = 1; back <= 7; back++)
        {
            await PostAsync(meter, Day.AddDays(-back), ReadingJson.Day(0.5m));
        }

        decimal?[] values = ReadingJson.Day(0.5m);
        for (int s = 72; s < 96; s++)
        {
            values[s] = 0m; // from 18:00 on: nothing
        }

        await PostAsync(meter, Day, values);

        Assert.Equal(1, (await RunAsync(area)).GetProperty("suddenDrops").GetInt32());
        await RunAsync(area);

        JsonElement alarm = Assert.Single(await AlarmsAsync(area, "SuddenDropToZero"));
        Assert.Equal((meter, "Open", "RevenueProtection"), (alarm.GetProperty("subject").GetString(), alarm.GetProperty("state").GetString(), alarm.GetProperty("department").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 9, 16, 18, 0, 0, TimeSpan.FromHours(8)), alarm.GetProperty("openedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Statistics_AreaDay_CountsStoredRejectedMissingAndEstimated_RedeliveryCountsOnce()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string meter = await ReadingJson.CreateMeterAsync(Client, area);
        await ReadingJson.CreateMeterAsync(Client, area); // in service, never reports
        decimal?[] values = ReadingJson.Day(0.3m)[..90];
        values[5] = -0.2m; // rejected: negative consumption
        JsonObject document = ReadingJson.Document(meter, Day, values);
        for (int delivery = 0; delivery < 2; delivery++)
        {
            HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        JsonElement before = await GetJsonAsync($"api/areas/{area}/vee-statistics?day=2026-09-16&channel=AI");
        Assert.Equal((2, 192, 89, 89, 1, 103), (before.GetProperty("meters").GetInt32(), before.GetProperty("expected").GetInt32(), before.GetProperty("stored").GetInt32(),
            before.GetProperty("actual").GetInt32(), before.GetProperty("rejected").GetInt32(), before.GetProperty("missing").GetInt32()));
        Assert.Equal(1, before.GetProperty("byRule").GetProperty("NegativeConsumption").GetInt32());
        Assert.Equal(0.0111m, before.GetProperty("rejectedShare").GetDecimal());

        await RunAsync(area); // slot 5 is interpolated; the evening has no right neighbour and no reference days
        JsonElement after = await GetJsonAsync($"api/areas/{area}/vee-statistics?day=2026-09-16");
        Assert.Equal((90, 1, 102), (after.GetProperty("stored").GetInt32(), after.GetProperty("estimated").GetInt32(), after.GetProperty("missing").GetInt32()));
        Assert.Equal(1, after.GetProperty("estimatedByMethod").GetProperty("LinearInterpolation").GetInt32());
        Assert.Equal(0.011m, after.GetProperty("estimatedShare").GetDecimal());

        await Problem.AssertAsync(await Client.GetAsync($"api/areas/{area}/vee-statistics?day=16-09-2026"), HttpStatusCode.BadRequest, "day");
        await Problem.AssertAsync(await Client.GetAsync($"api/areas/{area}/vee-statistics?day=2026-09-16&channel=XX"), HttpStatusCode.BadRequest, "channel");
        await Problem.AssertAsync(await Client.GetAsync("api/areas/NOSUCHAREA/vee-statistics?day=2026-09-16"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{}", "day")]
    [InlineData("{\"day\":\"16/09/2026\"}", "day")]
    [InlineData("{\"day\":\"2026-09-16\",\"areas\":[\"bad code!\"]}", "areas[0]")]
    [InlineData("{\"day\":5}", "day")]
    [InlineData("not json", "body")]
    public async Task Run_BadRequest_Is400NamingField(string body, string field)
    {
        using StringContent content = new(body, System.Text.Encoding.UTF8, "application/json");
        await Problem.AssertAsync(await Client.PostAsync("api/vee/runs", content), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Run_TodayOrUnknownArea_Is422()
    {
        string today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/vee/runs", new { day = today }), HttpStatusCode.UnprocessableEntity, "day", "ended");
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/vee/runs", new { day = "2026-09-16", areas = new[] { "NOSUCHAREA" } }), HttpStatusCode.UnprocessableEntity, "areas", "unknown-area");
        await Problem.AssertAsync(await Client.GetAsync("api/vee/runs/daily-vee-20260916-000000000"), HttpStatusCode.NotFound);
    }

    async Task PostAsync(string meter, DateOnly day, decimal?[] values)
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Document(meter, day, values)));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(0, JsonDocument.Parse(body).RootElement.GetProperty("counts").GetProperty("quarantined").GetInt32());
    }

    Task<JsonElement> RunAsync(string area) => RunAsync(Client, area, Day);

    /// <summary>Runs the daily VEE of one area-day through <c>POST /api/vee/runs</c> and waits for its summary.</summary>
    internal static async Task<JsonElement> RunAsync(HttpClient client, string area, DateOnly day)
    {
        HttpResponseMessage started = await client.PostAsJsonAsync("api/vee/runs", new { day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), areas = new[] { area } });
        string body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        string id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        DateTime deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            JsonElement status = await HttpJson.GetOkAsync(client, $"api/vee/runs/{id}");
            string state = status.GetProperty("status").GetString()!;
            if (state == "Completed")
            {
                return status.GetProperty("summary");
            }

            Assert.True(state is "Pending" or "Running" && DateTime.UtcNow < deadline, status.ToString());
            await Task.Delay(200);
        }
    }

    async Task<JsonElement[]> PointsAsync(string meter, DateOnly day) =>
        [.. (await GetJsonAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI")).GetProperty("points").EnumerateArray()];

    async Task<List<JsonElement>> AlarmsAsync(string area, string condition) =>
        [.. (await GetJsonAsync($"api/alarms?area={area}&pageSize=1000")).GetProperty("items").EnumerateArray().Where(a => a.GetProperty("condition").GetString() == condition)];

    Task<JsonElement> GetJsonAsync(string url) => HttpJson.GetOkAsync(Client, url);
}
