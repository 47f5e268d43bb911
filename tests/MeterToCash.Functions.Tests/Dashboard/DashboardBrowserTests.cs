using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Functions.Tests.Ingestion;
using MeterToCash.Functions.Tests.Load;
using MeterToCash.Functions.Tests.Monitoring;
using MeterToCash.Functions.Tests.Reconciliation;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools.Reconciliation;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MeterToCash.Functions.Tests.Dashboard;

/// <summary>
/// The operations dashboard in a real headless Chromium (Playwright, the system's browser) against the running LocalHost:
/// each panel shows what the API answers (reconciliation and segments included, with a day's open differences and a
/// segment's members opened through the page), an alarm is acknowledged and another closed through the page, and a
/// screenshot is kept under TestResults/dashboard/.
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
        DateOnly reconDay = yesterday.AddDays(-2);
        await SeedReconciliationDayAsync(reconDay);
        await SeedSegmentsAsync(client);

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
        await AssertReconciliationAsync(page, client, yesterday, reconDay);
        await AssertSegmentsAsync(page, client);

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

    /// <summary>A reconciled-with-differences day of BANK-ICBC, as <see cref="ReconKit"/> makes them: three payments through
    /// the bank API, the day closed, the bank's file with one of ours dropped (bank-short) and one of its own (bank-long).</summary>
    async Task SeedReconciliationDayAsync(DateOnly day)
    {
        using HttpClient anonymous = Payments.PaymentsKit.Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Payments.PaymentsKit.Icbc(anonymous);
        string account = await Payments.PaymentsKit.CustomerAsync(backend.Client);
        await ReconKit.PayAsync(bank, day, [account], [12_345, 6_789, 100_001]);
        await ReconKit.CloseDayAsync(bank, day);
        (HttpStatusCode status, JsonElement body) = await ReconKit.UploadAsync(backend.Client, ReconKit.Csv(day, await ReconKit.BankLinesAsync(backend.Client, day, new ReconPlants(Dropped: 1, Extra: 1))), csv: true);
        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        await ReconKit.WaitForStatusAsync(backend.Client, day, "AwaitingDecisions");
    }

    /// <summary>A small area of three residential accounts (one of credit grade C) with November 2025's curves through the
    /// pipeline, classified as of 2025-12-01.</summary>
    static async Task SeedSegmentsAsync(HttpClient client)
    {
        string area = $"TD{Environment.ProcessId % 100000:D5}";
        Assert.True((await client.PutAsJsonAsync($"api/network/areas/{area}", new { name = "看板细分台区", feederCode = "FD001", ratedKva = 400 })).IsSuccessStatusCode);
        for (int i = 0; i < 3; i++)
        {
            (string accountNo, string meterNo) = CustomerJson.NextIds();
            JsonObject customer = CustomerJson.Residential(accountNo, meterNo, area);
            customer["credit"] = i == 0 ? "C" : "A";
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/customers", CustomerJson.Content(customer))).StatusCode);
        }

        await new MonthSeed(client).SeedAsync(new DateOnly(2025, 11, 1), [area]);
        HttpResponseMessage started = await client.PostAsJsonAsync("api/segments/runs", new { asOf = "2025-12-01", areas = new[] { area } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        DateTime deadline = DateTime.UtcNow.AddMinutes(2);
        JsonElement run;
        while ((run = await GetAsync(client, $"api/segments/runs/{id}")).GetProperty("status").GetString() is not ("Completed" or "Failed") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
        }

        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
    }

    /// <summary>The panel's rows and totals are the summary's for the 7 days to the chosen day, amounts as yuan from the
    /// fen integers; a click on the seeded day lists the report's open differences.</summary>
    static async Task AssertReconciliationAsync(IPage page, HttpClient client, DateOnly to, DateOnly seeded)
    {
        JsonElement summary = await GetAsync(client, $"api/reconciliation/summary?from={to.AddDays(-6):yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        JsonElement[] days = [.. summary.GetProperty("days").EnumerateArray()];
        Assert.Contains(days, d => d.GetProperty("channelDate").GetString() == $"{seeded:yyyy-MM-dd}");
        string[] shown = await page.Locator("#reconTable tr[data-channel]").EvaluateAllAsync<string[]>("rows => rows.map(r => `${r.dataset.channel} ${r.dataset.day}`)");
        Assert.Equal(days.Select(d => $"{d.GetProperty("channelId").GetString()} {d.GetProperty("channelDate").GetString()}").Order(), shown.Order());
        foreach (JsonElement d in days)
        {
            ILocator row = page.Locator($"#reconTable tr[data-channel='{d.GetProperty("channelId").GetString()}'][data-day='{d.GetProperty("channelDate").GetString()}']");
            Assert.Equal(d.GetProperty("status").GetString(), await Value(row, "status"));
            foreach (string field in new[] { "matchedCount", "bankLongCount", "bankShortCount", "differences", "open" })
            {
                Assert.Equal(d.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, field));
            }

            foreach (string field in new[] { "matchedFen", "bankLongFen", "bankShortFen" })
            {
                long fen = d.GetProperty(field).GetInt64();
                Assert.Equal(fen.ToString(CultureInfo.InvariantCulture), await Value(row, field));
                Assert.Equal(Yuan(fen), await row.Locator($"td[data-field={field}]").TextContentAsync());
            }
        }

        foreach (string field in new[] { "matchedFen", "bankLongFen", "bankShortFen", "open", "daysReconciled" })
        {
            Assert.Equal(summary.GetProperty(field).GetInt64().ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync($"#reconTotals [data-field={field}]", "data-value"));
        }

        string day = $"{seeded:yyyy-MM-dd}";
        JsonElement report = await GetAsync(client, $"api/reconciliation/{ReconKit.Channel}/{day}");
        JsonElement[] open = [.. report.GetProperty("differences").EnumerateArray().Where(x => x.GetProperty("open").GetBoolean())];
        Assert.Equal(2, open.Length);
        await page.Locator($"#reconTable tr[data-channel='{ReconKit.Channel}'][data-day='{day}']").ClickAsync();
        await page.Locator($"#reconDay[data-day='{day}'] #reconDifferences").WaitForAsync();
        Assert.Equal(open.Select(x => x.GetProperty("itemId").GetString()).Order(), (await page.Locator("#reconDifferences tr[data-item]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.item)")).Order());
        foreach (JsonElement difference in open)
        {
            ILocator row = page.Locator($"#reconDifferences tr[data-item='{difference.GetProperty("itemId").GetString()}']");
            Assert.Equal(difference.GetProperty("class").GetString(), await Value(row, "class"));
            JsonElement? bank = difference.TryGetProperty("bank", out JsonElement b) ? b : null;
            JsonElement? ours = difference.TryGetProperty("journal", out JsonElement j) ? j : null;
            Assert.Equal(Fen(bank), await Value(row, "bankAmountFen"));
            Assert.Equal(Fen(ours), await Value(row, "journalAmountFen"));
            Assert.Equal(Yuan(long.Parse(Fen(bank ?? ours)!, CultureInfo.InvariantCulture)), await row.Locator($"td[data-field={(bank is null ? "journalAmountFen" : "bankAmountFen")}]").TextContentAsync());
            Assert.Equal(Text(ours, "accountNo") ?? Text(bank, "accountNo"), await Value(row, "accountNo"));
            Assert.Equal(Text(bank, "bankRef") ?? string.Empty, await Value(row, "bankRef"));
        }

        static string? Fen(JsonElement? side) => side?.GetProperty("amountFen").GetInt64().ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        static string? Text(JsonElement? side, string name) => side is { } s && s.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;
    }

    /// <summary>The panel's segments, actions and clusters are the overview's; a click on a segment lists its first
    /// members with the reasons and actions their classification gives.</summary>
    static async Task AssertSegmentsAsync(IPage page, HttpClient client)
    {
        JsonElement overview = await GetAsync(client, "api/segments");
        Assert.Equal(overview.GetProperty("accounts").GetInt32().ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#segmentSummary [data-field=accounts]", "data-value"));
        JsonElement[] segments = [.. overview.GetProperty("segments").EnumerateArray()];
        Assert.Contains(segments, x => x.GetProperty("code").GetString() == "payment-risk");
        Assert.Equal(segments.Select(x => x.GetProperty("code").GetString()), await page.Locator("#segmentTable tr[data-segment]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.segment)"));
        foreach (JsonElement segment in segments)
        {
            ILocator row = page.Locator($"#segmentTable tr[data-segment='{segment.GetProperty("code").GetString()}']");
            Assert.Equal(segment.GetProperty("dimension").GetString(), await Value(row, "dimension"));
            Assert.Equal(segment.GetProperty("accounts").GetInt32().ToString(CultureInfo.InvariantCulture), await Value(row, "accounts"));
        }

        foreach (JsonElement action in overview.GetProperty("actions").EnumerateArray())
        {
            Assert.Equal(action.GetProperty("accounts").GetInt32().ToString(CultureInfo.InvariantCulture), await Value(page.Locator($"#actionTable tr[data-action='{action.GetProperty("action").GetString()}']"), "accounts"));
        }

        JsonElement[] clusters = [.. overview.GetProperty("clusters").EnumerateArray()];
        Assert.NotEmpty(clusters);
        Assert.Equal(clusters.Select(c => c.GetProperty("name").GetString()), await page.Locator("#clusters [data-cluster]").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.dataset.cluster)"));
        JsonElement charts = await page.EvaluateAsync<JsonElement>("() => window.dashboard.charts.clusters.map(c => c.data.datasets[0].data)");
        Assert.Equal(clusters.Select(c => c.GetProperty("centroid").EnumerateArray().Select(v => v.GetDecimal()).ToArray()), charts.EnumerateArray().Select(d => d.EnumerateArray().Select(v => v.GetDecimal()).ToArray()));

        await page.Locator("#segmentTable tr[data-segment='payment-risk']").ClickAsync();
        await page.Locator("#segmentMembers[data-segment='payment-risk'] #memberTable").WaitForAsync();
        JsonElement members = await GetAsync(client, "api/segments/payment-risk/customers?pageSize=10");
        string[] accounts = [.. members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("accountNo").GetString()!)];
        Assert.NotEmpty(accounts);
        Assert.Equal(accounts, await page.Locator("#memberTable tr[data-account]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.account)"));
        foreach (string account in accounts)
        {
            JsonElement classified = await GetAsync(client, $"api/customers/{account}/segments");
            JsonElement risk = classified.GetProperty("segments").EnumerateArray().Single(x => x.GetProperty("code").GetString() == "payment-risk");
            ILocator row = page.Locator($"#memberTable tr[data-account='{account}']");
            Assert.Equal(string.Join(" | ", risk.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())), await Value(row, "reasons"));
            Assert.Equal(string.Join(",", classified.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("action").GetString())), await Value(row, "actions"));
        }
    }

    /// <summary>Yuan as the page writes it, from the integer fen: 1234567 → 12,345.67.</summary>
    static string Yuan(long fen) => (fen / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

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
