using System.Text.Json;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>Meters that sent a last gasp but never a power-restored event, and then reported energy again.</summary>
[Collection(BackendCollection.Name)]
public class InferredRestorationTests(BackendFixture backend)
{
    const string PowerOff = "3.26.0.85";

    HttpClient Client => backend.Client;

    [Fact]
    public async Task Sweep_GaspedMetersMeasureEnergyAgainWithoutRestoreEvent_ClosesTheirAlarmsAndTheOutageAtTheFirstReading()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        string[] meters = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReadingJson.CreateMeterAsync(Client, area)))];
        DateTimeOffset gasp = AlarmApiTests.Minute(DateTimeOffset.UtcNow.AddHours(-2));
        await PushAsync(AlarmApiTests.Events([.. meters[..3].Select(m => (m, PowerOff, gasp))]));
        Assert.Equal("Open", Assert.Single(await MonitoringSweepTests.AlarmsAsync(Client, area, "AreaOutage")).GetProperty("state").GetString());

        // The first whole 15-minute interval after the gasp, measured by all three: power is back, though no one said so.
        DateTimeOffset back = new(gasp.Ticks - (gasp.Ticks % TimeSpan.FromMinutes(15).Ticks) + TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero);
        DateOnly day = ChinaTime.LocalDay(back);
        int slot = (int)(back - ChinaTime.DayStart(day)).TotalMinutes / 15;
        foreach (string meter in meters[..3])
        {
            decimal?[] values = new decimal?[slot + 2];
            values[slot] = 0.2m;
            values[slot + 1] = 0.3m;
            await PushAsync(ReadingJson.Document(meter, day, values));
        }

        JsonElement sweep = await MonitoringSweepTests.SweepAsync(Client);

        Assert.True(sweep.GetProperty("restoresInferred").GetInt32() >= 3, sweep.ToString());
        JsonElement outage = Assert.Single(await MonitoringSweepTests.AlarmsAsync(Client, area, "AreaOutage"));
        Assert.Equal(("Closed", back), (outage.GetProperty("state").GetString(), outage.GetProperty("closedAt").GetDateTimeOffset()));
        List<JsonElement> powerOff = await MonitoringSweepTests.AlarmsAsync(Client, area, "MeterPowerOff");
        Assert.Equal(3, powerOff.Count);
        Assert.All(powerOff, a => Assert.Equal(("Closed", (long)(back - gasp).TotalSeconds), (a.GetProperty("state").GetString(), a.GetProperty("durationSeconds").GetInt64())));
    }

    async Task PushAsync(System.Text.Json.Nodes.JsonNode document)
    {
        HttpResponseMessage response = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
