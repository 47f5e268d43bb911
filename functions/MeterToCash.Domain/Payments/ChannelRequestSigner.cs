using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeterToCash.Domain.Payments;

/// <summary>
/// The request-signing scheme of the payment-channel contract (version <c>v1</c>), shared by the app (which verifies) and
/// by clients, tests and load drivers (which sign).
/// </summary>
/// <remarks>
/// String to sign: seven parts joined by LF, UTF-8: <c>v1</c>, the channel id, the Unix timestamp in seconds, the nonce,
/// the HTTP method in upper case, the path and query exactly as sent, and the lower-case hex SHA-256 of the raw body bytes
/// (of the empty string when there is no body). Signature: <c>v1=</c> + base64(HMAC-SHA256(secret bytes, string to sign)),
/// where the secret is the channel's base64 secret decoded to bytes.
/// </remarks>
public static class ChannelRequestSigner
{
    /// <summary>The channel id header.</summary>
    public const string ChannelHeader = "X-MTC-Channel";

    /// <summary>The Unix-seconds timestamp header.</summary>
    public const string TimestampHeader = "X-MTC-Timestamp";

    /// <summary>The nonce header.</summary>
    public const string NonceHeader = "X-MTC-Nonce";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-MTC-Signature";

    /// <summary>The prefix of a version-1 signature.</summary>
    public const string SignaturePrefix = "v1=";

    /// <summary>How far a request's timestamp may be from the server's clock, either way (inclusive): 300 s.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(300);

    /// <summary>
    /// True when a request timestamp (Unix seconds) is within <see cref="ClockSkew"/> of <paramref name="now"/>, both
    /// ends inclusive: at most 300 s old and at most 300 s ahead. A timestamp beyond the range of
    /// <see cref="DateTimeOffset"/> is outside.
    /// </summary>
    public static bool IsWithinClockSkew(long timestamp, DateTimeOffset now) =>
        timestamp >= DateTimeOffset.MinValue.ToUnixTimeSeconds()
        && timestamp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() <= ClockSkew;

    /// <summary>The lower-case hex SHA-256 of <paramref name="body"/> (empty: of the empty string).</summary>
    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>The string to sign, parts joined by LF.</summary>
    /// <param name="channelId">The channel id.</param>
    /// <param name="timestamp">Unix time in seconds.</param>
    /// <param name="nonce">The request's nonce.</param>
    /// <param name="method">HTTP method; upper-cased here.</param>
    /// <param name="pathAndQuery">Path and query exactly as sent, e.g. <c>/api/channels/bank/payments</c>.</param>
    /// <param name="body">The raw body bytes (empty when there is none).</param>
    public static string StringToSign(string channelId, long timestamp, string nonce, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        return string.Join('\n', "v1", channelId, timestamp.ToString(CultureInfo.InvariantCulture), nonce, method.ToUpperInvariant(), pathAndQuery, BodyHash(body));
    }

    /// <summary>The <c>X-MTC-Signature</c> value: <c>v1=</c> + base64 HMAC-SHA256 of the string to sign with the secret's bytes.</summary>
    /// <param name="secret">The channel secret as base64 text.</param>
    /// <param name="stringToSign">The output of <see cref="StringToSign"/>.</param>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static string Sign(string secret, string stringToSign) =>
        SignaturePrefix + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>
    /// The four headers of a signed request, for a client: <see cref="ChannelHeader"/>, <see cref="TimestampHeader"/>,
    /// <see cref="NonceHeader"/> and <see cref="SignatureHeader"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string channelId, string secret, DateTimeOffset now, string nonce, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        long timestamp = now.ToUnixTimeSeconds();
        string signature = Sign(secret, StringToSign(channelId, timestamp, nonce, method, pathAndQuery, body));
        return
        [
            new(ChannelHeader, channelId),
            new(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(NonceHeader, nonce),
            new(SignatureHeader, signature),
        ];
    }

    /// <summary>A fresh nonce: 32 lower-case hex characters from a cryptographic random source.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Whether <paramref name="signature"/> is the signature of <paramref name="stringToSign"/> under <paramref name="secret"/>,
    /// compared in constant time. False (never an exception) for a malformed signature or secret.
    /// </summary>
    public static bool Verify(string secret, string stringToSign, string? signature)
    {
        if (signature is null || !signature.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] presented = new byte[32];
        if (!Convert.TryFromBase64String(signature[SignaturePrefix.Length..], presented, out int length) || length != 32)
        {
            return false;
        }

        byte[] key = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret, key, out int keyLength))
        {
            return false;
        }

        byte[] expected = HMACSHA256.HashData(key.AsSpan(0, keyLength), Encoding.UTF8.GetBytes(stringToSign));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>Whether a nonce has the contract's shape: 16–64 characters of <c>[A-Za-z0-9-]</c>.</summary>
    public static bool IsNonce(string? nonce) =>
        nonce is { Length: >= 16 and <= 64 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Whether a channel id has the contract's shape: 3–32 characters of <c>[A-Z0-9-]</c>.</summary>
    public static bool IsChannelId(string? channelId) =>
        channelId is { Length: >= 3 and <= 32 } && channelId.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');
}
