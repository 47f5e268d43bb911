using MeterToCash.Domain.Common;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace MeterToCash.Functions.Payments;

/// <summary>A channel request that passed verification: the channel and the raw body bytes it signed.</summary>
public sealed record VerifiedRequest(PaymentChannel Channel, byte[] Body);

/// <summary>
/// Verifies every channel request before anything else runs, in this order: the body within 64 KiB (413
/// <c>body-too-large</c>), the four signing headers present (<c>signature-missing</c>), the channel known
/// (<c>channel-unknown</c>), the timestamp within ±300 s of <see cref="TimeProvider"/> (<c>timestamp-out-of-window</c>),
/// the signature (<c>signature-invalid</c>, compared in constant time), the channel enabled (403 <c>channel-disabled</c>)
/// and of the endpoint's kind (403 <c>channel-not-permitted</c>), and last the nonce unused within 15 minutes
/// (<c>nonce-replayed</c>): only a request that proved its channel records its nonce, so nobody else can burn them.
/// </summary>
/// <remarks>
/// Nonces are rows of <c>ChannelNonces</c> (partition = channel, row = nonce) with an expiry; adding one that exists is a
/// replay unless the stored one expired (then it is taken over). The sweep deletes expired rows, so the table holds about
/// 15 minutes of requests. Neither secrets nor signatures are logged or answered.
/// </remarks>
public sealed class ChannelRequestVerifier(ChannelDirectory channels, PaymentStore store, TimeProvider time, ILogger<ChannelRequestVerifier> logger)
{
    public async Task<(VerifiedRequest? Request, ObjectResult? Problem)> VerifyAsync(HttpRequest request, ChannelKind kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] body;
        if (request.ContentLength > PaymentOptions.MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        try
        {
            using MemoryStream buffer = new();
            await RequestJson.CopyBoundedAsync(request.Body, buffer, PaymentOptions.MaxBodyBytes, ct);
            body = buffer.ToArray();
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge());
        }

        string? channelId = Header(request, ChannelRequestSigner.ChannelHeader), timestampText = Header(request, ChannelRequestSigner.TimestampHeader),
            nonce = Header(request, ChannelRequestSigner.NonceHeader), signature = Header(request, ChannelRequestSigner.SignatureHeader);
        List<string> missing = [.. new[] { (ChannelRequestSigner.ChannelHeader, channelId), (ChannelRequestSigner.TimestampHeader, timestampText), (ChannelRequestSigner.NonceHeader, nonce), (ChannelRequestSigner.SignatureHeader, signature) }
            .Where(h => string.IsNullOrEmpty(h.Item2)).Select(h => h.Item1)];
        if (missing.Count > 0)
        {
            return (null, Refuse(401, PaymentProblems.SignatureMissing, $"Missing header(s): {string.Join(", ", missing)}. Every channel request is signed (see the security scheme of /api/openapi.json)."));
        }

        PaymentChannel? channel = ChannelRequestSigner.IsChannelId(channelId) ? await channels.FindAsync(channelId!, ct) : null;
        if (channel is null)
        {
            logger.ChannelRefused(Safe(channelId), PaymentProblems.ChannelUnknown);
            return (null, Refuse(401, PaymentProblems.ChannelUnknown, "No channel has this id."));
        }

        DateTimeOffset now = time.GetUtcNow();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp)
            || !ChannelRequestSigner.IsWithinClockSkew(timestamp, now))
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.TimestampOutOfWindow);
            return (null, Refuse(401, PaymentProblems.TimestampOutOfWindow, string.Create(CultureInfo.InvariantCulture, $"X-MTC-Timestamp must be Unix seconds within ±{ChannelRequestSigner.ClockSkew.TotalSeconds:0} s of the server's clock (now {now.ToUnixTimeSeconds()}).")));
        }

        if (!ChannelRequestSigner.IsNonce(nonce))
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.SignatureInvalid);
            return (null, Refuse(401, PaymentProblems.SignatureInvalid, "X-MTC-Nonce must be 16–64 characters of [A-Za-z0-9-]."));
        }

        string stringToSign = ChannelRequestSigner.StringToSign(channel.Id, timestamp, nonce!, request.Method, PathAndQuery(request), body);
        if (!ChannelRequestSigner.Verify(channel.Secret, stringToSign, signature))
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.SignatureInvalid);
            return (null, Refuse(401, PaymentProblems.SignatureInvalid, "The signature does not match the request (string to sign: v1, channel, timestamp, nonce, method, path and query as sent, hex SHA-256 of the body; joined by LF)."));
        }

        if (!channel.Enabled)
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.ChannelDisabled);
            return (null, Refuse(403, PaymentProblems.ChannelDisabled, $"Channel {channel.Id} is disabled."));
        }

        if (channel.Kind != kind)
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.ChannelNotPermitted);
            return (null, Refuse(403, PaymentProblems.ChannelNotPermitted, $"Channel {channel.Id} is a {channel.Kind} channel; this endpoint is for {kind} channels."));
        }

        if (!await UseNonceAsync(channel.Id, nonce!, now, ct))
        {
            logger.ChannelRefused(channel.Id, PaymentProblems.NonceReplayed);
            return (null, Refuse(401, PaymentProblems.NonceReplayed, "This nonce was already used by the channel; sign every request with a new one."));
        }

        return (new VerifiedRequest(channel, body), null);
    }

    /// <summary>The path and query exactly as sent (the request line's target), falling back to the decoded path re-encoded.</summary>
    public static string PathAndQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return !string.IsNullOrEmpty(raw) && raw.StartsWith('/')
            ? raw
            : request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
    }

    /// <summary>Deletes nonce rows whose expiry has passed; answers how many.</summary>
    public async Task<int> PurgeNoncesAsync(CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        int purged = 0;
        await foreach (TableEntity row in store.Nonces.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            try
            {
                await store.Nonces.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, ct);
                purged++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Deleted meanwhile.
            }
        }

        return purged;
    }

    async Task<bool> UseNonceAsync(string channelId, string nonce, DateTimeOffset now, CancellationToken ct)
    {
        TableEntity row = new(channelId, nonce) { ["ExpiresAt"] = now + PaymentOptions.NonceLifetime };
        try
        {
            await store.Nonces.AddEntityAsync(row, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            NullableResponse<TableEntity> stored = await store.Nonces.GetEntityIfExistsAsync<TableEntity>(channelId, nonce, cancellationToken: ct);
            if (!stored.HasValue || stored.Value!.GetDateTimeOffset("ExpiresAt") >= now)
            {
                return false;
            }

            try
            {
                await store.Nonces.UpdateEntityAsync(row, stored.Value.ETag, TableUpdateMode.Replace, ct);
                return true;
            }
            catch (RequestFailedException again) when (again.Status is 404 or 412)
            {
                return false;
            }
        }
    }

    static string? Header(HttpRequest request, string name) => request.Headers.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) ? values.FirstOrDefault() : null;

    // A channel id from a request is logged only when it has the shape of one (no log injection).
    static string Safe(string? channelId) => ChannelRequestSigner.IsChannelId(channelId) ? channelId! : "(malformed)";

    static ObjectResult TooLarge() => PaymentProblems.Create(413, PaymentProblems.BodyTooLarge, $"The body may be at most {PaymentOptions.MaxBodyBytes:N0} bytes.", [new ValidationError("body", "max-size", $"At most {PaymentOptions.MaxBodyBytes:N0} bytes.")]);

    static ObjectResult Refuse(int status, string code, string detail) => PaymentProblems.Create(status, code, detail);
}
