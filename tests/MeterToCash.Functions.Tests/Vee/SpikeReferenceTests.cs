using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Load;
using MeterToCash.Functions.Tests.Monitoring;

namespace MeterToCash.Functions.Tests.Vee;

/// <summary>
/// Spikes in live data (a few intervals per delivery) judged against the spike reference the daily VEE run stores, through
/// HTTP, the real durable engine and Azurite.
/// </summary>
[Collection(BackendCollection.Name)]
public class SpikeReferenceTests(BackendFixture backend)
{
    const decimal RatedKva = 10m, PowerFactor = 0.9m; // the default power factor of Load__PowerFactor

    /// <summary>Each of the area's two meters' kWh in a 15-minute interval for a load rate: rate × kVA × PF × ¼ h, halved.</summary>
    static decimal PerMeter(decimal rate) => rate * RatedKva * PowerFactor / 4m / 2m;

    [Fact]
    public async Task LivePush_AfterDailyVeeStoredReferences_TimesFiftyValueIsQuestionableSpike_NoOverload()
    {
        HttpClient client = backend.Client;
        (string area, _) = await LoadAreas.NewAsync(client, RatedKva);
        string spiking = await ReadingJson.CreateMeterAsync(client, area), steady = await ReadingJson.CreateMeterAsync(client, area);
        DateOnly live = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1), lastComplete = live.AddDays(-1);

        // A week of normal load (40 % by day, 20 % by night), then the daily VEE run of the last complete day.
        decimal[] normal = [.. Enumerable.Range(0, 96).Select(s => PerMeter(s is >= 32 and < 88 ? 0.4m : 0.2m))];
        for (int back = 1; back <= 7; back++)
        {
            await PushAsync(client, ReadingJson.Combine(
                ReadingJson.Document(spiking, live.AddDays(-back), [.. normal.Cast<decimal?>()]),
                ReadingJson.Document(steady, live.AddDays(-back), [.. normal.Cast<decimal?>()])));
        }

        JsonElement run = await DailyVeeTests.RunAsync(client, area, lastComplete);
        Assert.Equal(2, run.GetProperty("spikeReferences").GetInt32());

        // Live: slots 40–45 of the next day, a few at a time as a head-end sends them; slot 45 of one meter is ×50.
        for (int slot = 40; slot < 46; slot += 3)
        {
            decimal?[] values = [.. normal[slot..(slot + 3)].Cast<decimal?>()];
            decimal?[] spiked = [.. values];
            if (slot + 2 == 45)
            {
                spiked[2] = normal[45] * 50m;
            }

            JsonElement pushed = await PushAsync(client, ReadingJson.Combine(
                ReadingJson.Document(spiking, live, spiked, firstSlot: slot),
                ReadingJson.Document(steady, live, values, firstSlot: slot)));
            Assert.Equal(slot + 2 == 45 ? 1 : 0, pushed.GetProperty("counts").GetProperty("suspect").GetInt32());
        }

        JsonElement flagged = (await HttpJson.GetOkAsync(client, $"api/meters/{spiking}/curve?day={live:yyyy-MM-dd}&channel=AI")).GetProperty("points")[45];
        Assert.Equal((normal[45] * 50m, "Questionable"), (flagged.GetProperty("value").GetDecimal(), flagged.GetProperty("quality").GetString()));
        Assert.Equal(["Spike"], flagged.GetProperty("failedRules").EnumerateArray().Select(r => r.GetString()));

        await MonitoringSweepTests.SweepAsync(client);

        Assert.Empty(await MonitoringSweepTests.AlarmsAsync(client, area, "Overload"));
        JsonElement rate = await HttpJson.GetOkAsync(client, $"api/areas/{area}/load-rate?day={live:yyyy-MM-dd}");
        JsonElement spikeSlot = rate.GetProperty("points")[45];
        Assert.Equal((1, normal[45]), (spikeSlot.GetProperty("meters").GetInt32(), spikeSlot.GetProperty("kwh").GetDecimal()));
        Assert.Equal(0, rate.GetProperty("overloadIntervals").GetInt32());

        // Re-running an older day keeps the references of the later window.
        Assert.Equal(0, (await DailyVeeTests.RunAsync(client, area, lastComplete.AddDays(-3))).GetProperty("spikeReferences").GetInt32());
        Assert.Equal(2, (await DailyVeeTests.RunAsync(client, area, lastComplete)).GetProperty("spikeReferences").GetInt32());
    }

    [Fact]
    public async Task LivePush_MeterWithoutStoredReference_SpikeNotJudged()
    {
        // A freshly installed meter: no VEE run has given it a reference and its day holds a handful of values.
        HttpClient client = backend.Client;
        (string area, _) = await LoadAreas.NewAsync(client, 1000m);
        string meter = await ReadingJson.CreateMeterAsync(client, area);
        DateOnly live = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);

        JsonElement pushed = await PushAsync(client, ReadingJson.Document(meter, live, [0.2m, 0.2m, 10m], firstSlot: 40));

        Assert.Equal((3, 0), (pushed.GetProperty("counts").GetProperty("accepted").GetInt32(), pushed.GetProperty("counts").GetProperty("suspect").GetInt32()));
        JsonElement point = (await HttpJson.GetOkAsync(client, $"api/meters/{meter}/curve?day={live:yyyy-MM-dd}&channel=AI")).GetProperty("points")[42];
        Assert.Equal((10m, "Valid"), (point.GetProperty("value").GetDecimal(), point.GetProperty("quality").GetString()));
    }

    static async Task<JsonElement> PushAsync(HttpClient client, JsonObject document)
    {
        HttpResponseMessage response = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        JsonElement result = JsonDocument.Parse(body).RootElement;
        Assert.True(result.GetProperty("counts").GetProperty("quarantined").GetInt32() == 0, body);
        return result;
    }
}
