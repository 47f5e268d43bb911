using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// The one continuation-token wrapper of every list: the storage SDK's token, prefixed with the list's name and a
/// version and base64url-encoded. A token is checked before any storage call, so garbage, a token of another list or a
/// truncated token is a 400 <c>invalid-continuation-token</c> (<see cref="QueryRules.ContinuationToken"/>), and a
/// storage failure while paging is never mistaken for a bad token: it reaches <see cref="UnhandledErrors"/> as a 500.
/// A 16-bit check of the content catches a token that was cut or mistyped.
/// </summary>
public static class PagingToken
{
    const string Version = "v1";

    public static string Wrap(string list, string storageToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(list);
        ArgumentException.ThrowIfNullOrEmpty(storageToken);
        string content = $"{list}:{Version}:{storageToken}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{content}:{Check(content)}"));
    }

    public static bool TryUnwrap(string list, string token, out string? storageToken)
    {
        storageToken = null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        string prefix = $"{list}:{Version}:";
        int lastColon = text.LastIndexOf(':');
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || lastColon <= prefix.Length)
        {
            return false;
        }

        string content = text[..lastColon];
        if (!string.Equals(text[(lastColon + 1)..], Check(content), StringComparison.Ordinal))
        {
            return false;
        }

        storageToken = content[prefix.Length..];
        return true;
    }

    static string Check(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 2));
}
