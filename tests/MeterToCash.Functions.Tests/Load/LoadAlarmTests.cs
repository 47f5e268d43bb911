using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Monitoring;

namespace MeterToCash.Functions.Tests.Load;

/// <summary>Heavy-load and overload alarms through HTTP, the monitoring sweep on the real durable engine, and Azurite.</summary>
[Collection(BackendCollection.Name)]
public class LoadAlarmTests(BackendFixture backend)
{
    const decimal RatedKva = 10m, PowerFactor = 0.9m; // the defaults of Load__PowerFactor; heavy ≥ 0.80 for 4 intervals, overload ≥ 1.00

    /// <summary>Each of the area's two meters' kWh in a 15-minute interval for a load rate: rate × kVA × PF × ¼ h, halved.</summary>
    static decimal PerMeter(decimal rate) => rate * RatedKva * PowerFactor / 4m / 2m;

    [Fact]
    public async Task Sweep_LoadRisesAboveThresholdsThenFalls_OpensHeavyAndOverloadThenClosesThem()
    {
        HttpClient client = backend.Client;
        (string area, _) = await LoadAreas.NewAsync(client, RatedKva);
        string[] meters = [await ReadingJson.CreateMeterAsync(client, area), await ReadingJson.CreateMeterAsync(client, area)];
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        // Slots 0–3 at 80 % (inclusive threshold), 4–5 at 104 %: heavy confirmed at the end of slot 3, overload at the end of slot 4.
        decimal?[] rates = [0.80m, 0.80m, 0.80m, 0.80m, 1.04m, 1.04m];
        await PushAsync(client, meters, day, rates);

        await MonitoringSweepTests.SweepAsync(client);

        DateTimeOffset start = ReadingJson.Midnight(day);
        JsonElement heavy = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "HeavyLoad"));
        JsonElement overload = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "Overload"));
        Assert.Equal(("Open", start.AddMinutes(60)), (heavy.GetProperty("state").GetString(), heavy.GetProperty("openedAt").GetDateTimeOffset()));
        Assert.Equal(("Open", start.AddMinutes(75), "Major"), (overload.GetProperty("state").GetString(), overload.GetProperty("openedAt").GetDateTimeOffset(), overload.GetProperty("severity").GetString()));

        JsonElement rate = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/areas/{area}/load-rate?day={day:yyyy-MM-dd}", UriKind.Relative))).RootElement;
        Assert.Equal((0.80m, 1.04m, 2), (rate.GetProperty("points")[0].GetProperty("rate").GetDecimal(), rate.GetProperty("peak").GetProperty("rate").GetDecimal(), rate.GetProperty("points")[0].GetProperty("meters").GetInt32()));
        Assert.Equal((6, 2), (rate.GetProperty("heavyIntervals").GetInt32(), rate.GetProperty("overloadIntervals").GetInt32()));

        // Slot 6 at 50 %: both end at its start. Slots 10–12 at 90 %: only three heavy intervals, no new episode.
        decimal?[] falls = new decimal?[13];
        (falls[6], falls[10], falls[11], falls[12]) = (0.5m, 0.9m, 0.9m, 0.9m);
        await PushAsync(client, meters, day, falls);
        await MonitoringSweepTests.SweepAsync(client);

        heavy = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "HeavyLoad"));
        overload = Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "Overload"));
        Assert.Equal(("Closed", start.AddMinutes(90)), (heavy.GetProperty("state").GetString(), heavy.GetProperty("closedAt").GetDateTimeOffset()));
        Assert.Equal(("Closed", start.AddMinutes(90)), (overload.GetProperty("state").GetString(), overload.GetProperty("closedAt").GetDateTimeOffset()));

        await MonitoringSweepTests.SweepAsync(client); // the same data again: nothing reopens
        Assert.Single(await MonitoringSweepTests.AlarmsAsync(client, area, "HeavyLoad"));
    }

    [Fact]
    public async Task Sweep_SpikeFlaggedQuestionable_CountsAsMissing_NoOverload()
    {
        HttpClient client = backend.Client;
        (string area, _) = await LoadAreas.NewAsync(client, RatedKva);
        string spiking = await ReadingJson.CreateMeterAsync(client, area), steady = await ReadingJson.CreateMeterAsync(client, area);
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        // Slot 20: the spiking meter alone would put the area at 500 %, but its head-end flagged the read (CIM category 1: questionable).
        decimal?[] spike = new decimal?[21], normal = new decimal?[21];
        (spike[19], spike[20], normal[19], normal[20]) = (PerMeter(0.3m), PerMeter(10m), PerMeter(0.3m), PerMeter(0.3m));
        JsonObject document = ReadingJson.Combine(
            ReadingJson.Document(spiking, day, spike, new Dictionary<int, string> { [20] = "1.5.0" }),
            ReadingJson.Document(steady, day, normal));
        HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());

        await MonitoringSweepTests.SweepAsync(client);

        Assert.Empty(await MonitoringSweepTests.AlarmsAsync(client, area, "Overload"));
        JsonElement rate = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/areas/{area}/load-rate?day={day:yyyy-MM-dd}", UriKind.Relative))).RootElement;
        JsonElement flagged = rate.GetProperty("points")[20], before = rate.GetProperty("points")[19];
        Assert.Equal((2, 0.3m), (before.GetProperty("meters").GetInt32(), before.GetProperty("rate").GetDecimal()));
        Assert.Equal((1, PerMeter(0.3m)), (flagged.GetProperty("meters").GetInt32(), flagged.GetProperty("kwh").GetDecimal()));
        Assert.Equal(0, rate.GetProperty("overloadIntervals").GetInt32());
    }

    [Fact]
    public async Task FeederLoad_SumsItsAreas_AgainstTheirSummedCapacity()
    {
        HttpClient client = backend.Client;
        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        JsonElement before = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/feeders/FD001/load?day={day:yyyy-MM-dd}", UriKind.Relative))).RootElement;
        (string area, _) = await LoadAreas.NewAsync(client, RatedKva);
        string[] meters = [await ReadingJson.CreateMeterAsync(client, area), await ReadingJson.CreateMeterAsync(client, area)];
        decimal?[] rates = new decimal?[96];
        rates[95] = 0.5m; // the last slot of the day, which no other test of the collection writes
        await PushAsync(client, meters, day, rates);

        JsonElement after = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/feeders/FD001/load?day={day:yyyy-MM-dd}", UriKind.Relative))).RootElement;

        decimal kwh = 2 * PerMeter(0.5m);
        Assert.Equal(before.GetProperty("ratedKva").GetDecimal() + RatedKva, after.GetProperty("ratedKva").GetDecimal());
        Assert.Equal((before.GetProperty("points")[95].TryGetProperty("kwh", out JsonElement had) ? had.GetDecimal() : 0) + kwh,
            after.GetProperty("points")[95].GetProperty("kwh").GetDecimal());
        Assert.Contains(after.GetProperty("areas").EnumerateArray(), a => a.GetProperty("area").GetString() == area && a.GetProperty("peakRate").GetDecimal() == 0.5m);
    }

    static async Task PushAsync(HttpClient client, string[] meters, DateOnly day, decimal?[] rates)
    {
        decimal?[] values = [.. rates.Select(r => r is { } x ? PerMeter(x) : (decimal?)null)];
        JsonObject document = ReadingJson.Document(meters[0], day, values);
        foreach (string meter in meters[1..])
        {
            document = ReadingJson.Combine(document, ReadingJson.Document(meter, day, values));
        }

        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("counts").GetProperty("quarantined").GetInt32() == 0, body);
    }
}
