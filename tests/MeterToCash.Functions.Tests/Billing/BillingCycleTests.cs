using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Billing.BillingApi;

namespace MeterToCash.Functions.Tests.Billing;

/// <summary>
/// A billing cycle end to end on the real durable engine, through HTTP: a group of its own area, customers with the
/// register reads of the period's two midnights (or none), golden bills worked out by hand from the sample tariffs,
/// review (release, cancel), a second start that changes nothing, a rebill with its ledger entries.
/// </summary>
[Collection(BackendCollection.Name)]
public class BillingCycleTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task Cycle_EndToEnd_GoldenBillsReviewRestartAndRebill()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string stamp = CustomerJson.NextIds().AccountNo[1..];
        string area = await CreateAreaAsync("TB" + stamp);
        string residential = await CreateCustomerAsync(area, "SH-RES-TOU", "Residential", ["ActiveImportTotal", "ActiveImportPeak", "ActiveImportValley"], new()
        {
            // 1,000 → 1,300 kWh total; peak 600 → 800, valley 400 → 500 (CT×PT 1).
            [Total] = (1000m, 1300m), [Peak] = (600m, 800m), [Valley] = (400m, 500m),
        });
        string commercial = await CreateCustomerAsync(area, "SH-COM-TOU", "Commercial", ["ActiveImportTotal", "ActiveImportCriticalPeak", "ActiveImportPeak", "ActiveImportFlat", "ActiveImportValley"], new()
        {
            [Total] = (5000m, 5300m), [CriticalPeak] = (100m, 110m), [Peak] = (2000m, 2100m), [Flat] = (2500m, 2650m), [Valley] = (400m, 440m),
        });
        string toRelease = await CreateCustomerAsync(area, "SH-RES-TOU", "Residential", ["ActiveImportTotal"], []);
        string toCancel = await CreateCustomerAsync(area, "SH-RES-TOU", "Residential", ["ActiveImportTotal"], []);
        string group = "BG-T" + stamp;
        await PutOkAsync(Client, $"api/billing-groups/{group}", new { name = "Test group", cycleDay = 1, areas = new[] { area } });

        using HttpResponseMessage started = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-10" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string cycleId = (await JsonAsync(started)).GetProperty("id").GetString()!;
        JsonElement review = await WaitForPhaseAsync(cycleId, "Review");
        Assert.Equal((4, 2, 2, 0), (review.GetProperty("accounts").GetInt32(), review.GetProperty("issued").GetInt32(), review.GetProperty("held").GetInt32(), review.GetProperty("remaining").GetInt32()));

        // Residential TOU, all tier 1 (300 kWh of an annual 3,120): peak 200 × 0.617 = 123.40, valley 100 × 0.307 = 30.70.
        JsonElement residentialBill = await BillAsync(BillId(residential, 1));
        Assert.Equal("Issued", residentialBill.GetProperty("status").GetString());
        Assert.Equal(15410, residentialBill.GetProperty("bill").GetProperty("totalFen").GetInt64());
        Assert.Equal("Registers", residentialBill.GetProperty("bill").GetProperty("sources")[0].GetProperty("activeSource").GetString());
        // Commercial four bands: 10 × 1.2 = 12.00, 100 × 1.0 = 100.00, 150 × 0.65 = 97.50, 40 × 0.32 = 12.80; funds 300 × 0.029 = 8.70.
        Assert.Equal(23100, (await BillAsync(BillId(commercial, 1))).GetProperty("bill").GetProperty("totalFen").GetInt64());
        JsonElement heldList = await GetJsonAsync($"api/billing/cycles/{cycleId}/bills?status=Held");
        Assert.Equal(new[] { toCancel, toRelease }.Order(StringComparer.Ordinal), heldList.GetProperty("bills").EnumerateArray().Select(b => b.GetProperty("accountNo").GetString()!).Order(StringComparer.Ordinal));
        Assert.Contains(heldList.GetProperty("bills")[0].GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "MissingBoundaryReadsAndIncompleteCurves");

        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsJsonAsync($"api/bills/{BillId(toRelease, 1)}/release", new { who = "reviewer-1", note = "vacant all month" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsJsonAsync($"api/bills/{BillId(toCancel, 1)}/cancel", new { who = "reviewer-1" })).StatusCode);
        JsonElement done = await WaitForPhaseAsync(cycleId, "Completed");
        Assert.Equal((3, 0, 1), (done.GetProperty("issued").GetInt32(), done.GetProperty("held").GetInt32(), done.GetProperty("cancelled").GetInt32()));
        Assert.Equal("Cancelled", (await BillAsync(BillId(toCancel, 1))).GetProperty("status").GetString());

        using HttpResponseMessage again = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-10" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(cycleId, (await JsonAsync(again)).GetProperty("id").GetString());
        Assert.Single((await GetJsonAsync($"api/accounts/{residential}/bills")).GetProperty("bills").EnumerateArray());

        using HttpResponseMessage rebill = await admin.PostAsJsonAsync($"api/bills/{BillId(residential, 1)}/rebill", new { who = "reviewer-2", note = "meter reread" });
        Assert.True(rebill.StatusCode == HttpStatusCode.OK, await rebill.Content.ReadAsStringAsync());
        JsonElement bills = await GetJsonAsync($"api/accounts/{residential}/bills");
        Assert.Equal(["Cancelled", "Issued"], bills.GetProperty("bills").EnumerateArray().Select(b => b.GetProperty("status").GetString()!));
        Assert.Equal(15410, (await BillAsync(BillId(residential, 2))).GetProperty("bill").GetProperty("totalFen").GetInt64());
        JsonElement ledger = await GetJsonAsync($"api/accounts/{residential}/ledger?from=2026-01-01&to={DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)):yyyy-MM-dd}");
        Assert.Equal([15410L, -15410L, 15410L], ledger.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task BillDocument_Html_ExplainsEveryLine()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string stamp = CustomerJson.NextIds().AccountNo[1..];
        string area = await CreateAreaAsync("TH" + stamp);
        string account = await CreateCustomerAsync(area, "SH-COM-TOU", "Commercial", ["ActiveImportTotal", "ActiveImportCriticalPeak", "ActiveImportPeak", "ActiveImportFlat", "ActiveImportValley"], new()
        {
            [Total] = (5000m, 5300m), [CriticalPeak] = (100m, 110m), [Peak] = (2000m, 2100m), [Flat] = (2500m, 2650m), [Valley] = (400m, 440m),
        });
        string group = "BG-H" + stamp;
        await PutOkAsync(Client, $"api/billing-groups/{group}", new { name = "HTML group", cycleDay = 1, areas = new[] { area } });
        using HttpResponseMessage started = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-10" });
        await WaitForPhaseAsync((await JsonAsync(started)).GetProperty("id").GetString()!, "Completed");

        using HttpRequestMessage get = new(HttpMethod.Get, $"api/bills/{BillId(account, 1)}");
        get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using HttpResponseMessage page = await Client.SendAsync(get);
        string html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (string expected in new[] { "电费账单", account, "尖峰 critical peak", "12.00", "97.50", "政府性基金及附加", "8.70", "231.00", "sample-2024", "2026-10-01 至 2026-10-31" })
        {
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StartCycle_BadInput_4xxNamingFieldAndRule()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        string stamp = CustomerJson.NextIds().AccountNo[1..];
        string area = await CreateAreaAsync("TC" + stamp);
        string group = "BG-C" + stamp;
        await PutOkAsync(Client, $"api/billing-groups/{group}", new { name = "Calendar group", cycleDay = 1, areas = new[] { area } });

        await Problem.AssertAsync(await admin.PostAsJsonAsync("api/billing/cycles", new { group = "bg/x", period = "2026-10" }), HttpStatusCode.BadRequest, "group", "code-format");
        await Problem.AssertAsync(await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-13" }), HttpStatusCode.BadRequest, "period", "month-format");
        await Problem.AssertAsync(await admin.PostAsJsonAsync("api/billing/cycles", new { group = "BG-NOSUCH", period = "2026-10" }), HttpStatusCode.UnprocessableEntity, "group", "unknown-group");
        await Problem.AssertAsync(await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2023-05" }), HttpStatusCode.UnprocessableEntity, "period", "calendar-not-published");
        await Problem.AssertAsync(await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = "2099-01" }), HttpStatusCode.UnprocessableEntity, "period", "period-not-ended");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("api/billing/cycles", new { group, period = "2026-10" })).StatusCode);
    }

    [Theory]
    [InlineData("api/bills/nosuch", HttpStatusCode.BadRequest)]
    [InlineData("api/bills/3100000000-20261301-r01", HttpStatusCode.BadRequest)]
    [InlineData("api/bills/NOACCOUNT-20261001-r01", HttpStatusCode.NotFound)]
    [InlineData("api/bills/%27%3B--20261001-r01", HttpStatusCode.BadRequest)]
    [InlineData("api/billing/cycles/billing-NOSUCH-20261001", HttpStatusCode.NotFound)]
    [InlineData("api/billing/cycles/x", HttpStatusCode.NotFound)]
    public async Task Get_HostileIds_4xxProblem(string url, HttpStatusCode status) =>
        await Problem.AssertAsync(await Client.GetAsync(url), status);

    [Fact]
    public async Task Review_BadBodyOrNotHeld_4xx()
    {
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/bills/NOACCOUNT-20261001-r01/release", new { who = "" }), HttpStatusCode.BadRequest, "who", "required");
        await Problem.AssertAsync(await Client.PostAsJsonAsync("api/bills/NOACCOUNT-20261001-r01/release", new { who = "r" }), HttpStatusCode.NotFound);
    }

    async Task<JsonElement> BillAsync(string billId) => await GetJsonAsync($"api/bills/{billId}");

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    Task<string> CreateAreaAsync(string code) => BillingApi.CreateAreaAsync(Client, code);

    Task<string> CreateCustomerAsync(string area, string tariff, string customerClass, string[] registers, Dictionary<string, (decimal Start, decimal End)> reads) =>
        BillingApi.CreateCustomerAsync(Client, area, tariff, customerClass, registers, reads);

    Task<JsonElement> WaitForPhaseAsync(string cycleId, string phase) => BillingApi.WaitForPhaseAsync(Client, cycleId, phase);

    Task<JsonElement> GetJsonAsync(string url) => BillingApi.GetJsonAsync(Client, url);
}
