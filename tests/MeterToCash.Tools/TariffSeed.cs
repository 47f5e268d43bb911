using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeterToCash.Domain.Tariffs;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Tools;

/// <summary>
/// Publishes a tariff for every code the demo utility assigns (<see cref="DemoUtility.ArchiveCsv"/>), each built from
/// one of the engine's samples: still marked <c>"sample": true</c> with the sample's note, only the id set to the code.
/// Idempotent: a second run republishes the same content and gets 200.
/// </summary>
public static class TariffSeed
{
    /// <summary>Demo tariff code → the engine sample it is built from.</summary>
    public static IReadOnlyList<(string Code, string Sample)> DemoTariffs { get; } =
    [
        ("SH-RES-FLAT", "shanghai-residential-ladder"),
        ("SH-RES-TOU", "shanghai-residential-tou"),
        ("SH-COM-TOU", "commercial-tou"),
        ("SH-IND-2PART", "large-industrial-two-part"),
        ("SH-AGR", "agricultural"),
    ];

    /// <summary>PUTs each demo tariff's version with a client that sends the master key.</summary>
    /// <exception cref="HttpRequestException">A publish was refused (anything but 201 or 200).</exception>
    public static async Task SeedAsync(HttpClient masterKeyClient)
    {
        ArgumentNullException.ThrowIfNull(masterKeyClient);
        foreach ((string code, string sample) in DemoTariffs)
        {
            JsonObject document = Document(code, sample);
            string version = document["versions"]![0]!["version"]!.GetValue<string>();
            using HttpResponseMessage response = await masterKeyClient.PutAsync($"api/tariffs/{code}/versions/{version}", JsonContent.Create(document));
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                throw new HttpRequestException($"PUT tariff {code} version {version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
            }
        }
    }

    /// <summary>Seeds the demo tariffs into a LocalHost, with its master key.</summary>
    public static async Task SeedAsync(LocalHostProcess host)
    {
        ArgumentNullException.ThrowIfNull(host);
        using HttpClient client = host.Client(LocalHostProcess.MasterKey);
        await SeedAsync(client);
    }

    /// <summary>The document published for <paramref name="code"/>: the sample with its id replaced by the code.</summary>
    public static JsonObject Document(string code, string sample)
    {
        using Stream stream = typeof(TariffJson).Assembly.GetManifestResourceStream($"MeterToCash.Domain.Tariffs.Samples.{sample}.json")
            ?? throw new ArgumentException($"No sample tariff '{sample}'.", nameof(sample));
        JsonObject document = JsonNode.Parse(stream)!.AsObject();
        document["id"] = code;
        return document;
    }
}
