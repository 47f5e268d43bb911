using System.Reflection;
using System.Text.Json;

namespace MeterToCash.Domain.Common;

/// <summary>
/// The reading every strict reference-data document shares (holiday calendars, tariffs): comments are skipped, trailing
/// commas refused, a document that is not JSON becomes one error at its JSON path with the line and byte (both counted
/// from 1), a property the schema does not know is named with the ones it expects, and the documents that ship inside an
/// assembly are found by their resource names.
/// </summary>
public static class StrictJson
{
    private const string Extension = ".json";

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false };

    /// <summary>Parses a UTF-8 JSON stream and reads its root element.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="read">Reads the root element into the result.</param>
    /// <param name="malformed">The result for a document that is not JSON: the JSON path reached and what is wrong.</param>
    public static TResult Load<TResult>(Stream utf8Json, Func<JsonElement, TResult> read, Func<string, string, TResult> malformed)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Parse(() => JsonDocument.Parse(utf8Json, Options), read, malformed);
    }

    /// <summary>Parses a JSON string and reads its root element.</summary>
    /// <param name="json">The document.</param>
    /// <param name="read">Reads the root element into the result.</param>
    /// <param name="malformed">The result for a document that is not JSON: the JSON path reached and what is wrong.</param>
    public static TResult Load<TResult>(string json, Func<JsonElement, TResult> read, Func<string, string, TResult> malformed)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(() => JsonDocument.Parse(json, Options), read, malformed);
    }

    /// <summary>
    /// The names of the JSON documents embedded in <paramref name="assembly"/> under the resource prefix
    /// <paramref name="prefix"/>, without the prefix and the ".json" extension, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> EmbeddedNames(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(prefix);
        return
        [
            .. assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal))
                .Select(n => n[prefix.Length..^Extension.Length])
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>Opens the embedded JSON document <paramref name="name"/> (see <see cref="EmbeddedNames"/>), or null when there is none.</summary>
    public static Stream? OpenEmbedded(Assembly assembly, string prefix, string name)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceStream(prefix + name + Extension);
    }

    /// <summary>
    /// The properties of the object <paramref name="element"/> that are not in <paramref name="allowed"/>, each as its
    /// JSON path (<c>{path}.{name}</c>) and the message naming the properties expected, in document order.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> UnknownProperties(JsonElement element, string path, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                yield return ($"{path}.{property.Name}", $"unknown property; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    private static TResult Parse<TResult>(Func<JsonDocument> parse, Func<JsonElement, TResult> read, Func<string, string, TResult> malformed)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(malformed);
        try
        {
            using JsonDocument document = parse();
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            return malformed(e.Path ?? "$", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
    }
}
