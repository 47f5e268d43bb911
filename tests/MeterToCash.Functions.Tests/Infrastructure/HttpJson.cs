using System.Net;
using System.Text.Json;

namespace MeterToCash.Functions.Tests.Infrastructure;

/// <summary>JSON answers the tests read over HTTP.</summary>
internal static class HttpJson
{
    /// <summary>GETs <paramref name="url"/>, asserts 200 (naming the URL, the status and the body otherwise) and returns the answer's root element.</summary>
    public static async Task<JsonElement> GetOkAsync(HttpClient client, string url)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        return await OkAsync(response, $"GET {url}");
    }

    /// <summary>Asserts that <paramref name="response"/> is 200 (naming <paramref name="request"/>, the status and the body otherwise) and returns its root element.</summary>
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, string request)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request}: {(int)response.StatusCode} {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
