using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Segments;

/// <summary>
/// The classification over HTTP: a small area whose month of curves went through the pipeline (the month seed), one
/// account of credit grade C, classified as of 2025-12-01 twice.
/// </summary>
[Collection(BackendCollection.Name)]
public class SegmentApiTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task RunSegments_SeededArea_EveryAccountExplainedStableOnRerunAndListedBySegment()
    {
        string area = $"TG{Environment.ProcessId % 100000:D5}";
        Assert.True((await Client.PutAsJsonAsync($"api/network/areas/{area}", new { name = "细分台区", feederCode = "FD001", ratedKva = 400 })).IsSuccessStatusCode);
        List<string> accounts = [];
        for (int i = 0; i < 5; i++)
        {
            (string accountNo, string meterNo) = CustomerJson.NextIds();
            var customer = CustomerJson.Residential(accountNo, meterNo, area);
            customer["credit"] = i == 0 ? "C" : "A";
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(customer))).StatusCode);
            accounts.Add(accountNo);
        }

        await new MonthSeed(Client).SeedAsync(new DateOnly(2025, 11, 1), [area]);

        await RunAsync(area);
        JsonElement[] first = [.. await Task.WhenAll(accounts.Select(SegmentsAsync))];
        await RunAsync(area);
        JsonElement[] second = [.. await Task.WhenAll(accounts.Select(SegmentsAsync))];

        Assert.Equal(first.Select(s => s.GetProperty("segments").GetRawText()), second.Select(s => s.GetProperty("segments").GetRawText()));
        foreach (JsonElement account in first)
        {
            JsonElement[] segments = [.. account.GetProperty("segments").EnumerateArray()];
            Assert.Equal(["LoadShape", "Value", "Payment"], segments.Select(s => s.GetProperty("dimension").GetString()));
            Assert.All(segments, s => Assert.NotEmpty(s.GetProperty("reasons").EnumerateArray()));
            Assert.StartsWith("evening-peak", segments[0].GetProperty("code").GetString(), StringComparison.Ordinal);
            // 28 days in the window; the month seed leaves a day or a few slots out of some meters (its planted faults).
            int profileDays = account.GetProperty("facts").GetProperty("profileDays").GetInt32();
            Assert.InRange(profileDays, 26, 28);
            Assert.StartsWith($"average day over {profileDays} day(s)", segments[0].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal(1, account.GetProperty("facts").GetProperty("energyMonths").GetInt32());
            Assert.Equal("2025-12-01", account.GetProperty("classifiedOn").GetString());
        }

        // Grade C and no ledger history: payment-risk, with a late-payment reminder.
        JsonElement risky = first[0];
        Assert.Equal("payment-risk", risky.GetProperty("segments")[2].GetProperty("code").GetString());
        Assert.Equal("no ledger history yet: archive credit grade C", risky.GetProperty("segments")[2].GetProperty("reasons")[0].GetString());
        Assert.Contains(risky.GetProperty("actions").EnumerateArray(), a => a.GetProperty("action").GetString() == "LatePaymentReminder");

        // The overview sums each area's counts as its last run left them: every account is in one segment per dimension,
        // the segments of this area's accounts are there, and the newest run's clusters have 24 hourly shares summing to 1.
        JsonElement overview = JsonDocument.Parse(await Client.GetStringAsync("api/segments")).RootElement;
        int classified = overview.GetProperty("accounts").GetInt32();
        Assert.True(classified >= accounts.Count, overview.GetRawText());
        JsonElement[] counts = [.. overview.GetProperty("segments").EnumerateArray()];
        foreach (string dimension in new[] { "LoadShape", "Value", "Payment" })
        {
            Assert.Equal(classified, counts.Where(c => c.GetProperty("dimension").GetString() == dimension).Sum(c => c.GetProperty("accounts").GetInt32()));
        }

        Assert.All(first.SelectMany(a => a.GetProperty("segments").EnumerateArray()), s => Assert.Contains(counts, c => c.GetProperty("code").GetString() == s.GetProperty("code").GetString()));
        Assert.Contains(overview.GetProperty("actions").EnumerateArray(), a => a.GetProperty("action").GetString() == "LatePaymentReminder" && a.GetProperty("accounts").GetInt32() >= 1);
        JsonElement[] clusters = [.. overview.GetProperty("clusters").EnumerateArray()];
        Assert.NotEmpty(clusters);
        Assert.All(clusters, c => Assert.Equal(24, c.GetProperty("centroid").GetArrayLength()));
        Assert.All(clusters, c => Assert.InRange(c.GetProperty("centroid").EnumerateArray().Sum(v => v.GetDecimal()), 0.999m, 1.001m));

        JsonElement members = JsonDocument.Parse(await Client.GetStringAsync("api/segments/payment-risk/customers?pageSize=1000")).RootElement;
        Assert.Contains(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("accountNo").GetString() == accounts[0]);
        Assert.DoesNotContain(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("accountNo").GetString() == accounts[1]);
    }

    [Theory]
    [InlineData("api/segments/High Value/customers", "segment", "segment-code")]
    [InlineData("api/segments/high-value/customers?pageSize=0", "pageSize", "range")]
    [InlineData("api/segments/high-value/customers?pageSize=x", "pageSize", "range")]
    [InlineData("api/customers/31%2F00/segments", "accountNo", "code-format")]
    public async Task Get_BadInput_Is400(string url, string field, string rule) =>
        await Problem.AssertAsync(await Client.GetAsync(url), HttpStatusCode.BadRequest, field, rule);

    [Fact]
    public async Task GetSegmentMembers_ForeignContinuationToken_Is400()
    {
        HttpResponseMessage response = await Client.GetAsync("api/segments/high-value/customers?continuationToken=%7B%22bogus");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{(int)response.StatusCode}");
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"asOf\":\"2999-01-01\"}", "asOf", "date-format")]
    [InlineData("{\"areas\":[\"A B\"]}", "areas[0]", "code-format")]
    public async Task RunSegments_BadRequest_Is400(string json, string field, string rule) =>
        await Problem.AssertAsync(await Client.PostAsync("api/segments/runs", new StringContent(json, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, field, rule);

    [Fact]
    public async Task GetCustomerSegments_NeverClassified_Is404Problem() =>
        await Problem.AssertAsync(await Client.GetAsync("api/customers/NEVER0001/segments"), HttpStatusCode.NotFound);

    async Task RunAsync(string area)
    {
        HttpResponseMessage started = await Client.PostAsJsonAsync("api/segments/runs", new { asOf = "2025-12-01", areas = new[] { area } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        JsonElement status = default;
        for (int attempt = 0; attempt < 240; attempt++)
        {
            status = JsonDocument.Parse(await Client.GetStringAsync($"api/segments/runs/{id}")).RootElement;
            if (status.GetProperty("status").GetString() is "Completed" or "Failed")
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(status.GetProperty("status").GetString() == "Completed", status.GetRawText());
        Assert.Equal(5, status.GetProperty("summary").GetProperty("accounts").GetInt32());
    }

    async Task<JsonElement> SegmentsAsync(string accountNo)
    {
        HttpResponseMessage response = await Client.GetAsync($"api/customers/{accountNo}/segments");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
