using System.Net;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;

namespace MeterToCash.Functions.Tests.Monitoring;

/// <summary>Read success rate (采集成功率) of an area-day from pushed curves and the archive.</summary>
[Collection(BackendCollection.Name)]
public class ReadSuccessRateTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task ReadSuccessRate_OneCompleteOnePartialOneSilentMeter_OneThirdWithTheUnreadMeters()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        DateOnly day = new(2025, 5, 6);
        string complete = await ReadingJson.CreateMeterAsync(Client, area);
        string partial = await ReadingJson.CreateMeterAsync(Client, area);
        string silent = await ReadingJson.CreateMeterAsync(Client, area);
        decimal?[] missingOne = ReadingJson.Day(0.2m);
        missingOne[50] = null;
        foreach (var document in new[] { ReadingJson.Document(complete, day, ReadingJson.Day(0.2m)), ReadingJson.Document(partial, day, missingOne) })
        {
            HttpResponseMessage pushed = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
            Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        }

        HttpResponseMessage response = await Client.GetAsync($"api/areas/{area}/read-success-rate?day=2025-05-06");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        JsonElement rate = JsonDocument.Parse(body).RootElement;
        Assert.Equal(3, rate.GetProperty("expected").GetInt32());
        Assert.Equal(1, rate.GetProperty("succeeded").GetInt32());
        Assert.Equal(0.3333m, rate.GetProperty("rate").GetDecimal());
        Dictionary<string, int> notRead = rate.GetProperty("notRead").EnumerateArray()
            .ToDictionary(m => m.GetProperty("meter").GetString()!, m => m.GetProperty("actualSlots").GetInt32(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { [partial] = 95, [silent] = 0 }, notRead);
    }

    [Fact]
    public async Task ReadSuccessRate_DailyFrozenRegisterWithoutCurve_CountsAsRead()
    {
        string area = await MonitoringAreas.NewAsync(Client);
        DateOnly day = new(2025, 5, 7);
        string frozen = await ReadingJson.CreateMeterAsync(Client, area);
        string wrongTime = await ReadingJson.CreateMeterAsync(Client, area);
        DateTimeOffset endOfDay = new(2025, 5, 8, 0, 0, 0, TimeSpan.FromHours(8));
        HttpResponseMessage pushed = await Client.PostAsync("api/meter-readings", ReadingJson.Bytes(ReadingJson.Combine(
            ReadingJson.Registers(frozen, ReadingJson.Register(ReadingJson.ActiveImportTotalRegister, endOfDay, 1234.5m)),
            ReadingJson.Registers(wrongTime, ReadingJson.Register(ReadingJson.ActiveImportTotalRegister, endOfDay.AddHours(-6), 777m)))));
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());

        JsonElement rate = JsonDocument.Parse(await Client.GetStringAsync(new Uri($"api/areas/{area}/read-success-rate?day=2025-05-07", UriKind.Relative))).RootElement;

        Assert.Equal((2, 1, 0.5m), (rate.GetProperty("expected").GetInt32(), rate.GetProperty("succeeded").GetInt32(), rate.GetProperty("rate").GetDecimal()));
        Assert.Equal(wrongTime, Assert.Single(rate.GetProperty("notRead").EnumerateArray()).GetProperty("meter").GetString(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadSuccessRate_BadDayOrUnknownArea_400NamingField_404()
    {
        await Problem.AssertAsync(await Client.GetAsync("api/areas/TA0009/read-success-rate"), HttpStatusCode.BadRequest, "day", "date-format");
        await Problem.AssertAsync(await Client.GetAsync("api/areas/TA0009/read-success-rate?day=2025-13-01"), HttpStatusCode.BadRequest, "day", "date-format");
        await Problem.AssertAsync(await Client.GetAsync("api/areas/NOSUCHAREA/read-success-rate?day=2025-05-06"), HttpStatusCode.NotFound);
    }
}
