using System.Net;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.LocalHost;

[Collection(BackendCollection.Name)]
public class AuthorizationTests(BackendFixture backend)
{
    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", null, HttpStatusCode.Unauthorized)]
    [InlineData(LocalHostProcess.FunctionKey, null, HttpStatusCode.OK)]
    [InlineData(LocalHostProcess.MasterKey, null, HttpStatusCode.OK)]
    [InlineData(null, LocalHostProcess.FunctionKey, HttpStatusCode.OK)]
    [InlineData(null, "wrong-key", HttpStatusCode.Unauthorized)]
    public async Task FunctionLevelRoute_KeyInHeaderOrQuery_IsEnforced(string? headerKey, string? queryKey, HttpStatusCode expected)
    {
        using HttpClient client = backend.Host.Client(headerKey);
        string url = "api/network/tree" + (queryKey is null ? string.Empty : "?code=" + queryKey);

        HttpResponseMessage response = await client.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AnonymousRoute_WithoutKey_IsOpen()
    {
        using HttpClient client = backend.Host.Client(key: null);

        HttpResponseMessage response = await client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(LocalHostProcess.FunctionKey, HttpStatusCode.Unauthorized)]
    [InlineData(LocalHostProcess.MasterKey, HttpStatusCode.OK)]
    public async Task AdminEndpoint_NeedsMasterKey(string key, HttpStatusCode expected)
    {
        using HttpClient client = backend.Host.Client(key);

        HttpResponseMessage response = await client.GetAsync("admin/functions");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("NoSuchFunction")]
    [InlineData("Health")]
    public async Task AdminFire_NotATimerFunction_Returns404(string name)
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);

        HttpResponseMessage response = await admin.PostAsync($"admin/functions/{name}", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
