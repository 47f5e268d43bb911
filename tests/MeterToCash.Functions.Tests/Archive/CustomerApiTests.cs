using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Archive;

[Collection(BackendCollection.Name)]
public class CustomerApiTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task CreateCustomer_Valid_Returns201WithETagAndReadsBackTheSame()
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter);

        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(customer));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/customers/{account}", created.Headers.Location?.ToString());
        Assert.NotNull(created.Headers.ETag);
        HttpResponseMessage read = await Client.GetAsync($"api/customers/{account}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        JsonElement body = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("李四", body.GetProperty("name").GetString());
        Assert.Equal("Prepaid", body.GetProperty("paymentMode").GetString());
        JsonElement meterJson = body.GetProperty("servicePoints")[0].GetProperty("meters")[0];
        Assert.Equal(meter, meterJson.GetProperty("meterNo").GetString());
        Assert.Equal(1, meterJson.GetProperty("ctRatio").GetInt32());
        Assert.Equal(["ActiveImportTotal", "ActiveImportPeak", "ActiveImportValley"], meterJson.GetProperty("registers").EnumerateArray().Select(r => r.GetString()!));
    }

    [Fact]
    public async Task CreateCustomer_ClosedOn_ReadsBack_OutOfRangeIs400()
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter);
        customer["closedOn"] = "1999-12-31";
        using HttpResponseMessage refused = await Client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "closedOn");

        customer["closedOn"] = "2026-11-30";
        using HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement body = JsonDocument.Parse(await Client.GetStringAsync($"api/customers/{account}")).RootElement;
        Assert.Equal("2026-11-30", body.GetProperty("closedOn").GetString());
    }

    [Fact]
    public async Task CreateCustomer_RetriedWithSameBody_Returns200AndChangesNothing()
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter);
        HttpResponseMessage first = await Client.PostAsync("api/customers", CustomerJson.Content(customer));

        HttpResponseMessage retry = await Client.PostAsync("api/customers", CustomerJson.Content(customer));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
    }

    [Fact]
    public async Task CreateCustomer_ExistingAccountWithOtherData_Returns409()
    {
        (string account, string meter) = CustomerJson.NextIds();
        await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        JsonObject other = CustomerJson.Residential(account, meter);
        other["name"] = "王五";

        HttpResponseMessage response = await Client.PostAsync("api/customers", CustomerJson.Content(other));

        await Problem.AssertAsync(response, HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string?, string, string> InvalidBodies => new()
    {
        // description, JSON patch applied to a valid customer (path=value), expected field, expected rule
        { "account with slash", "accountNo=\"31/00\"", "accountNo", "code-format" },
        { "missing name", "name=null", "name", "required" },
        { "unknown class", "class=\"Household\"", "class", "json" },
        { "class as number", "class=1", "class", "json" },
        { "bad phone", "phone=\"call me\"", "phone", "phone-format" },
        { "no service points", "servicePoints=[]", "servicePoints", "required" },
        { "odd voltage", "servicePoints[0].supplyVoltageKv=0.5", "servicePoints[0].supplyVoltageKv", "standard-voltage" },
        { "zero capacity", "servicePoints[0].contractedCapacityKva=0", "servicePoints[0].contractedCapacityKva", "range" },
        { "meter number with slash", "servicePoints[0].meters[0].meterNo=\"M/1\"", "servicePoints[0].meters[0].meterNo", "meter-number-format" },
        { "removed before installed", "servicePoints[0].meters[0].removalDate=\"2020-01-01\"", "servicePoints[0].meters[0].removalDate", "after-install" },
        { "date not a date", "servicePoints[0].meters[0].installDate=\"yesterday\"", "servicePoints[0].meters[0].installDate", "json" },
        { "no tariff", "servicePoints[0].tariffs=[]", "servicePoints[0].tariffs", "required" },
        { "string for number", "servicePoints[0].contractedCapacityKva=\"lots\"", "servicePoints[0].contractedCapacityKva", "json" },
        { "name of zero-width spaces", "name=\"\\u200B\\u200B\"", "name", "visible-character-required" },
        { "name with a bidi override", "name=\"\\u202E\u738b\u4e94\"", "name", "no-control-characters" },
        { "name with NUL", "name=\"\u738b\\u0000\u4e94\"", "name", "no-control-characters" },
        { "address of a word joiner only", "address=\"\\u2060\"", "address", "visible-character-required" },
        { "install date year 1", "servicePoints[0].meters[0].installDate=\"0001-01-01\"", "servicePoints[0].meters[0].installDate", "date-range" },
        { "install date year 9999", "servicePoints[0].meters[0].installDate=\"9999-12-31\"", "servicePoints[0].meters[0].installDate", "date-range" },
        { "tariff from year 1", "servicePoints[0].tariffs[0].effectiveFrom=\"0001-01-01\"", "servicePoints[0].tariffs[0].effectiveFrom", "date-range" },
        { "tariff to year 9999", "servicePoints[0].tariffs[0].effectiveTo=\"9999-12-31\"", "servicePoints[0].tariffs[0].effectiveTo", "date-range" },
        { "capacity below 1 VA", "servicePoints[0].contractedCapacityKva=1e-28", "servicePoints[0].contractedCapacityKva", "precision" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task CreateCustomer_InvalidField_Returns400NamingFieldAndRule(string description, string? patch, string field, string rule)
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter);
        Apply(customer, patch!);

        HttpResponseMessage response = await Client.PostAsync("api/customers", new StringContent(customer.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.False(string.IsNullOrEmpty(description));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{account}")).StatusCode);
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "body", "required")]
    [InlineData("{", HttpStatusCode.BadRequest, "body", "json")]
    [InlineData("[1,2]", HttpStatusCode.BadRequest, "body", "json")]
    [InlineData("null", HttpStatusCode.BadRequest, "body", "required")]
    public async Task CreateCustomer_MalformedBody_Returns400(string body, HttpStatusCode status, string field, string rule)
    {
        HttpResponseMessage response = await Client.PostAsync("api/customers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, status, field, rule);
    }

    [Fact]
    public async Task CreateCustomer_UnknownTariffCode_Returns422NamingTheAssignmentAndWritesNothing()
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter);
        customer["servicePoints"]![0]!["tariffs"]!.AsArray().Add(new JsonObject { ["tariffCode"] = "SH-NO-SUCH", ["effectiveFrom"] = "2024-01-01" });
        customer["servicePoints"]![0]!["tariffs"]![0]!["effectiveTo"] = "2024-01-01";

        HttpResponseMessage response = await Client.PostAsync("api/customers", CustomerJson.Content(customer));

        JsonElement problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "servicePoints[0].tariffs[1].tariffCode", "unknown-tariff-code");
        Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{account}")).StatusCode);
    }

    [Fact]
    public async Task UpdateCustomer_UnknownTariffCode_Returns422AndKeepsTheStoredCustomer()
    {
        (string account, string meter) = CustomerJson.NextIds();
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        JsonObject changed = CustomerJson.Residential(account, meter);
        changed["servicePoints"]![0]!["tariffs"]![0]!["tariffCode"] = "SH-RES-NEW";

        HttpResponseMessage response = await Put(account, changed, created.Headers.ETag!.ToString());

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "servicePoints[0].tariffs[0].tariffCode", "unknown-tariff-code");
        HttpResponseMessage read = await Client.GetAsync($"api/customers/{account}");
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        JsonElement stored = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("SH-RES-TOU", stored.GetProperty("servicePoints")[0].GetProperty("tariffs")[0].GetProperty("tariffCode").GetString());
    }

    [Fact]
    public async Task CreateCustomer_UnknownArea_Returns422()
    {
        (string account, string meter) = CustomerJson.NextIds();

        HttpResponseMessage response = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter, area: "TA9999")));

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "areaCode", "unknown-area");
    }

    [Fact]
    public async Task CreateCustomer_MeterHeldByAnotherAccount_Returns409()
    {
        (string first, string meter) = CustomerJson.NextIds();
        (string second, _) = CustomerJson.NextIds();
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(first, meter)))).StatusCode);

        HttpResponseMessage response = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(second, meter)));

        await Problem.AssertAsync(response, HttpStatusCode.Conflict, "meterNo", "meter-belongs-to-other-account");
    }

    [Fact]
    public async Task UpdateCustomer_StaleETag_Returns412AndKeepsTheOtherWritersChange()
    {
        (string account, string meter) = CustomerJson.NextIds();
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        string etag = created.Headers.ETag!.ToString();

        JsonObject alice = CustomerJson.Residential(account, meter);
        alice["phone"] = "13900000001";
        HttpResponseMessage first = await Put(account, alice, etag);
        JsonObject bob = CustomerJson.Residential(account, meter);
        bob["phone"] = "13900000002";
        HttpResponseMessage second = await Put(account, bob, etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag!.ToString());
        await Problem.AssertAsync(second, HttpStatusCode.PreconditionFailed);
        JsonElement stored = JsonDocument.Parse(await Client.GetStringAsync($"api/customers/{account}")).RootElement;
        Assert.Equal("13900000001", stored.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task UpdateCustomer_WithoutIfMatch_Returns428()
    {
        (string account, string meter) = CustomerJson.NextIds();
        await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));

        HttpResponseMessage response = await Client.PutAsync($"api/customers/{account}", CustomerJson.Content(CustomerJson.Residential(account, meter)));

        await Problem.AssertAsync(response, (HttpStatusCode)428);
    }

    [Fact]
    public async Task UpdateCustomer_MeterExchange_KeepsOldMeterWithRemovalDate()
    {
        (string account, string meter) = CustomerJson.NextIds();
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        JsonObject exchanged = CustomerJson.Residential(account, meter);
        JsonArray meters = exchanged["servicePoints"]![0]!["meters"]!.AsArray();
        meters[0]!["removalDate"] = "2026-06-01";
        meters.Add(new JsonObject { ["meterNo"] = meter + "N", ["manufacturer"] = "Holley", ["installDate"] = "2026-06-01" });

        HttpResponseMessage updated = await Put(account, exchanged, created.Headers.ETag!.ToString());

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        JsonElement stored = JsonDocument.Parse(await Client.GetStringAsync($"api/customers/{account}")).RootElement;
        JsonElement[] history = [.. stored.GetProperty("servicePoints")[0].GetProperty("meters").EnumerateArray()];
        Assert.Equal(2, history.Length);
        Assert.Equal("2026-06-01", history[0].GetProperty("removalDate").GetString());
        Assert.False(history[1].TryGetProperty("removalDate", out _));
    }

    [Fact]
    public async Task UpdateCustomer_OverlappingMeters_Returns400()
    {
        (string account, string meter) = CustomerJson.NextIds();
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        JsonObject overlapping = CustomerJson.Residential(account, meter);
        overlapping["servicePoints"]![0]!["meters"]!.AsArray().Add(new JsonObject { ["meterNo"] = meter + "N", ["manufacturer"] = "Holley", ["installDate"] = "2026-06-01" });

        HttpResponseMessage response = await Put(account, overlapping, created.Headers.ETag!.ToString());

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "servicePoints[0].meters", "meter-periods-overlap");
    }

    [Fact]
    public async Task ListCustomers_FilteredByAreaClassAndPaymentMode_PagesThroughOnlyMatches()
    {
        List<string> accounts = [];
        for (int i = 0; i < 5; i++)
        {
            (string account, string meter) = CustomerJson.NextIds();
            JsonObject customer = CustomerJson.Residential(account, meter, area: "TA0012");
            customer["paymentMode"] = i % 2 == 0 ? "Prepaid" : "Postpaid";
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("api/customers", CustomerJson.Content(customer))).StatusCode);
            if (i % 2 == 0)
            {
                accounts.Add(account);
            }
        }

        List<string> seen = [];
        string? token = null;
        int pages = 0;
        do
        {
            string url = "api/customers?area=TA0012&class=Residential&paymentMode=Prepaid&pageSize=2" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            JsonElement page = JsonDocument.Parse(await Client.GetStringAsync(url)).RootElement;
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("accountNo").GetString()!));
            token = page.TryGetProperty("continuationToken", out JsonElement t) ? t.GetString() : null;
            pages++;
        }
        while (token is not null && pages < 20);

        Assert.Equal(accounts.Order(), seen.Where(accounts.Contains).Order());
        Assert.True(pages >= 2, "pageSize=2 over 3+ matches must take more than one page");
        Assert.All(seen, a => Assert.StartsWith("T", a));
    }

    [Theory]
    [InlineData("class=Household", "class")]
    [InlineData("paymentMode=1", "paymentMode")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("area=TA%2F1", "area")]
    public async Task ListCustomers_BadQuery_Returns400(string query, string field)
    {
        HttpResponseMessage response = await Client.GetAsync("api/customers?" + query);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("class", "\"Residential, Commercial\"")]
    [InlineData("class", "\"Residential,Commercial\"")]
    [InlineData("class", "\"residential\"")]
    [InlineData("class", "\" Residential\"")]
    [InlineData("class", "\"1\"")]
    [InlineData("credit", "\"A,B\"")]
    [InlineData("paymentMode", "\"Prepaid, Postpaid\"")]
    public async Task CreateCustomer_EnumThatIsNotExactlyOneDocumentedName_Returns400AndStoresNothing(string field, string value)
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject body = CustomerJson.Residential(account, meter);
        body[field] = JsonNode.Parse(value);

        HttpResponseMessage response = await Client.PostAsync("api/customers", CustomerJson.Content(body));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/customers/{account}")).StatusCode);
    }

    [Theory]
    [InlineData("class=Residential,Commercial", "class")]
    [InlineData("class=Residential%2C%20Commercial", "class")]
    [InlineData("class=residential", "class")]
    [InlineData("paymentMode=Prepaid,Postpaid", "paymentMode")]
    public async Task ListCustomers_EnumThatIsNotExactlyOneDocumentedName_Returns400(string query, string field)
    {
        HttpResponseMessage response = await Client.GetAsync("api/customers?" + query);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, "enum");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("YWxhcm1zOnYxOnh4eHg")]
    [InlineData("1!2")]
    public async Task ListCustomers_ContinuationTokenNotIssuedByThisList_Returns400InvalidContinuationToken(string token)
    {
        HttpResponseMessage response = await Client.GetAsync("api/customers?continuationToken=" + Uri.EscapeDataString(token));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "continuationToken", "invalid-continuation-token");
    }

    [Fact]
    public async Task ListCustomers_TokenOfTheAlarmList_Returns400InvalidContinuationToken()
    {
        // A real token, but issued by another list: refused, not read as a position in this one.
        string wrapped = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alarms:v1:1!8!VEEwMDAx 1!4!YX5h:0000")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        HttpResponseMessage response = await Client.GetAsync("api/customers?continuationToken=" + wrapped);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "continuationToken", "invalid-continuation-token");
    }

    [Fact]
    public async Task ImportCustomers_CsvEnumThatIsNotExactlyOneDocumentedName_RowFailsWithEnumRule()
    {
        string csv = new MeterToCash.Tools.DemoUtility(2, seed: 19, areas: 12).ArchiveCsv(accountOffset: 30_400_000);
        string[] lines = csv.TrimEnd('\n').Split('\n');
        string[] header = lines[0].Split(',');
        int credit = Array.IndexOf(header, "credit_grade");
        string[] row = lines[1].Split(',');
        row[credit] = "\"A,B\"";
        lines[1] = string.Join(',', row);

        HttpResponseMessage started = await ImportClient.PostAsync(Client, string.Join('\n', lines) + "\n");
        JsonElement status = await ImportClient.WaitAsync(Client, await ImportClient.ImportIdAsync(started), TimeSpan.FromMinutes(2));

        Assert.True(status.GetProperty("rowsFailed").GetInt32() >= 1, status.ToString());
        string report = await Client.GetStringAsync(status.GetProperty("errorReportUrl").GetString()!.TrimStart('/'));
        Assert.Contains(report.Split('\n'), line => line.Contains("credit_grade", StringComparison.Ordinal) && line.Contains("\"enum\"", StringComparison.Ordinal));
    }

    Task<HttpResponseMessage> Put(string account, JsonObject body, string etag)
    {
        HttpRequestMessage request = new(HttpMethod.Put, $"api/customers/{account}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return Client.SendAsync(request);
    }

    static void Apply(JsonObject target, string patch)
    {
        int eq = patch.IndexOf('=', StringComparison.Ordinal);
        string path = patch[..eq];
        JsonNode? value = JsonNode.Parse(patch[(eq + 1)..]);
        JsonNode node = target;
        string[] parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? part : part[..bracket];
            int? index = bracket < 0 ? null : int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (i == parts.Length - 1 && index is null)
            {
                node[name] = value;
                return;
            }

            node = node[name]!;
            if (index is not null)
            {
                node = node[index.Value]!;
            }
        }
    }
}
