using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Ledger;

/// <summary>The ledger API over HTTP: adjustments (master key) and statements (function key).</summary>
[Collection(BackendCollection.Name)]
public sealed class LedgerApiTests(BackendFixture backend) : IDisposable
{
    readonly HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

    HttpClient Client => backend.Client;

    public void Dispose() => admin.Dispose();

    async Task<string> NewAccountAsync()
    {
        (string account, string meter) = CustomerJson.NextIds();
        HttpResponseMessage created = await Client.PostAsync("api/customers", CustomerJson.Content(CustomerJson.Residential(account, meter)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return account;
    }

    static JsonObject Adjustment(string entryId, long amountFen, string reason = "抄表错误退补") =>
        new() { ["entryId"] = entryId, ["amountFen"] = amountFen, ["reason"] = reason };

    Task<HttpResponseMessage> PostAdjustmentAsync(string account, JsonNode body) =>
        admin.PostAsync($"api/accounts/{account}/ledger/adjustments", JsonContent.Create(body));

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    async Task<JsonElement> StatementAsync(string account)
    {
        HttpResponseMessage response = await Client.GetAsync($"api/accounts/{account}/ledger");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    [Fact]
    public async Task PostAdjustment_DebitThenCredit_AppearInTheStatementWithTheBalance()
    {
        string account = await NewAccountAsync();

        HttpResponseMessage debit = await PostAdjustmentAsync(account, Adjustment("adj:1", 5000));
        HttpResponseMessage credit = await PostAdjustmentAsync(account, Adjustment("adj:2", -2000, "电价执行错误退费"));

        Assert.Equal(HttpStatusCode.Created, debit.StatusCode);
        Assert.Equal(HttpStatusCode.Created, credit.StatusCode);
        JsonElement statement = await StatementAsync(account);
        Assert.Equal(0, statement.GetProperty("openingBalanceFen").GetInt64());
        Assert.Equal(3000, statement.GetProperty("closingBalanceFen").GetInt64());
        Assert.Equal(3000, statement.GetProperty("balanceFen").GetInt64());
        JsonElement[] entries = [.. statement.GetProperty("entries").EnumerateArray()];
        Assert.Equal(
            [(1L, "adj:1", "Adjustment", 5000L, "抄表错误退补"), (2L, "adj:2", "Adjustment", -2000L, "电价执行错误退费")],
            entries.Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("entryId").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("amountFen").GetInt64(), e.GetProperty("text").GetString())));
        Assert.Equal(("adj:1", 0L, 2000L), (entries[1].GetProperty("allocations")[0].GetProperty("billId").GetString(), entries[1].GetProperty("allocations")[0].GetProperty("lateFeeFen").GetInt64(), entries[1].GetProperty("allocations")[0].GetProperty("principalFen").GetInt64()));
        JsonElement open = Assert.Single(statement.GetProperty("openBills").EnumerateArray());
        Assert.Equal(("adj:1", 5000L, 3000L), (open.GetProperty("billId").GetString(), open.GetProperty("principalFen").GetInt64(), open.GetProperty("principalOpenFen").GetInt64()));
    }

    [Fact]
    public async Task GetLedger_RangeBeforeTheEntries_CountsThemInNeitherBalanceOfTheStatement()
    {
        string account = await NewAccountAsync();
        await PostAdjustmentAsync(account, Adjustment("adj:1", 700));

        HttpResponseMessage response = await Client.GetAsync($"api/accounts/{account}/ledger?from=2024-01-01&to=2024-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement statement = await JsonAsync(response);
        Assert.Equal(("2024-01-01", "2024-12-31"), (statement.GetProperty("from").GetString(), statement.GetProperty("to").GetString()));
        Assert.Empty(statement.GetProperty("entries").EnumerateArray());
        Assert.Equal((0L, 0L, 700L), (statement.GetProperty("openingBalanceFen").GetInt64(), statement.GetProperty("closingBalanceFen").GetInt64(), statement.GetProperty("balanceFen").GetInt64()));
    }

    [Fact]
    public async Task PostAdjustment_SameEntryIdAndPayloadAgain_Returns200WithTheOriginalEntry()
    {
        string account = await NewAccountAsync();
        HttpResponseMessage first = await PostAdjustmentAsync(account, Adjustment("adj:replay", -1500));

        HttpResponseMessage again = await PostAdjustmentAsync(account, Adjustment("adj:replay", -1500));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Single((await StatementAsync(account)).GetProperty("entries").EnumerateArray());
    }

    [Theory]
    [InlineData(-1600L, "抄表错误退补")]
    [InlineData(-1500L, "another reason")]
    [InlineData(1500L, "抄表错误退补")]
    public async Task PostAdjustment_SameEntryIdOtherPayload_Returns409DuplicateDiffers(long amountFen, string reason)
    {
        string account = await NewAccountAsync();
        await PostAdjustmentAsync(account, Adjustment("adj:once", -1500));

        HttpResponseMessage response = await PostAdjustmentAsync(account, Adjustment("adj:once", amountFen, reason));

        JsonElement problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict, "entryId", "duplicate-differs");
        Assert.Equal("duplicate-differs", problem.GetProperty("code").GetString());
        Assert.Single((await StatementAsync(account)).GetProperty("entries").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"amountFen":100,"reason":"r"}""", "entryId", "required")]
    [InlineData("""{"entryId":"a b","amountFen":100,"reason":"r"}""", "entryId", "entry-id-format")]
    [InlineData("""{"entryId":"a/b","amountFen":100,"reason":"r"}""", "entryId", "entry-id-format")]
    [InlineData("""{"entryId":"adj:1","reason":"r"}""", "amountFen", "required")]
    [InlineData("""{"entryId":"adj:1","amountFen":12.5,"reason":"r"}""", "amountFen", "whole-fen")]
    [InlineData("""{"entryId":"adj:1","amountFen":0,"reason":"r"}""", "amountFen", "non-zero")]
    [InlineData("""{"entryId":"adj:1","amountFen":-1000000001,"reason":"r"}""", "amountFen", "range")]
    [InlineData("""{"entryId":"adj:1","amountFen":"100","reason":"r"}""", "amountFen", "json")]
    [InlineData("""{"entryId":"adj:1","amountFen":100,"reason":"  "}""", "reason", "required")]
    [InlineData("""{"entryId":"adj:1","amountFen":100,"reason":"r","extra":1}""", "extra", "json")]
    [InlineData("""{"entryId":"adj:1",""", "body", "json")]
    public async Task PostAdjustment_BadBody_Returns400NamingFieldAndRule(string body, string field, string rule)
    {
        string account = await NewAccountAsync();

        HttpResponseMessage response = await admin.PostAsync($"api/accounts/{account}/ledger/adjustments", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
        Assert.Empty((await StatementAsync(account)).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task PostAdjustment_LongestAllowedEntryIdAndLargestAmount_Posts()
    {
        string account = await NewAccountAsync();
        string entryId = "adj:" + new string('x', 96);

        HttpResponseMessage response = await PostAdjustmentAsync(account, Adjustment(entryId, -1_000_000_000));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(entryId, (await JsonAsync(response)).GetProperty("entryId").GetString());
        await Problem.AssertAsync(await PostAdjustmentAsync(account, Adjustment(entryId + "y", 1)), HttpStatusCode.BadRequest, "entryId", "entry-id-format");
    }

    [Theory]
    [InlineData("from=2025-02-30", "from", "date-format")]
    [InlineData("to=20250101", "to", "date-format")]
    [InlineData("from=2025-03-01&to=2025-02-28", "to", "range-order")]
    [InlineData("from=2024-01-01&to=2025-02-04", "to", "range-too-long")]
    public async Task GetLedger_BadRange_Returns400NamingFieldAndRule(string query, string field, string rule)
    {
        string account = await NewAccountAsync();

        HttpResponseMessage response = await Client.GetAsync($"api/accounts/{account}/ledger?{query}");

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task GetLedger_400DaysInclusive_IsAllowed()
    {
        string account = await NewAccountAsync();

        HttpResponseMessage response = await Client.GetAsync($"api/accounts/{account}/ledger?from=2024-01-01&to=2025-02-03");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ledger_UnknownAccount_Returns404()
    {
        string account = CustomerJson.NextIds().AccountNo;

        HttpResponseMessage read = await Client.GetAsync($"api/accounts/{account}/ledger");
        HttpResponseMessage adjust = await PostAdjustmentAsync(account, Adjustment("adj:1", 100));

        await Problem.AssertAsync(read, HttpStatusCode.NotFound);
        await Problem.AssertAsync(adjust, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostAdjustment_WithTheFunctionKey_IsUnauthorized()
    {
        string account = await NewAccountAsync();

        HttpResponseMessage response = await Client.PostAsync($"api/accounts/{account}/ledger/adjustments", JsonContent.Create(Adjustment("adj:1", 100)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await StatementAsync(account)).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task PostAdjustment_20ConcurrentWriters_AllPostedGaplessWithTheSumAsBalance()
    {
        string account = await NewAccountAsync();
        long[] amounts = [.. Enumerable.Range(1, 20).Select(i => i % 3 == 0 ? -(long)i * 100 : (long)i * 1000 + i)];

        HttpResponseMessage[] responses = await Task.WhenAll(amounts.Select((amount, i) => PostAdjustmentAsync(account, Adjustment($"adj:parallel:{i}", amount))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        JsonElement statement = await StatementAsync(account);
        JsonElement[] entries = [.. statement.GetProperty("entries").EnumerateArray()];
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), entries.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"adj:parallel:{i}").Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("entryId").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(amounts.Sum(), statement.GetProperty("balanceFen").GetInt64());
        Assert.Equal(amounts.Sum(), statement.GetProperty("closingBalanceFen").GetInt64());
    }

    [Fact]
    public async Task PostAdjustment_20ConcurrentIdenticalRequests_PostOnceAndAllAnswerTheSameEntry()
    {
        string account = await NewAccountAsync();

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAdjustmentAsync(account, Adjustment("adj:same", 4321))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.StatusCode}"));
        string[] bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        JsonElement entry = Assert.Single((await StatementAsync(account)).GetProperty("entries").EnumerateArray());
        Assert.Equal((1L, "adj:same", 4321L), (entry.GetProperty("sequence").GetInt64(), entry.GetProperty("entryId").GetString(), entry.GetProperty("amountFen").GetInt64()));
    }
}
