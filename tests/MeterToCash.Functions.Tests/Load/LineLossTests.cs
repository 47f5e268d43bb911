using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Monitoring;

namespace MeterToCash.Functions.Tests.Load;

/// <summary>Daily line loss, its ranking and its alarms through HTTP, the real durable engine and Azurite.</summary>
[Collection(BackendCollection.Name)]
public class LineLossTests(BackendFixture backend)
{
    // Per 15-minute slot, kWh: customer A always 0.1; B 0.2, but 0.05 while its meter is bypassed; the master meter 0.32
    // (0.2 on the day a customer is filed under the wrong area: customers then exceed it).
    const decimal A = 0.1m, B = 0.2m, BypassedB = 0.05m, Master = 0.32m, LowMaster = 0.2m;

    static decimal Rate(decimal master, decimal customers) => Math.Round((master - customers) / master, 4, MidpointRounding.AwayFromZero);

    [Fact]
    public async Task Evaluation_HighLossForThreeDays_RaisesTheftNamingTheMeter_NormalDayClosesIt_NegativeDayRaisesArchiveAlarm()
    {
        HttpClient client = backend.Client;
        (string area, string master) = await LoadAreas.NewAsync(client, 100m, masterCtRatio: 2);
        string a = await ReadingJson.CreateMeterAsync(client, area), b = await ReadingJson.CreateMeterAsync(client, area);
        DateOnly yesterday = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        DateOnly[] days = [.. Enumerable.Range(0, 7).Select(i => yesterday.AddDays(i - 6))];
        // Days 0–1 normal, 2–4 B bypassed (high loss), 5 normal again, 6 negative. The master meter's CT ratio is 2: it sends half.
        for (int d = 0; d < days.Length; d++)
        {
            decimal bSlot = d is >= 2 and <= 4 ? BypassedB : B, masterSlot = d == 6 ? LowMaster : Master;
            await PushAsync(client, days[d], (a, A), (b, bSlot), (master, masterSlot / 2));
        }

        await EvaluateAsync(client, days[4], area);

        JsonElement theft = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "TheftSuspicion"));
        Assert.Equal(("Open", "RevenueProtection", ReadingJson.Midnight(days[5])), (theft.GetProperty("state").GetString(), theft.GetProperty("department").GetString(), theft.GetProperty("openedAt").GetDateTimeOffset()));
        Assert.Contains(b, theft.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(a, theft.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);

        JsonElement ranking = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/line-loss/ranking?day={days[4]:yyyy-MM-dd}", UriKind.Relative))).RootElement;
        JsonElement row = ranking.GetProperty("areas").EnumerateArray().Single(r => r.GetProperty("area").GetString() == area);
        decimal highRate = Rate(96 * Master, 96 * (A + BypassedB));
        Assert.Equal(("High", highRate, 1m), (row.GetProperty("result").GetProperty("class").GetString(), row.GetProperty("result").GetProperty("lossRate").GetDecimal(), row.GetProperty("result").GetProperty("customerCompleteness").GetDecimal()));
        Assert.True(ranking.GetProperty("areas").EnumerateArray().TakeWhile(r => r.GetProperty("area").GetString() != area)
            .All(r => r.GetProperty("result").GetProperty("lossRate").GetDecimal() >= highRate), "ranked highest loss first");

        await EvaluateAsync(client, days[6], area);

        theft = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "TheftSuspicion"));
        Assert.Equal(("Closed", ReadingJson.Midnight(days[6])), (theft.GetProperty("state").GetString(), theft.GetProperty("closedAt").GetDateTimeOffset()));
        JsonElement negative = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "NegativeLineLoss"));
        Assert.Equal(("Open", "Metering", ReadingJson.Midnight(yesterday.AddDays(1))), (negative.GetProperty("state").GetString(), negative.GetProperty("department").GetString(), negative.GetProperty("openedAt").GetDateTimeOffset()));

        JsonElement series = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/areas/{area}/line-loss?from={days[0]:yyyy-MM-dd}&to={days[6]:yyyy-MM-dd}", UriKind.Relative))).RootElement;
        decimal[] expected = [.. days.Select((_, d) => Rate(96 * (d == 6 ? LowMaster : Master), 96 * (A + (d is >= 2 and <= 4 ? BypassedB : B))))];
        Assert.Equal(expected, series.GetProperty("days").EnumerateArray().Select(x => x.GetProperty("lossRate").GetDecimal()));
        Assert.Equal(["Normal", "Normal", "High", "High", "High", "Normal", "Negative"], series.GetProperty("days").EnumerateArray().Select(x => x.GetProperty("class").GetString()));
        Assert.False(series.TryGetProperty("theftSuspicion", out _), "the latest computable day is not high: no suspicion in the range");
    }

    [Fact]
    public async Task LineLoss_MasterMeterMissingSlots_IsNotComputableWithCompleteness()
    {
        HttpClient client = backend.Client;
        (string area, string master) = await LoadAreas.NewAsync(client, 100m);
        string a = await ReadingJson.CreateMeterAsync(client, area);
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-2);
        decimal?[] masterValues = ReadingJson.Day(0.2m);
        for (int s = 0; s < 10; s++)
        {
            masterValues[s] = null; // 86 of 96: 0.8958 < 0.95
        }

        JsonObject document = ReadingJson.Combine(ReadingJson.Document(a, day, ReadingJson.Day(A)), ReadingJson.Document(master, day, masterValues));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document))).StatusCode);

        JsonElement d = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/areas/{area}/line-loss?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}", UriKind.Relative))).RootElement.GetProperty("days")[0];

        Assert.Equal(("NotComputable", "master-incomplete", Math.Round(86m / 96m, 4, MidpointRounding.AwayFromZero), 0.95m),
            (d.GetProperty("class").GetString(), d.GetProperty("reason").GetString(), d.GetProperty("masterCompleteness").GetDecimal(), d.GetProperty("completenessThreshold").GetDecimal()));
    }

    static async Task PushAsync(HttpClient client, DateOnly day, params (string Meter, decimal Slot)[] meters)
    {
        JsonObject? document = null;
        foreach ((string meter, decimal slot) in meters)
        {
            JsonObject one = ReadingJson.Document(meter, day, ReadingJson.Day(slot));
            document = document is null ? one : ReadingJson.Combine(document, one);
        }

        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document!));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("counts").GetProperty("quarantined").GetInt32() == 0, body);
    }

    internal static async Task<JsonElement> EvaluateAsync(HttpClient client, DateOnly day, string area)
    {
        HttpResponseMessage started = await client.PostAsJsonAsync("api/line-loss/evaluations", new { day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), areas = new[] { area } });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        DateTime deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            JsonElement status = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/line-loss/evaluations/{id}", UriKind.Relative))).RootElement.Clone();
            string state = status.GetProperty("status").GetString()!;
            if (state == "Completed")
            {
                return status.GetProperty("summary");
            }

            Assert.True(state is "Pending" or "Running" && DateTime.UtcNow < deadline, status.ToString());
            await Task.Delay(200);
        }
    }
}
