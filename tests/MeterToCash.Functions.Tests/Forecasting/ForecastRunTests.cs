using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Forecasting;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Simulator;
using MeterToCash.Tools;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeterToCash.Functions.Tests.Forecasting;

/// <summary>
/// The forecast run end to end: a small area's month of curves through the pipeline (the month seed), the station's
/// weather through PUT /api/weather, then the run through HTTP on the LocalHost and the same orchestrator in process.
/// </summary>
[Collection(BackendCollection.Name)]
public class ForecastRunTests(BackendFixture backend) : IAsyncLifetime
{
    static readonly DateOnly Month = new(2025, 11, 1);

    static readonly SemaphoreSlim Seeded = new(1, 1);

    static bool seeded;

    readonly string area = $"TF{Environment.ProcessId % 100000:D5}";

    HttpClient Client => backend.Client;

    /// <summary>Seeds the area once per test run (both tests read it).</summary>
    public async Task InitializeAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (!seeded)
            {
                await SeedAsync();
                seeded = true;
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    async Task SeedAsync()
    {
        Assert.True((await Client.PutAsJsonAsync($"api/network/areas/{area}", new { name = "预测台区", feederCode = "FD001", ratedKva = 400 })).IsSuccessStatusCode);
        for (int i = 0; i < 6; i++)
        {
            (string accountNo, string meterNo) = CustomerJson.NextIds();
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(accountNo, meterNo, area)))).StatusCode);
        }

        // A 10 kV customer filed under the area: fed from the feeder, not through the transformer, so neither its load rate nor its forecast.
        (string industrialAccount, string industrialMeter) = CustomerJson.NextIds();
        JsonObject industrial = CustomerJson.Residential(industrialAccount, industrialMeter, area);
        industrial["class"] = "LargeIndustrial";
        industrial["paymentMode"] = "Postpaid";
        JsonNode point = industrial["servicePoints"]![0]!;
        point["supplyVoltageKv"] = 10m;
        point["contractedCapacityKva"] = 630m;
        point["meters"]![0]!["ctRatio"] = 40;
        point["meters"]![0]!["ptRatio"] = 100;
        point["meters"]![0]!["registers"] = new JsonArray("ActiveImportTotal", "ActiveImportPeak", "ActiveImportFlat", "ActiveImportValley", "ReactiveImport");
        point["tariffs"]![0]!["tariffCode"] = "SH-IND-2PART";
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(industrial));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        await new MonthSeed(Client).SeedAsync(Month, [area]);
        string weather = SimulatedAreaLoad.WeatherCsv(Month.AddDays(-7), Month.AddMonths(1), Month.AddMonths(1));
        HttpResponseMessage put = await Client.PutAsync($"api/weather/{SimulatedWeather.DemoStation}", new StringContent(weather, Encoding.UTF8, "text/csv"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunForecast_Http_StoresForecastWithModelVersionNextToActualsAndRerunIsIdentical()
    {
        JsonElement summary = await RunAsync("2025-11-30");

        Assert.Equal(1, summary.GetProperty("forecast").GetInt32());
        JsonElement first = await ForecastAsync("2025-11-30");
        Assert.True(first.GetProperty("hasForecast").GetBoolean());
        Assert.Equal(LoadForecaster.ModelVersion, first.GetProperty("modelVersion").GetString());
        Assert.Equal("2025-11-28", first.GetProperty("trainedThrough").GetString());
        Assert.True(first.GetProperty("usesTemperature").GetBoolean());
        Assert.Equal(SimulatedWeather.DemoStation, first.GetProperty("station").GetString());
        JsonElement[] points = [.. first.GetProperty("points").EnumerateArray()];
        Assert.Equal(96, points.Length);
        Assert.All(points, p => Assert.True(p.GetProperty("forecastKw").GetDouble() > 0));

        // MAPE against the actuals, worked out here from the points the API returned.
        double[] f = [.. points.Select(p => p.GetProperty("forecastKw").GetDouble())];
        double[] a = [.. points.Select(p => p.TryGetProperty("actualKw", out JsonElement v) ? v.GetDouble() : double.NaN)];
        double mean = a.Where(v => !double.IsNaN(v)).Average();
        int[] scored = [.. Enumerable.Range(0, 96).Where(s => !double.IsNaN(a[s]) && a[s] >= 0.05 * mean)];
        Assert.True(scored.Length >= 90, $"{scored.Length} slots have actuals");
        double mape = Math.Round(100 * scored.Average(s => Math.Abs(f[s] - a[s]) / a[s]), 2);
        Assert.Equal(mape, first.GetProperty("mape").GetDouble(), 2);

        await RunAsync("2025-11-30");
        JsonElement second = await ForecastAsync("2025-11-30");
        Assert.Equal(first.GetProperty("points").GetRawText(), second.GetProperty("points").GetRawText());
    }

    [Fact]
    public async Task AreaForecast_AreaWithTenKvCustomer_ActualsAreTheLoadRatesLowVoltageLoad()
    {
        JsonElement forecast = await ForecastAsync("2025-11-27");
        JsonElement loadRate = JsonDocument.Parse(await Client.GetStringAsync($"api/areas/{area}/load-rate?day=2025-11-27")).RootElement;

        JsonElement[] actual = [.. forecast.GetProperty("points").EnumerateArray()];
        JsonElement[] rated = [.. loadRate.GetProperty("points").EnumerateArray()];
        Assert.Equal(6, forecast.GetProperty("actualMeters").GetInt32());
        Assert.True(forecast.GetProperty("actualSlots").GetInt32() >= 90, forecast.GetRawText());
        foreach (int slot in Enumerable.Range(0, 96).Where(s => actual[s].TryGetProperty("actualKw", out JsonElement kw) && kw.ValueKind == JsonValueKind.Number))
        {
            Assert.Equal((double)rated[slot].GetProperty("kw").GetDecimal(), actual[slot].GetProperty("actualKw").GetDouble(), 3);
        }

        // Six households peak at a few kW each: the 10 kV customer (CT×PT 4,000) would put the area far above its transformer.
        Assert.True(forecast.GetProperty("actualPeakKw").GetDouble() < loadRate.GetProperty("capacityKw").GetDouble(), forecast.GetProperty("actualPeakKw").GetRawText());
    }

    [Fact]
    public async Task ForecastLoad_InProcess_FansOutOverBatchesAndSkipsAreasWithoutHistory()
    {
        await using ServiceProvider provider = backend.AppServices(new Dictionary<string, string?>
        {
            ["Forecast:DefaultStation"] = SimulatedWeather.DemoStation,
            ["Forecast:AreasPerBatch"] = "1",
            ["Forecast:AreasPerActivity"] = "1",
        });
        ForecastWorkflow workflow = ActivatorUtilities.CreateInstance<ForecastWorkflow>(provider);

        await using DurableTaskTestHost host = await InProcessDurable.StartAsync(registry => registry
            .AddOrchestratorFunc<ForecastRunInput, ForecastRunSummary>(nameof(ForecastWorkflow.ForecastLoad), (context, _) => ForecastWorkflow.ForecastLoad(context))
            .AddOrchestratorFunc<ForecastWork[], ForecastRunSummary>(nameof(ForecastWorkflow.ForecastLoadBatch), (context, _) => ForecastWorkflow.ForecastLoadBatch(context))
            .AddActivityFunc<ForecastRunInput, IReadOnlyList<ForecastWork[]>>(nameof(ForecastWorkflow.PlanForecast), (_, input) => workflow.PlanForecast(input))
            .AddActivityFunc<ForecastWork, ForecastRunSummary>(nameof(ForecastWorkflow.ForecastAreas), (_, work) => workflow.ForecastAreas(work)));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ForecastWorkflow.ForecastLoad), new ForecastRunInput(new DateOnly(2025, 11, 29), [area, "TA0012"], DateTimeOffset.UtcNow));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        ForecastRunSummary summary = done.ReadOutputAs<ForecastRunSummary>()!;
        Assert.Equal(2, summary.Areas);
        Assert.Equal(1, summary.Forecast);
        Assert.Equal(1, summary.Skipped);
        Assert.StartsWith("TA0012: fewer than 7 complete days", Assert.Single(summary.SkippedExamples), StringComparison.Ordinal);
        JsonElement stored = await ForecastAsync("2025-11-29");
        Assert.True(stored.GetProperty("hasForecast").GetBoolean());
    }

    async Task<JsonElement> RunAsync(string day)
    {
        HttpResponseMessage started = await Client.PostAsJsonAsync("api/forecasts/runs", new { day, areas = new[] { area } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        JsonElement status = default;
        for (int attempt = 0; attempt < 240; attempt++)
        {
            status = JsonDocument.Parse(await Client.GetStringAsync($"api/forecasts/runs/{id}")).RootElement;
            if (status.GetProperty("status").GetString() is "Completed" or "Failed")
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(status.GetProperty("status").GetString() == "Completed", status.GetRawText());
        return status.GetProperty("summary");
    }

    async Task<JsonElement> ForecastAsync(string day)
    {
        HttpResponseMessage response = await Client.GetAsync($"api/areas/{area}/forecast?day={day}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
