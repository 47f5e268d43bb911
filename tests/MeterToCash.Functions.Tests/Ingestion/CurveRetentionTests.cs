using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Ingestion;

/// <summary>Interval-curve retention: a day past the retention period goes with its day table; younger days stay.</summary>
[Collection(BackendCollection.Name)]
public class CurveRetentionTests(BackendFixture backend)
{
    [Fact]
    public async Task PurgeExpiredCurves_DayPastRetention_DropsThatDayOnly()
    {
        string meter = await ReadingJson.CreateMeterAsync(backend.Client);
        // Retention is 1,100 days by default: 2023-06-01 is past it, ten days ago is not.
        DateOnly expired = new(2023, 6, 1);
        DateOnly recent = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-10);
        foreach (DateOnly day in new[] { expired, recent })
        {
            using StringContent content = new(ReadingJson.Document(meter, day, ReadingJson.Day(0.2m)).ToJsonString(), Encoding.UTF8, "application/json");
            HttpResponseMessage pushed = await backend.Client.PostAsync("api/meter-readings", content);
            Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
            Assert.Equal(96, await PointsAsync(meter, day));
        }

        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        HttpResponseMessage fired = await admin.PostAsync("admin/functions/PurgeExpiredCurves", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);

        TableServiceClient tables = new(backend.StorageConnectionString);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (tables.Query(t => t.Name == $"MeterCurves{expired:yyyyMMdd}").Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "the expired day table was not dropped:\n" + backend.Host.Output);
            await Task.Delay(250);
        }

        // The dropped day reads as a day without data (not an error); the recent day is untouched.
        Assert.Equal(0, await PointsAsync(meter, expired));
        Assert.Equal(96, await PointsAsync(meter, recent));
        Assert.Single(tables.Query(t => t.Name == $"MeterCurves{recent:yyyyMMdd}"));
    }

    async Task<int> PointsAsync(string meter, DateOnly day)
    {
        HttpResponseMessage response = await backend.Client.GetAsync($"api/meters/{meter}/curve?day={day:yyyy-MM-dd}&channel=AI");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement curve = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return curve.GetProperty("points").EnumerateArray().Count(p => p.TryGetProperty("value", out _));
    }
}
