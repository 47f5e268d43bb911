using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MeterToCash.Domain.Forecasting;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Forecasting;

/// <summary>POST /api/forecasts/backtests on a fixed seeded series: the simulator's area TA0001, 140 days to 2026-11-29.</summary>
[Collection(BackendCollection.Name)]
public class BacktestApiTests(BackendFixture backend)
{
    static readonly DateOnly End = new(2026, 11, 29);

    /// <summary>A client that waits for a backtest: it trains one model per held-out week, seconds each, longer on a busy machine.</summary>
    HttpClient Client
    {
        get
        {
            HttpClient client = backend.Host.Client();
            client.Timeout = TimeSpan.FromMinutes(10);
            return client;
        }
    }

    static IReadOnlyList<LoadObservation> Series() =>
        [.. SimulatedAreaLoad.Observations(SimulatedAreaLoad.Meters(new DemoUtility(1200, areas: 12), "TA0001"), End.AddDays(-139), End, seed: 7)];

    [Fact]
    public async Task Backtest_SeededSimulatorSeries_NaiveMatchesIndependentMapeAndModelBeatsItByTheGoal()
    {
        IReadOnlyList<LoadObservation> series = Series();

        using HttpClient client = Client;
        HttpResponseMessage response = await client.PostAsync("api/forecasts/backtests?weeks=4", new StringContent(SimulatedAreaLoad.Csv(series), Encoding.UTF8, "text/csv"));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        JsonElement result = JsonDocument.Parse(body).RootElement;
        Assert.Equal("2026-11-02", result.GetProperty("heldOutFrom").GetString());
        Assert.Equal("2026-11-29", result.GetProperty("heldOutTo").GetString());
        Assert.Equal(28, result.GetProperty("days").GetArrayLength());
        Assert.True(result.GetProperty("usesTemperature").GetBoolean());

        // Seasonal naive worked out here, independently: no holiday or make-up day falls in 2026-10-26…11-29, so the
        // same-kind day at least a week back is always D−7; a point counts when its actual is ≥ 5 % of its day's mean.
        Dictionary<(DateOnly, int), double> kw = series.ToDictionary(o => (ChinaTime.LocalDay(o.Instant), ChinaTime.MinuteOfDay(o.Instant) / 15), o => o.Kw);
        double ape = 0;
        int points = 0;
        for (DateOnly day = End.AddDays(-27); day <= End; day = day.AddDays(1))
        {
            double mean = Enumerable.Range(0, 96).Average(s => kw[(day, s)]);
            for (int s = 0; s < 96; s++)
            {
                double actual = kw[(day, s)];
                if (actual >= 0.05 * mean)
                {
                    ape += Math.Abs(kw[(day.AddDays(-7), s)] - actual) / actual;
                    points++;
                }
            }
        }

        double naiveMape = 100 * ape / points;
        JsonElement naive = result.GetProperty("seasonalNaive");
        Assert.Equal(points, naive.GetProperty("points").GetInt32());
        Assert.InRange(naive.GetProperty("mape").GetDouble(), naiveMape - 0.01, naiveMape + 0.01);
        double modelMape = result.GetProperty("model").GetProperty("mape").GetDouble();
        Assert.True(modelMape <= 0.8 * naiveMape, $"model MAPE {modelMape} should be ≤ 0.8 × seasonal naive {naiveMape:F2}");
        Assert.Equal(modelMape <= 0.8 * naive.GetProperty("mape").GetDouble(), result.GetProperty("meetsGoal").GetBoolean());
    }

    [Fact]
    public async Task Backtest_HourlyHistoryWithGapsAndNoOffset_ScoresTheDaysItCan()
    {
        // Messy real data: hourly values, China local times without an offset, two lost days and a lost afternoon.
        StringBuilder csv = new("Timestamp,kW\n");
        foreach (LoadObservation o in Series().Where(o => o.Instant.Minute == 0 && o.Instant.ToOffset(ChinaTime.Offset).Minute == 0))
        {
            DateTime local = o.Instant.ToOffset(ChinaTime.Offset).DateTime;
            if (local.Date == new DateTime(2026, 11, 10) || local.Date == new DateTime(2026, 10, 20) || (local.Date == new DateTime(2026, 11, 20) && local.Hour is >= 12 and < 18))
            {
                continue;
            }

            csv.Append(local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(',').Append(o.Kw.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        using HttpClient client = Client;
        HttpResponseMessage response = await client.PostAsync("api/forecasts/backtests?weeks=2", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        JsonElement result = JsonDocument.Parse(body).RootElement;
        Assert.False(result.GetProperty("usesTemperature").GetBoolean());
        Assert.Equal("2026-11-16", result.GetProperty("heldOutFrom").GetString());
        // 14 days, less the lost afternoon's 24 slots of 11-20 (hourly values fill their hour; 6 lost hours stay a gap).
        int scored = result.GetProperty("model").GetProperty("points").GetInt32();
        Assert.InRange(scored, (14 * 96) - 24 - 30, (14 * 96) - 24);
        Assert.True(result.GetProperty("model").GetProperty("mape").GetDouble() is > 0 and < 50);
    }

    [Fact]
    public async Task Backtest_TooShortHistory_Is422NamingTheSeries()
    {
        string csv = SimulatedAreaLoad.Csv(Series().Where(o => ChinaTime.LocalDay(o.Instant) > End.AddDays(-20)));

        using HttpClient client = Client;
        HttpResponseMessage response = await client.PostAsync("api/forecasts/backtests?weeks=1", new StringContent(csv, Encoding.UTF8, "text/csv"));

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "series", "history-too-short");
    }
}
