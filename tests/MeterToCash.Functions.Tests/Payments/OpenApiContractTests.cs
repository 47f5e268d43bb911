using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>
/// The served OpenAPI document against the running API: every operation's documented example is sent (signed as its
/// channel, or with the key its security names), and each answer's status is documented and its body valid against the
/// documented schema. The document cannot drift from the code without this failing.
/// </summary>
public class OpenApiContractTests
{
    [Fact]
    public async Task OpenApi_EveryDocumentedExample_AnswersValidAgainstItsSchema()
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite);
        using HttpClient client = host.Client();
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = PaymentsKit.Anonymous(host.BaseAddress);
        await ReferenceDataSeed.SeedAsync(host);
        DemoUtility demo = new(customers: 3, areas: 1);
        await demo.SeedNetworkAsync(client);
        using (HttpResponseMessage import = await client.PostAsync("api/archive/imports", new StringContent(demo.ArchiveCsv(), Encoding.UTF8, "text/csv")))
        {
            string importId = JsonDocument.Parse(await import.Content.ReadAsStringAsync()).RootElement.GetProperty("importId").GetString()!;
            await Archive.ImportClient.WaitAsync(client, importId, TimeSpan.FromMinutes(2));
        }

        using HttpResponseMessage served = await anonymous.GetAsync("api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        JsonObject document = JsonNode.Parse(await served.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("HMAC-SHA256", document["components"]!["securitySchemes"]!["channelSignature"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        string defs = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        using (HttpResponseMessage page = await anonymous.GetAsync("api/reference"))
        {
            Assert.Contains("/api/openapi.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        List<(string Path, string Method, JsonObject Operation)> operations = [.. document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key.ToUpperInvariant(), o.Value!.AsObject())))];
        // The registry first: the kiosk examples need the demo kiosk.
        operations = [.. operations.OrderBy(o => o.Operation["operationId"]!.GetValue<string>() == "PutKiosk" ? 0 : 1)];
        string? kioskSecret = null;
        int replayed = 0;
        foreach ((string path, string method, JsonObject operation) in operations)
        {
            string id = operation["operationId"]!.GetValue<string>();
            string url = path;
            foreach (JsonNode? parameter in operation["parameters"]?.AsArray() ?? [])
            {
                string name = parameter!["name"]!.GetValue<string>(), example = parameter["example"]!.GetValue<string>();
                url = parameter["in"]!.GetValue<string>() == "path" ? url.Replace("{" + name + "}", example, StringComparison.Ordinal) : $"{url}?{name}={example}";
            }

            string? body = operation["requestBody"]?["content"]?["application/json"]?["example"]?.ToJsonString();
            string security = operation["security"]![0]!.AsObject().Single().Key;
            string tag = operation["tags"]![0]!.GetValue<string>();
            using HttpResponseMessage response = security switch
            {
                "masterKey" => await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url.TrimStart('/')) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") }),
                "functionKey" => await client.GetAsync(url.TrimStart('/')),
                _ => await Channel(anonymous, tag, kioskSecret).SendAsync(new HttpMethod(method), url, body),
            };
            string text = await response.Content.ReadAsStringAsync();
            string status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(response.IsSuccessStatusCode, $"{id} {method} {url}: {status} {text}");
            JsonNode? documented = operation["responses"]![status];
            Assert.True(documented is not null, $"{id}: status {status} is not documented");
            string mediaType = response.Content.Headers.ContentType!.MediaType!;
            string schemaRef = documented!["content"]![mediaType]!["schema"]!["$ref"]!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            JsonSchema schema = JsonSchema.FromText($$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{defs}},"$ref":"{{schemaRef}}"}""");
            EvaluationResults results = schema.Evaluate(JsonDocument.Parse(text).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(results.IsValid, $"{id}: the answer does not match {schemaRef}: {text}\n{string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}");
            if (id == "PutKiosk")
            {
                kioskSecret = JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString();
            }

            replayed++;
        }

        Assert.True(replayed >= 14, $"only {replayed} operations documented");
    }

    static ChannelHttp Channel(HttpClient anonymous, string tag, string? kioskSecret) => tag switch
    {
        "Bank" => new ChannelHttp(anonymous, DemoChannels.Icbc, DemoChannels.IcbcSecret),
        "Counter" => new ChannelHttp(anonymous, DemoChannels.Counter, DemoChannels.CounterSecret),
        _ => new ChannelHttp(anonymous, DemoChannels.Kiosk, kioskSecret ?? throw new InvalidOperationException("The kiosk is not registered yet.")),
    };
}
