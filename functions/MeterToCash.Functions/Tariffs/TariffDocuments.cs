using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeterToCash.Functions.Tariffs;

/// <summary>
/// The catalogue's JSON handling around the engine's schema (<see cref="Domain.Tariffs.TariffJson"/>): what is stored
/// per version, the canonical form that decides whether a republish is the same content, and the whole-tariff
/// document assembled from stored versions.
/// </summary>
internal static class TariffDocuments
{
    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>A JSON node written compactly, non-ASCII text kept readable (names are often Chinese).</summary>
    public static string Write(JsonNode node)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer, Compact))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the canonical form of what a publish fixes: the version object and the tariff-level
    /// name, kind, sample flag and note. Canonical = properties sorted by name, no whitespace, numbers as exact
    /// decimals without trailing zeros, so 0.50 and 0.5, or a reordered object, are the same content.
    /// </summary>
    public static string ContentHash(JsonObject body, JsonNode version)
    {
        JsonObject content = new()
        {
            ["kind"] = body["kind"]?.DeepClone(),
            ["name"] = body["name"]?.DeepClone(),
            ["sample"] = body["sample"]?.DeepClone() ?? false,
            ["sampleNote"] = body["sampleNote"]?.DeepClone(),
            ["version"] = version.DeepClone(),
        };
        using JsonDocument doc = JsonDocument.Parse(content.ToJsonString());
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer, new JsonWriterOptions { Indented = false }))
        {
            WriteCanonical(doc.RootElement, writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>
    /// The whole tariff in the engine's schema from its stored versions (ascending): id = code; name, sample flag and
    /// note from the latest version; every version's document as published.
    /// </summary>
    public static JsonObject Compose(string code, IReadOnlyList<PublishedVersion> versions)
    {
        PublishedVersion latest = versions[^1];
        JsonObject tariff = new()
        {
            ["id"] = code,
            ["name"] = latest.Name,
            ["kind"] = latest.Kind,
            ["sample"] = latest.Sample,
        };
        if (latest.SampleNote is not null)
        {
            tariff["sampleNote"] = latest.SampleNote;
        }

        tariff["versions"] = new JsonArray([.. versions.Select(v => JsonNode.Parse(v.Document))]);
        return tariff;
    }

    static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteCanonical(item, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number when element.TryGetDecimal(out decimal value):
                // G29 drops trailing zeros: 0.50 and 0.5 are one price.
                writer.WriteRawValue(value.ToString("G29", CultureInfo.InvariantCulture));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
