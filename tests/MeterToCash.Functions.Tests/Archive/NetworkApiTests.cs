using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Archive;

[Collection(BackendCollection.Name)]
public class NetworkApiTests(BackendFixture backend)
{
    HttpClient Client => backend.Client;

    [Fact]
    public async Task Tree_AfterSeeding_NestsAreasUnderFeedersUnderSubstations()
    {
        JsonElement tree = JsonDocument.Parse(await Client.GetStringAsync("api/network/tree")).RootElement;

        JsonElement[] substations = [.. tree.GetProperty("substations").EnumerateArray()];
        Assert.Equal(2, substations.Length);
        JsonElement[] areas = [.. substations.SelectMany(s => s.GetProperty("feeders").EnumerateArray()).SelectMany(f => f.GetProperty("areas").EnumerateArray())];
        Assert.True(areas.Length >= 12);
        Assert.Contains(areas, a => a.GetProperty("code").GetString() == "TA0001" && a.GetProperty("ratedKva").GetDecimal() == 400m);
    }

    [Fact]
    public async Task PutArea_UnknownFeeder_Returns422()
    {
        HttpResponseMessage response = await Client.PutAsJsonAsync("api/network/areas/TA7777", new { name = "x", feederCode = "NOPE", ratedKva = 400 });

        await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "feederCode", "unknown-parent");
    }

    [Theory]
    [InlineData("areas", """{"name":"x","feederCode":"FD001"}""", "ratedKva", "range")]
    [InlineData("areas", """{"name":"x","feederCode":"FD001","ratedKva":-5}""", "ratedKva", "range")]
    [InlineData("substations", """{"name":""}""", "name", "required")]
    [InlineData("areas", """{"name":"x","feederCode":"FD001","ratedKva":1e-28}""", "ratedKva", "precision")]
    [InlineData("areas", """{"name":"x","feederCode":"FD001","ratedKva":315.0001}""", "ratedKva", "precision")]
    [InlineData("substations", """{"name":"\u200B\u200C"}""", "name", "visible-character-required")]
    [InlineData("substations", """{"name":"\u202Eabc"}""", "name", "no-control-characters")]
    [InlineData("feeders", """{"name":"x"}""", "substationCode", "required")]
    public async Task PutNode_Invalid_Returns400(string level, string body, string field, string rule)
    {
        HttpResponseMessage response = await Client.PutAsync($"api/network/{level}/N1", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task PutArea_Twice_CreatesThenReplaces()
    {
        HttpResponseMessage first = await Client.PutAsJsonAsync("api/network/areas/TA5555", new { name = "新台区", feederCode = "FD001", ratedKva = 315 });
        HttpResponseMessage second = await Client.PutAsJsonAsync("api/network/areas/TA5555", new { name = "新台区", feederCode = "FD001", ratedKva = 500 });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        JsonElement tree = JsonDocument.Parse(await Client.GetStringAsync("api/network/tree")).RootElement;
        JsonElement area = tree.GetProperty("substations").EnumerateArray().SelectMany(s => s.GetProperty("feeders").EnumerateArray())
            .SelectMany(f => f.GetProperty("areas").EnumerateArray()).Single(a => a.GetProperty("code").GetString() == "TA5555");
        Assert.Equal(500m, area.GetProperty("ratedKva").GetDecimal());
    }
}
