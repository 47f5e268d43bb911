using System.Net;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Dashboard;

/// <summary>The dashboard's static-file function over HTTP: what it serves, and what it refuses.</summary>
[Collection(BackendCollection.Name)]
public class DashboardFileTests(BackendFixture backend)
{
    [Fact]
    public async Task Dashboard_Root_RedirectsToIndexWithItsQueryWithoutAKey()
    {
        using HttpClient anonymous = backend.Host.Client(key: null);
        using HttpClientHandler noRedirects = new() { AllowAutoRedirect = false };
        using HttpClient raw = new(noRedirects) { BaseAddress = backend.Host.BaseAddress };

        HttpResponseMessage root = await raw.GetAsync(new Uri("api/dashboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/api/dashboard/index.html", root.Headers.Location?.OriginalString);
        HttpResponseMessage preselected = await raw.GetAsync(new Uri("api/dashboard/?area=TA0002&day=2026-12-05&lossDay=2026-11-30", UriKind.Relative));
        Assert.Equal("/api/dashboard/index.html?area=TA0002&day=2026-12-05&lossDay=2026-11-30", preselected.Headers.Location?.OriginalString);

        HttpResponseMessage index = await anonymous.GetAsync(new Uri("api/dashboard/index.html", UriKind.Relative));
        string html = await index.Content.ReadAsStringAsync();
        Assert.Equal((HttpStatusCode.OK, "text/html"), (index.StatusCode, index.Content.Headers.ContentType?.MediaType));
        Assert.DoesNotContain(LocalHostProcess.FunctionKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalHostProcess.MasterKey, html, StringComparison.Ordinal);
        Assert.Contains("vendor/chart.js/chart.umd.min.js", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    [InlineData("vendor/chart.js/chart.umd.min.js", "text/javascript")]
    [InlineData("vendor/chart.js/LICENSE.md", "text/markdown")]
    public async Task Dashboard_KnownFile_IsServedWithItsContentType(string path, string mediaType)
    {
        using HttpClient anonymous = backend.Host.Client(key: null);

        HttpResponseMessage response = await anonymous.GetAsync(new Uri($"api/dashboard/{path}", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, mediaType), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Sent byte for byte (no client-side canonicalisation), as a hostile client would.</summary>
    [Theory]
    [InlineData("/api/dashboard/..%2F..%2Fhost.json")]
    [InlineData("/api/dashboard/..%5C..%5Chost.json")]
    [InlineData("/api/dashboard//etc/passwd")]
    [InlineData("/api/dashboard/%2Fetc%2Fpasswd")]
    [InlineData("/api/dashboard/C:%5CWindows%5Cwin.ini")]
    [InlineData("/api/dashboard/nope.js")]
    [InlineData("/api/dashboard/INDEX.HTML")]
    [InlineData("/api/dashboard/vendor/chart.js")]
    [InlineData("/api/dashboard/%E2%80%AE.html")]
    public async Task Dashboard_EncodedTraversalOrUnknownPath_Is404Problem(string path)
    {
        HttpResponseMessage response = await SendRawAsync(path);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Dot segments (literal or percent-encoded dots) are resolved, and NUL bytes refused, by the server (Kestrel, like the
    /// Functions host) before routing, so such requests never reach the dashboard function: they land on whatever route the
    /// resolved path names (none here: 404) or are refused outright (400).
    /// </summary>
    [Theory]
    [InlineData("/api/dashboard/../../local.settings.sample.json")]
    [InlineData("/api/dashboard/vendor/../../../MeterToCash.Functions.dll")]
    [InlineData("/api/dashboard/%2e%2e/%2e%2e/local.settings.sample.json")]
    [InlineData("/api/dashboard/index.html%00.js")]
    public async Task Dashboard_DotSegmentsOrNul_AreRefusedBeforeRoutingAndServeNoFile(string path)
    {
        HttpResponseMessage response = await SendRawAsync(path);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("AzureWebJobsStorage", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.False(body is [(byte)'M', (byte)'Z', ..], "served an assembly");
    }

    async Task<HttpResponseMessage> SendRawAsync(string path)
    {
        using HttpClient anonymous = backend.Host.Client(key: null);
        Uri uri = new($"{backend.Host.BaseAddress.ToString().TrimEnd('/')}{path}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        HttpResponseMessage response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
