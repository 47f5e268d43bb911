using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Load;
using MeterToCash.Functions.Tests.Monitoring;
using MeterToCash.Tools.LocalStack;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MeterToCash.Functions.Tests.Dashboard;

/// <summary>
/// The operations dashboard in a real headless Chromium (Playwright, the system's browser) against the running LocalHost:
/// each panel shows what the API answers, an alarm is acknowledged and another closed through the page, and a screenshot
/// is kept under TestResults/dashboard/.
/// </summary>
[Collection(BackendCollection.Name)]
public class DashboardBrowserTests(BackendFixture backend, ITestOutputHelper output)
{
    const decimal RatedKva = 10m, PowerFactor = 0.9m; // Load__PowerFactor default
    const string Operator = "playwright-operator";

    static decimal PerMeter(decimal rate) => rate * RatedKva * PowerFactor / 4m / 2m;

    [Fact]
    public async Task Dashboard_InBrowser_ShowsWhatTheApiAnswers_AndAcknowledgesAndClosesAlarms()
    {
        HttpClient client = backend.Client;
        DateOnly yesterday = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-1);
        string day = yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string area = await SeedOverloadedLossyAreaAsync(client, yesterday);
        string cycle = await RunBillingCycleAsync(client, area);

        await using Browser browser = await Browser.LaunchAsync();
        IPage page = await browser.Context.NewPageAsync();
        List<string> consoleErrors = [];
        // Script errors fail the test; the browser's own log lines for 4xx answers (the refused key, probed cycles) do not.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) consoleErrors.Add(m.Text); };
        page.PageError += (_, e) => consoleErrors.Add(e);

        await page.GotoAsync(new Uri(backend.Host.BaseAddress, $"api/dashboard/index.html?area={area}&day={day}&lossDay={day}").ToString());

        // Authentication: the key dialog; a wrong key is refused and asked for again; the right one opens the dashboard.
        await page.Locator("#keyDialog[open]").WaitForAsync();
        await page.FillAsync("#keyInput", "not-the-key");
        await page.ClickAsync("#keySubmit");
        await page.Locator("#keyError:not([hidden])").WaitForAsync();
        Assert.Contains("401", await page.TextContentAsync("#keyError"), StringComparison.Ordinal);
        await page.FillAsync("#keyInput", LocalHostProcess.FunctionKey);
        await page.ClickAsync("#keySubmit");
        await WaitLoadedAsync(page, 1);
        Assert.Equal(LocalHostProcess.FunctionKey, await page.EvaluateAsync<string>("sessionStorage.getItem('metertocash.functionKey')"));
        Assert.DoesNotContain(LocalHostProcess.FunctionKey, await page.ContentAsync(), StringComparison.Ordinal);

        await AssertNetworkAsync(page, client, day);
        await AssertAreaPanelAsync(page, client, area, day);
        await AssertReadsAsync(page, client, area, day);
        await AssertBillingAsync(page, client, cycle);
        Assert.Contains("Not available", await page.TextContentAsync("#reconciliation"), StringComparison.Ordinal);

