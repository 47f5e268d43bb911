using System.Net.Http.Headers;
using System.Text;
using MeterToCash.Domain.Payments;

namespace MeterToCash.Tools;

/// <summary>Signed channel requests over HTTP (<see cref="ChannelRequestSigner"/>), for tests, load drivers and the demo seed.</summary>
public sealed class ChannelHttp(HttpClient http, string channelId, string secret, TimeProvider? time = null)
{
    public string ChannelId => channelId;

    /// <summary>Sends a signed request; <paramref name="json"/> null sends no body.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? json, CancellationToken ct = default) =>
        SendBytesAsync(method, pathAndQuery, json is null ? null : Encoding.UTF8.GetBytes(json), "application/json", ct);

    /// <summary>Sends a signed request with raw body bytes and content type.</summary>
    public async Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken ct = default)
    {
        using HttpRequestMessage request = new(method, pathAndQuery.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        string path = "/" + pathAndQuery.TrimStart('/');
        foreach (KeyValuePair<string, string> header in ChannelRequestSigner.Headers(channelId, secret, (time ?? TimeProvider.System).GetUtcNow(), ChannelRequestSigner.NewNonce(), method.Method, path, body ?? []))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await http.SendAsync(request, ct);
    }
}
