using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Tariffs;

[Collection(BackendCollection.Name)]
public sealed class TariffCatalogTests(BackendFixture backend) : IDisposable
{
    static int next;

    readonly HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

    HttpClient Client => backend.Client;

    public void Dispose() => admin.Dispose();

    /// <summary>A code no other test uses, so tests sharing one backend never collide.</summary>
    static string NextCode() => $"T-{DateTime.UtcNow:HHmmssfff}-{Interlocked.Increment(ref next)}";

    /// <summary>The residential TOU sample as a one-version document for <paramref name="code"/>.</summary>
    static JsonObject Document(string code, string version = "2024-01", string effectiveFrom = "2024-01-01", string sample = "shanghai-residential-tou")
    {
        JsonObject document = TariffSeed.Document(code, sample);
        JsonObject v = document["versions"]![0]!.AsObject();
        v["version"] = version;
        v["effectiveFrom"] = effectiveFrom;
        return document;
    }

    Task<HttpResponseMessage> Put(HttpClient client, string code, string version, JsonNode document) =>
        client.PutAsync($"api/tariffs/{code}/versions/{version}", JsonContent.Create(document));

    Task<HttpResponseMessage> PutRaw(string code, string version, string body) =>
        admin.PutAsync($"api/tariffs/{code}/versions/{version}", new StringContent(body, Encoding.UTF8, "application/json"));

    TableClient Versions => new TableServiceClient(backend.StorageConnectionString).GetTableClient("TariffVersions");

