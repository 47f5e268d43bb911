using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;

namespace MeterToCash.Functions.Tests.Archive;

/// <summary>Each test makes its own areas (under the fixture's feeder FD001), so groups never collide across tests.</summary>
[Collection(BackendCollection.Name)]
public class BillingGroupApiTests(BackendFixture backend)
{
    static int next;

    HttpClient Client => backend.Client;

    async Task<string[]> NewAreasAsync(int count)
    {
        string[] codes = Enumerable.Range(0, count).Select(_ => $"TG{Interlocked.Increment(ref next):D3}-{Environment.ProcessId % 10000}").ToArray();
        foreach (string code in codes)
        {
            HttpResponseMessage put = await Client.PutAsJsonAsync($"api/network/areas/{code}", new { name = "抄表段测试台区", feederCode = "FD001", ratedKva = 400 });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        return codes;
    }

    static string NewCode() => $"BG-T{Interlocked.Increment(ref next):D3}";

    [Fact]
    public async Task Put_NewGroup_Returns201AndGetShowsAreasCycleAndAccounts()
    {
        string[] areas = await NewAreasAsync(2);
        (string accountNo, string meterNo) = CustomerJson.NextIds();
        HttpResponseMessage customer = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(accountNo, meterNo, areas[1])));
        Assert.Equal(HttpStatusCode.Created, customer.StatusCode);
        string code = NewCode();

        HttpResponseMessage put = await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name = "东区抄表段", cycleDay = 15, areas });

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        JsonElement group = JsonDocument.Parse(await Client.GetStringAsync($"api/billing-groups/{code}")).RootElement;
        Assert.Equal("东区抄表段", group.GetProperty("name").GetString());
        Assert.Equal(15, group.GetProperty("cycleDay").GetInt32());
        Assert.Equal(areas.Order(StringComparer.Ordinal), group.GetProperty("areas").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(1, group.GetProperty("accounts").GetInt32());
        DateOnly nextCycle = DateOnly.Parse(group.GetProperty("nextCycleDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(15, nextCycle.Day);
        Assert.Equal(nextCycle, DateOnly.Parse(group.GetProperty("currentPeriodEnd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(nextCycle.AddMonths(-1), DateOnly.Parse(group.GetProperty("currentPeriodStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Put_SameContentTwice_Returns200AndChangesNothing()
    {
        string[] areas = await NewAreasAsync(1);
        string code = NewCode();
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name = "x", cycleDay = 1, areas })).StatusCode);
        string before = await Client.GetStringAsync($"api/billing-groups/{code}");

        HttpResponseMessage again = await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name = "x", cycleDay = 1, areas });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, await Client.GetStringAsync($"api/billing-groups/{code}"));
    }

    [Fact]
    public async Task Put_Update_ReplacesAreasAndReleasesDroppedOnes()
    {
        string[] areas = await NewAreasAsync(3);
        string code = NewCode();
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name = "x", cycleDay = 1, areas = areas[..2] })).StatusCode);

        HttpResponseMessage update = await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name = "y", cycleDay = 20, areas = areas[1..] });

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        JsonElement group = JsonDocument.Parse(await Client.GetStringAsync($"api/billing-groups/{code}")).RootElement;
        Assert.Equal("y", group.GetProperty("name").GetString());
        Assert.Equal(20, group.GetProperty("cycleDay").GetInt32());
        Assert.Equal(areas[1..], group.GetProperty("areas").EnumerateArray().Select(a => a.GetString()!));
        // The dropped area is free again for another group.
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{NewCode()}", new { name = "z", cycleDay = 5, areas = areas[..1] })).StatusCode);
    }

    [Theory]
    [InlineData("\u200B\u200B", "visible-character-required")]
    [InlineData("\u202E东区", "no-control-characters")]
    [InlineData("东\u0000区", "no-control-characters")]
    public async Task Put_NameNotVisibleText_Returns400AndWritesNothing(string name, string rule)
    {
        string code = NewCode();

        HttpResponseMessage put = await Client.PutAsJsonAsync($"api/billing-groups/{code}", new { name, cycleDay = 1, areas = await NewAreasAsync(1) });

        await Problem.AssertAsync(put, HttpStatusCode.BadRequest, "name", rule);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/billing-groups/{code}")).StatusCode);
    }

    [Fact]
    public async Task Put_UnknownArea_Returns422()
    {
        HttpResponseMessage put = await Client.PutAsJsonAsync($"api/billing-groups/{NewCode()}", new { name = "x", cycleDay = 1, areas = new[] { "NO-SUCH-AREA" } });

        await Problem.AssertAsync(put, HttpStatusCode.UnprocessableEntity, "areas", "unknown-area");
    }

    [Fact]
    public async Task Put_AreaInAnotherGroup_Returns409AndWritesNothing()
    {
        string[] areas = await NewAreasAsync(2);
        string first = NewCode(), second = NewCode();
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{first}", new { name = "x", cycleDay = 1, areas = areas[..1] })).StatusCode);

        HttpResponseMessage put = await Client.PutAsJsonAsync($"api/billing-groups/{second}", new { name = "y", cycleDay = 1, areas });

        await Problem.AssertAsync(put, HttpStatusCode.Conflict, "areas", "area-in-another-group");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/billing-groups/{second}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","cycleDay":0,"areas":["TA0001"]}""", "cycleDay", "range")]
    [InlineData("""{"name":"x","cycleDay":29,"areas":["TA0001"]}""", "cycleDay", "range")]
    [InlineData("""{"name":"x","areas":["TA0001"]}""", "cycleDay", "required")]
    [InlineData("""{"name":"x","cycleDay":"first","areas":["TA0001"]}""", "cycleDay", "json")]
    [InlineData("""{"name":"x","cycleDay":1,"areas":[]}""", "areas", "required")]
    public async Task Put_BadBody_Returns400(string body, string field, string rule)
    {
        HttpResponseMessage put = await Client.PutAsync($"api/billing-groups/{NewCode()}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(put, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task Put_LowercaseCode_Returns400()
    {
        HttpResponseMessage put = await Client.PutAsJsonAsync("api/billing-groups/bg-lower", new { name = "x", cycleDay = 1, areas = new[] { "TA0001" } });

        await Problem.AssertAsync(put, HttpStatusCode.BadRequest, "code", "code-format");
    }

    [Fact]
    public async Task Get_UnknownCode_Returns404Problem()
    {
        HttpResponseMessage get = await Client.GetAsync("api/billing-groups/BG-NEVER-MADE");

        await Problem.AssertAsync(get, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_AfterTwoPuts_ContainsBothWithNextCycleDates()
    {
        string[] areas = await NewAreasAsync(2);
        string a = NewCode(), b = NewCode();
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{a}", new { name = "a", cycleDay = 3, areas = areas[..1] })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PutAsJsonAsync($"api/billing-groups/{b}", new { name = "b", cycleDay = 25, areas = areas[1..] })).StatusCode);

        JsonElement[] items = [.. JsonDocument.Parse(await Client.GetStringAsync("api/billing-groups")).RootElement.GetProperty("items").EnumerateArray()];

        JsonElement first = Assert.Single(items, i => i.GetProperty("code").GetString() == a);
        JsonElement second = Assert.Single(items, i => i.GetProperty("code").GetString() == b);
        Assert.Equal(3, DateOnly.Parse(first.GetProperty("nextCycleDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Day);
        Assert.Equal(areas[1..], second.GetProperty("areas").EnumerateArray().Select(x => x.GetString()!));
    }
}