        // Alarms: the page lists the area's alarms that are not closed, as the API does.
        List<JsonElement> open = await NotClosedAlarmsAsync(client, area);
        Assert.Equal(open.Select(a => a.GetProperty("id").GetString()).Order(), (await page.Locator($"#alarmTable tr[data-alarm-id^='{area}~']").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.alarmId)")).Order());
        string overload = open.Single(a => a.GetProperty("condition").GetString() == "Overload").GetProperty("id").GetString()!;
        string heavy = open.Single(a => a.GetProperty("condition").GetString() == "HeavyLoad").GetProperty("id").GetString()!;
        foreach (JsonElement alarm in open)
        {
            ILocator row = AlarmRow(page, alarm.GetProperty("id").GetString()!);
            Assert.Equal(alarm.GetProperty("state").GetString(), await Value(row, "state"));
            Assert.Equal(alarm.GetProperty("severity").GetString(), await Value(row, "severity"));
        }

        await page.FillAsync("#operator", Operator);
        await AlarmRow(page, overload).Locator("button.ack").ClickAsync();
        await AlarmRow(page, overload).Locator("td[data-field=state][data-value=Acknowledged]").WaitForAsync();
        JsonElement acknowledged = await GetAsync(client, $"api/alarms/{Uri.EscapeDataString(overload)}");
        Assert.Equal(("Acknowledged", Operator), (acknowledged.GetProperty("state").GetString(), acknowledged.GetProperty("acknowledgedBy").GetString()));

        await AlarmRow(page, heavy).Locator("button.close").ClickAsync();
        await AlarmRow(page, heavy).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("Closed", (await GetAsync(client, $"api/alarms/{Uri.EscapeDataString(heavy)}")).GetProperty("state").GetString());

        string screenshot = ScreenshotPath();
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {screenshot}");
        Console.WriteLine($"Dashboard screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 0);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    /// <summary>A new area of two customers at 30 % of capacity, then 104 % for the day's last six intervals (heavy and
    /// overload alarms open on the sweep, and stay open: no later interval is below the thresholds)
    /// and 30 % otherwise, with a master meter measuring a quarter more than they do (high line loss, evaluated).</summary>
    static async Task<string> SeedOverloadedLossyAreaAsync(HttpClient client, DateOnly day)
    {
        (string area, string master) = await LoadAreas.NewAsync(client, RatedKva);
        string[] meters = [await ReadingJson.CreateMeterAsync(client, area), await ReadingJson.CreateMeterAsync(client, area)];
        decimal?[] perMeter = [.. Enumerable.Range(0, 96).Select(s => (decimal?)PerMeter(s >= 90 ? 1.04m : 0.3m))];
        decimal?[] masterValues = [.. perMeter.Select(v => (decimal?)Math.Round(v!.Value * 2 * 1.25m, 3))]; // readings carry at most 4 decimals
        JsonObject document = ReadingJson.Combine(ReadingJson.Combine(ReadingJson.Document(meters[0], day, perMeter), ReadingJson.Document(meters[1], day, perMeter)),
            ReadingJson.Document(master, day, masterValues));
        HttpResponseMessage pushed = await client.PostAsync("api/meter-readings", ReadingJson.Bytes(document));
        string body = await pushed.Content.ReadAsStringAsync();
        Assert.True(pushed.StatusCode == HttpStatusCode.OK, body);
        JsonElement counts = JsonDocument.Parse(body).RootElement.GetProperty("counts");
        Assert.True(counts.GetProperty("quarantined").GetInt32() == 0 && (!counts.TryGetProperty("rejected", out JsonElement rejected) || rejected.GetInt32() == 0), body);

        await MonitoringSweepTests.SweepAsync(client);
        await LineLossTests.EvaluateAsync(client, day, area);
        return area;
    }

    /// <summary>A billing group of the area alone and its cycle of last month: the area's customers have no reads in it,
    /// so their bills are held for review.</summary>
    async Task<string> RunBillingCycleAsync(HttpClient client, string area)
    {
        string group = "BGD" + area[^6..];
        HttpResponseMessage put = await client.PutAsJsonAsync($"api/billing-groups/{group}", new { name = "Dashboard test", cycleDay = 1, areas = new[] { area } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        DateOnly today = ChinaTime.LocalDay(DateTimeOffset.UtcNow);
        string period = new DateOnly(today.Year, today.Month, 1).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        HttpResponseMessage started = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period });
        string body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        string id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        DateTime deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            JsonElement status = await GetAsync(client, $"api/billing/cycles/{id}");
            if (status.GetProperty("phase").GetString() is "Review" or "Completed" or "CompletedWithHeldBills")
            {
                Assert.True(status.GetProperty("held").GetInt32() > 0, $"the area's customers have no reads last month: their bills are held. {status}");
                return id;
            }

            Assert.True(status.GetProperty("status").GetString() != "Failed" && DateTime.UtcNow < deadline, status.ToString());
            await Task.Delay(300);
        }
    }

    static async Task AssertNetworkAsync(IPage page, HttpClient client, string day)
    {
        JsonElement tree = await GetAsync(client, "api/network/tree");
        string[] areas = [.. tree.GetProperty("substations").EnumerateArray().SelectMany(s => s.GetProperty("feeders").EnumerateArray())
            .SelectMany(f => f.GetProperty("areas").EnumerateArray()).Select(a => a.GetProperty("code").GetString()!)];
        string[] shown = await page.Locator("#tree tr[data-area]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.area)");
        Assert.Equal(areas.Order(), shown.Order());

        JsonElement ranking = await GetAsync(client, $"api/line-loss/ranking?day={day}");
        Dictionary<string, JsonElement> losses = ranking.GetProperty("areas").EnumerateArray().ToDictionary(r => r.GetProperty("area").GetString()!, r => r.GetProperty("result"));
        Assert.NotEmpty(losses);
        foreach (string area in areas)
        {
            ILocator row = page.Locator($"#tree tr[data-area='{area}']");
            JsonElement rate = await GetAsync(client, $"api/areas/{area}/load-rate?day={day}");
            decimal? peak = rate.TryGetProperty("peak", out JsonElement p) ? p.GetProperty("rate").GetDecimal() : null;
            Assert.Equal(peak, Decimal(await Value(row, "peakRate")));
            if (peak is { } shownPeak)
            {
                Assert.Equal(Percent(shownPeak), await row.Locator("td[data-field=peakRate]").TextContentAsync());
                string expectedClass = shownPeak >= rate.GetProperty("thresholds").GetProperty("overloadShare").GetDecimal() ? "load-over"
                    : shownPeak >= rate.GetProperty("thresholds").GetProperty("heavyShare").GetDecimal() ? "load-heavy" : "load-ok";
                Assert.Equal(expectedClass, await row.Locator("td[data-field=peakRate]").GetAttributeAsync("class"));
            }

            if (losses.TryGetValue(area, out JsonElement loss))
            {
                Assert.Equal(loss.GetProperty("class").GetString(), await Value(row, "lossClass"));
                Assert.Equal(loss.TryGetProperty("lossRate", out JsonElement lr) ? lr.GetDecimal() : null, Decimal(await Value(row, "lossRate")));
                Assert.Equal($"loss-{loss.GetProperty("class").GetString()!.ToLowerInvariant()}", await row.Locator("td[data-field=lossRate]").GetAttributeAsync("class"));
            }
            else
            {
                Assert.Equal("not evaluated", await row.Locator("td[data-field=lossRate]").TextContentAsync());
            }
        }
    }

    static async Task AssertAreaPanelAsync(IPage page, HttpClient client, string area, string day)
    {
        Assert.Equal(area, await page.GetAttributeAsync("#panel-load", "data-area"));
        JsonElement rate = await GetAsync(client, $"api/areas/{area}/load-rate?day={day}");
        JsonElement forecast = await GetAsync(client, $"api/areas/{area}/forecast?day={day}");
        JsonElement chart = await page.EvaluateAsync<JsonElement>("() => window.dashboard.charts.load.data.datasets.map(d => ({ label: d.label, data: d.data }))");

        decimal?[] actual = new decimal?[96];
        foreach (JsonElement point in rate.GetProperty("points").EnumerateArray())
        {
            actual[point.GetProperty("slot").GetInt32()] = point.TryGetProperty("kw", out JsonElement kw) ? kw.GetDecimal() : null;
        }

        decimal?[] predicted = new decimal?[96];
        foreach (JsonElement point in forecast.GetProperty("points").EnumerateArray())
        {
            predicted[point.GetProperty("slot").GetInt32()] = point.TryGetProperty("forecastKw", out JsonElement kw) ? kw.GetDecimal() : null;
        }

        decimal capacity = rate.GetProperty("capacityKw").GetDecimal();
        Assert.Equal(actual, Series(chart[0]));
        Assert.Equal(predicted, Series(chart[1]));
        Assert.All(Series(chart[2]), v => Assert.Equal(capacity, v));
        Assert.Equal(capacity, Decimal(await page.GetAttributeAsync("#loadSummary [data-field=capacityKw]", "data-value")));
        Assert.Equal(rate.GetProperty("peak").GetProperty("kw").GetDecimal(), Decimal(await page.GetAttributeAsync("#loadSummary [data-field=peakKw]", "data-value")));
        Assert.Equal(forecast.GetProperty("hasForecast").GetBoolean().ToString().ToLowerInvariant(), await page.GetAttributeAsync("#loadSummary [data-field=hasForecast]", "data-value"));

        DateOnly to = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        JsonElement loss = await GetAsync(client, $"api/areas/{area}/line-loss?from={to.AddDays(-13):yyyy-MM-dd}&to={day}");
        ILocator rows = page.Locator("#lossTable tbody tr");
        JsonElement[] days = [.. loss.GetProperty("days").EnumerateArray()];
        Assert.Equal(days.Length, await rows.CountAsync());
        for (int i = 0; i < days.Length; i++)
        {
            Assert.Equal(days[i].GetProperty("day").GetString(), await Value(rows.Nth(i), "day"));
            Assert.Equal(days[i].GetProperty("class").GetString(), await Value(rows.Nth(i), "class"));
            Assert.Equal(days[i].TryGetProperty("lossRate", out JsonElement lr) ? lr.GetDecimal() : null, Decimal(await Value(rows.Nth(i), "lossRate")));
        }

        Assert.True(days[^1].GetProperty("class").GetString() == "High", $"the seeded day is high loss: {days[^1]}");
    }

    static async Task AssertReadsAsync(IPage page, HttpClient client, string area, string day)
    {
        foreach (string code in new[] { area, "TA0001" })
        {
            ILocator row = page.Locator($"#readTable tr[data-area='{code}']");
            JsonElement success = await GetAsync(client, $"api/areas/{code}/read-success-rate?day={day}");
            JsonElement vee = await GetAsync(client, $"api/areas/{code}/vee-statistics?day={day}");
            Assert.Equal(success.GetProperty("expected").GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, "expected"));
            Assert.Equal(success.GetProperty("succeeded").GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, "succeeded"));
            Assert.Equal(success.GetProperty("rate").GetDecimal(), Decimal(await Value(row, "rate")));
            Assert.Equal(vee.GetProperty("estimatedShare").GetDecimal(), Decimal(await Value(row, "estimatedShare")));
            Assert.Equal(vee.GetProperty("suspectShare").GetDecimal(), Decimal(await Value(row, "suspectShare")));
            Assert.Equal(vee.GetProperty("rejectedShare").GetDecimal(), Decimal(await Value(row, "rejectedShare")));
            Assert.Equal(vee.GetProperty("missing").GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, "missing"));
        }
    }

    static async Task AssertBillingAsync(IPage page, HttpClient client, string seededCycle)
    {
        Assert.Equal(1, await page.Locator($"#cycleTable tr[data-cycle='{seededCycle}']").CountAsync());
        JsonElement groups = await GetAsync(client, "api/billing-groups");
        string[] codes = [.. groups.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("code").GetString()!)];
        Assert.NotEmpty(codes);
        Assert.Equal(codes.Order(), (await page.Locator("#cycleTable tr[data-group]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.group)")).Order());
        foreach (JsonElement group in groups.GetProperty("items").EnumerateArray())
        {
            ILocator row = page.Locator($"#cycleTable tr[data-group='{group.GetProperty("code").GetString()}']");
            string? cycle = await row.GetAttributeAsync("data-cycle");
            if (!string.IsNullOrEmpty(cycle))
            {
                JsonElement status = await GetAsync(client, $"api/billing/cycles/{cycle}");
                Assert.Equal(status.GetProperty("phase").GetString(), await Value(row, "phase"));
                foreach (string field in new[] { "accounts", "issued", "held", "cancelled", "failed", "remaining" })
                {
                    Assert.Equal(status.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, field));
                }

                JsonElement held = await GetAsync(client, $"api/billing/cycles/{cycle}/bills?status=Held");
                string[] heldIds = [.. held.GetProperty("bills").EnumerateArray().Select(b => b.GetProperty("billId").GetString()!)];
                ILocator heldRows = page.Locator($"#heldTable tr[data-bill]:has(td[data-field=cycle][data-value='{cycle}'])");
                Assert.Equal(heldIds.Order(), (await heldRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.bill)")).Order());
                foreach (JsonElement bill in held.GetProperty("bills").EnumerateArray())
                {
                    ILocator billRow = page.Locator($"#heldTable tr[data-bill='{bill.GetProperty("billId").GetString()}']");
                    Assert.Equal(bill.GetProperty("totalFen").GetInt64().ToString(CultureInfo.InvariantCulture), await Value(billRow, "total"));
                    Assert.Equal(string.Join(",", bill.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString())), await Value(billRow, "reasons"));
                }
            }
            else
            {
                // No cycle shown: the API has none for the group's current period nor the one before it.
                DateOnly current = DateOnly.Parse(group.GetProperty("currentPeriodStart").GetString()!, CultureInfo.InvariantCulture);
                foreach (DateOnly start in new[] { current, current.AddMonths(-1) })
                {
                    HttpResponseMessage response = await client.GetAsync(new Uri($"api/billing/cycles/billing-{group.GetProperty("code").GetString()}-{start:yyyyMMdd}", UriKind.Relative));
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                }
            }
        }
    }

    static async Task<List<JsonElement>> NotClosedAlarmsAsync(HttpClient client, string area)
    {
        List<JsonElement> all = [];
        foreach (string status in new[] { "Open", "Acknowledged" })
        {
            all.AddRange((await GetAsync(client, $"api/alarms?area={area}&status={status}&pageSize=1000")).GetProperty("items").EnumerateArray());
        }

        return all;
    }

    static ILocator AlarmRow(IPage page, string id) => page.Locator($"#alarmTable tr[data-alarm-id='{id}']");

    static Task<string?> Value(ILocator row, string field) => row.Locator($"td[data-field={field}]").GetAttributeAsync("data-value");

    static decimal? Decimal(string? text) => string.IsNullOrEmpty(text) ? null : decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    static string Percent(decimal share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    static decimal?[] Series(JsonElement dataset) =>
        [.. dataset.GetProperty("data").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (decimal?)null : v.GetDecimal())];

    static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static async Task WaitLoadedAsync(IPage page, int refreshes) =>
        await page.WaitForFunctionAsync($"() => document.body.dataset.loaded === 'true' && Number(document.body.dataset.refreshes) >= {refreshes}", null, new() { Timeout = 120_000 });

    static string ScreenshotPath()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        string folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "dashboard");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "dashboard.png");
    }

    /// <summary>Playwright driving the system's Chromium: <c>CHROMIUM_PATH</c>, else /usr/bin/chromium. Never downloads a browser.</summary>
    sealed class Browser : IAsyncDisposable
    {
        IPlaywright playwright = null!;
        IBrowser browser = null!;

        public IBrowserContext Context { get; private set; } = null!;

        public static async Task<Browser> LaunchAsync()
        {
            string path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } set ? set : "/usr/bin/chromium";
            Assert.True(File.Exists(path), $"No Chromium at '{path}'. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to a Chromium/Chrome executable.");
            Browser b = new() { playwright = await Playwright.CreateAsync() };
            b.browser = await b.playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Timeout = 120_000 });
            b.Context = await b.browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
            b.Context.SetDefaultTimeout(60_000);
            return b;
        }

        public async ValueTask DisposeAsync()
        {
            await Context.CloseAsync();
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
