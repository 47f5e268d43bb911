using System.Net.Http.Headers;
using System.Text.Json;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Simulator;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>An area outage driven by the head-end simulator: its meters report, most are cut off, then restored.</summary>
[Collection(BackendCollection.Name)]
public class SimulatedOutageTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task Simulator_AreaCutOffThenRestored_OutageOpensAndClosesWithDuration_MeterAlarmsToo()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string[] meters = [.. await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ReadingJson.CreateMeterAsync(Client, area)))];
        HeadEndSimulation simulation = new([.. meters.Select((m, i) => new SimulatedMeter(new MeterId(m), (CustomerClass)(i % 3), 10))], seed: 7, FaultOptions.None);
        DateTimeOffset slot = ChinaTime.DayStart(ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1));

        for (int i = 0; i < 4; i++, slot = slot.AddMinutes(15))
        {
            await SendAsync(simulation.Tick(slot));
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset cutAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-30); // events carry whole seconds
        await SendAsync(simulation.Cut(meters[..4], cutAt)); // four of five lose supply: last gasps
        SimulatedDelivery whileOut = simulation.Tick(slot);
        Assert.All(whileOut.Intervals, r => Assert.Equal(meters[4], r.Meter.Value)); // the cut meters are silent
        await SendAsync(whileOut);

        JsonElement outage = Assert.Single(await AlarmsAsync(area, "AreaOutage"));
        Assert.Equal(("Open", "4 of 5 meters down"), (outage.GetProperty("state").GetString(), outage.GetProperty("detail").GetString()));
        Assert.Equal(4, (await AlarmsAsync(area, "MeterPowerOff")).Count(a => a.GetProperty("state").GetString() == "Open"));

        DateTimeOffset restoredAt = cutAt.AddMinutes(20);
        await SendAsync(simulation.Restore(meters[..4], restoredAt));
        await SendAsync(simulation.Tick(slot.AddMinutes(15)));

        JsonElement closed = Assert.Single(await AlarmsAsync(area, "AreaOutage"));
        Assert.Equal("Closed", closed.GetProperty("state").GetString());
        Assert.Equal(restoredAt, closed.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal((long)(restoredAt - closed.GetProperty("openedAt").GetDateTimeOffset()).TotalSeconds, closed.GetProperty("durationSeconds").GetInt64());
        Assert.All(await AlarmsAsync(area, "MeterPowerOff"), a => Assert.Equal(("Closed", 20 * 60L), (a.GetProperty("state").GetString(), a.GetProperty("durationSeconds").GetInt64())));
    }

    async Task SendAsync(SimulatedDelivery delivery)
    {
        using ByteArrayContent content = new(HeadEndSimulation.ToJson(delivery));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    async Task<List<JsonElement>> AlarmsAsync(string area, string condition)
    {
        JsonElement page = JsonDocument.Parse(await Client.GetStringAsync(new Uri($"api/alarms?area={area}&pageSize=1000", UriKind.Relative))).RootElement.Clone();
        return [.. page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("condition").GetString() == condition)];
    }
}