    [Fact]
    public async Task Publish_NewVersion_Returns201WithLocationAndStoresTheDocument()
    {
        string code = NextCode();

        HttpResponseMessage response = await Put(admin, code, "2024-01", Document(code));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/tariffs/{code}/versions/2024-01", response.Headers.Location?.ToString());
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("changed").GetBoolean());
        Assert.Equal(64, body.GetProperty("sha256").GetString()!.Length);
        JsonElement stored = JsonDocument.Parse(await Client.GetStringAsync($"api/tariffs/{code}/versions/2024-01")).RootElement;
        Assert.Equal("2024-01-01", stored.GetProperty("effectiveFrom").GetString());
        Assert.Equal(0.617m, stored.GetProperty("document").GetProperty("energy").GetProperty("bands").GetProperty("peak").GetDecimal());
    }

    [Fact]
    public async Task Publish_SameContentAgainReformatted_Returns200UnchangedAndWritesNothing()
    {
        string code = NextCode();
        JsonObject document = Document(code);
        Assert.Equal(HttpStatusCode.Created, (await Put(admin, code, "2024-01", document)).StatusCode);
        TableEntity before = (await Versions.GetEntityAsync<TableEntity>(code, "2024-01")).Value;

        // The same content indented, with the price written 0.6170 and without the id: one canonical form.
        document.Remove("id");
        string again = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\"peak\": 0.617", "\"peak\": 0.6170", StringComparison.Ordinal);
        Assert.Contains("0.6170", again, StringComparison.Ordinal);
        HttpResponseMessage response = await PutRaw(code, "2024-01", again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("changed").GetBoolean());
        TableEntity after = (await Versions.GetEntityAsync<TableEntity>(code, "2024-01")).Value;
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.GetDateTimeOffset("PublishedAt"), after.GetDateTimeOffset("PublishedAt"));
    }

    [Fact]
    public async Task Publish_OtherContentUnderPublishedVersion_Returns409AndKeepsTheFirst()
    {
        string code = NextCode();
        await Put(admin, code, "2024-01", Document(code));
        JsonObject corrected = Document(code);
        corrected["versions"]![0]!["energy"]!["bands"]!["peak"] = 0.62m;

        HttpResponseMessage response = await Put(admin, code, "2024-01", corrected);

        await Problem.AssertAsync(response, HttpStatusCode.Conflict);
        JsonElement stored = JsonDocument.Parse(await Client.GetStringAsync($"api/tariffs/{code}/versions/2024-01")).RootElement;
        Assert.Equal(0.617m, stored.GetProperty("document").GetProperty("energy").GetProperty("bands").GetProperty("peak").GetDecimal());
    }

    public static TheoryData<string, string, string> MalformedDocuments => new()
    {
        // description, find → replace in the sample document, expected JSON path and rule
        { "price as text deep in the document", "\"peak\":0.617→\"peak\":\"high\"", "$.versions[0].energy.bands.peak|type" },
        { "misspelt field", "\"ladder\"→\"ladders\"", "$.versions[0].ladders|unknown-property" },
        { "bad date", "\"2024-01-01\"→\"01/01/2024\"", "$.versions[0].effectiveFrom|tariff-rule" },
        { "negative price", "\"valley\":0.307→\"valley\":-0.307", "$.versions[0].energy.bands.valley|tariff-rule" },
        { "not JSON", "\"versions\":[→\"versions\":[[,", "$|json" },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public async Task Publish_MalformedDocument_Returns400NamingTheJsonPath(string description, string edit, string expected)
    {
        string code = NextCode();
        string[] findReplace = edit.Split('→');
        string body = Document(code).ToJsonString().Replace(findReplace[0], findReplace[1], StringComparison.Ordinal);
        Assert.NotEqual(Document(code).ToJsonString(), body);
        string[] pathRule = expected.Split('|');

        HttpResponseMessage response = await PutRaw(code, "2024-01", body);

        Assert.False(string.IsNullOrEmpty(description));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, pathRule[0], pathRule[1]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/tariffs/{code}")).StatusCode);
    }

    [Fact]
    public async Task Publish_DuplicatePropertyName_Returns400AndStoresNothing()
    {
        string code = NextCode();
        string body = Document(code).ToJsonString().Replace("\"peak\":0.617", "\"peak\":0.617,\"peak\":0.1", StringComparison.Ordinal);

        HttpResponseMessage response = await PutRaw(code, "2024-01", body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, rule: "json");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/tariffs/{code}")).StatusCode);
    }

    [Fact]
    public async Task Publish_VersionLabelDiffersFromRoute_Returns400()
    {
        string code = NextCode();

        HttpResponseMessage response = await Put(admin, code, "2024-02", Document(code, version: "2024-01"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "$.versions[0].version", "matches-route");
    }

    [Fact]
    public async Task Publish_IdDiffersFromCode_Returns400NamingId()
    {
        string code = NextCode();

        HttpResponseMessage response = await Put(admin, code, "2024-01", Document("SH-OTHER"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "$.id", "matches-route");
    }

    [Fact]
    public async Task Publish_TwoVersionsInOneDocument_Returns400()
    {
        string code = NextCode();
        JsonObject document = Document(code);
        JsonObject second = document["versions"]![0]!.DeepClone().AsObject();
        second["version"] = "2025-01";
        second["effectiveFrom"] = "2025-01-01";
        document["versions"]!.AsArray().Add(second);

        HttpResponseMessage response = await Put(admin, code, "2024-01", document);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "$.versions", "one-version");
    }

    [Theory]
    [InlineData("sh-res-tou")]
    [InlineData("SH_RES")]
    [InlineData("A-CODE-LONGER-THAN-THIRTY-TWO-CHARS")]
    public async Task Publish_CodeOutsideFormat_Returns400(string code)
    {
        HttpResponseMessage response = await Put(admin, code, "2024-01", Document(code));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "code", "code-format");
    }

    [Fact]
    public async Task Publish_WithFunctionKey_Returns401AndStoresNothing()
    {
        string code = NextCode();

        HttpResponseMessage response = await Put(Client, code, "2024-01", Document(code));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/tariffs/{code}")).StatusCode);
    }

    [Fact]
    public async Task Publish_OtherKindThanPublished_Returns422()
    {
        string code = NextCode();
        await Put(admin, code, "2024-01", Document(code));

        HttpResponseMessage response = await Put(admin, code, "2025-01", Document(code, "2025-01", "2025-01-01", sample: "commercial-tou"));

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "$.kind", "kind-changed");
    }

    [Fact]
    public async Task Publish_SameEffectiveDateAsPublishedVersion_Returns422()
    {
        string code = NextCode();
        await Put(admin, code, "2024-01", Document(code));

        HttpResponseMessage response = await Put(admin, code, "2024-01b", Document(code, "2024-01b", "2024-01-01"));

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "$.versions[0].effectiveFrom", "effective-date-taken");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"api/tariffs/{code}/versions/2024-01b")).StatusCode);
    }

    [Fact]
    public async Task GetTariff_TwoVersionsPublishedOutOfOrder_ReturnsEngineDocumentAscendingThatLoads()
    {
        string code = NextCode();
        Assert.Equal(HttpStatusCode.Created, (await Put(admin, code, "2025-07", Document(code, "2025-07", "2025-07-01"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Put(admin, code, "2024-01", Document(code, "2024-01", "2024-01-01"))).StatusCode);

        JsonElement tariff = JsonDocument.Parse(await Client.GetStringAsync($"api/tariffs/{code}")).RootElement;

        Assert.Equal("residentialLadder", tariff.GetProperty("kind").GetString());
        Assert.True(tariff.GetProperty("sample").GetBoolean());
        Assert.Equal(["2024-01", "2025-07"], tariff.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!));
        TariffLoadResult loaded = TariffJson.Load(tariff.GetProperty("tariff").GetRawText());
        Assert.True(loaded.IsSuccess, string.Join("; ", loaded.Errors));
        Assert.Equal(code, loaded.Tariff.Id);
        Assert.Equal([new DateOnly(2024, 1, 1), new DateOnly(2025, 7, 1)], loaded.Tariff.Versions.Select(v => v.EffectiveFrom));
    }

    [Fact]
    public async Task GetTariff_UnknownCode_Returns404Problem()
    {
        HttpResponseMessage response = await Client.GetAsync($"api/tariffs/{NextCode()}");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetTariffVersion_UnknownVersion_Returns404Problem()
    {
        HttpResponseMessage response = await Client.GetAsync("api/tariffs/SH-RES-TOU/versions/1999-01");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListTariffs_SeededBackend_ListsEveryDemoCodeAsSampleWithItsVersions()
    {
        JsonElement list = JsonDocument.Parse(await Client.GetStringAsync("api/tariffs")).RootElement;

        Dictionary<string, JsonElement> byCode = list.GetProperty("tariffs").EnumerateArray().ToDictionary(t => t.GetProperty("code").GetString()!);
        foreach ((string code, _) in TariffSeed.DemoTariffs)
        {
            Assert.True(byCode.TryGetValue(code, out JsonElement tariff), $"{code} is not listed");
            Assert.True(tariff.GetProperty("sample").GetBoolean());
            JsonElement version = Assert.Single(tariff.GetProperty("versions").EnumerateArray());
            Assert.Equal("sample-2024", version.GetProperty("version").GetString());
            Assert.Equal("2024-01-01", version.GetProperty("effectiveFrom").GetString());
        }

        Assert.Equal("largeIndustrialTwoPart", byCode["SH-IND-2PART"].GetProperty("kind").GetString());
        Assert.Equal("generalCommercial", byCode["SH-AGR"].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task SeedAsync_RunAgain_RepublishesEveryCodeUnchanged()
    {
        await TariffSeed.SeedAsync(admin);

        foreach ((string code, _) in TariffSeed.DemoTariffs)
        {
            HttpResponseMessage again = await Put(admin, code, "sample-2024", TariffSeed.Document(code, TariffSeed.DemoTariffs.Single(t => t.Code == code).Sample));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }
}
