using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>
/// Hundreds of hostile, validly signed requests to the bank, counter and kiosk endpoints: bad JSON, wrong types, zero,
/// negative, huge and too-precise amounts, hostile strings in every field, oversized bodies, odd content types. Each is a
/// 4xx problem with its code, never a 500, and nothing is written.
/// </summary>
[Collection(BackendCollection.Name)]
public class HostileRequestTests(BackendFixture backend)
{
    static readonly string[] HostileStrings =
    [
        "", " ", "' OR 1=1 --", "\"; DROP TABLE Ledger; --", "../../etc/passwd", "<script>alert(1)</script>", "PartitionKey eq 'x'",
        "t|x", "a/b", "a#b", "a?b", "\u0000", "line\r\nX-Injected: 1", "\u202Eevil", "😀😀", new string('9', 10_000), "%00", "${jndi:ldap://x}",
        "ＡＢＣ", "１２３",
    ];

    [Fact]
    public async Task HostileRequests_AllFourHundredsWithCode_NothingWritten()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string device = "KIOSK-H" + Random.Shared.Next(100000, 999999);
        ChannelHttp bank = Icbc(anonymous), counter = Counter(anonymous), kiosk = new(anonymous, device, (await RegisterKioskAsync(admin, device))!);
        string account = await CustomerAsync(backend.Client);
        JsonObject bankBody = JsonNode.Parse(BankBody("H-" + account, account, 100))!.AsObject();
        JsonObject counterBody = JsonNode.Parse(BankBody("H-" + account, account, 100))!.AsObject();
        counterBody["cashierId"] = "C1";
        counterBody["tender"] = "Cash";
        JsonObject kioskBody = new() { ["deviceSeq"] = 1, ["accountNo"] = account, ["amountFen"] = 100, ["tender"] = "Cash", ["takenAt"] = Now };

        List<(ChannelHttp Channel, string Path, byte[] Body, string? ContentType, string? Code)> cases = [];
        foreach ((ChannelHttp channel, string path, JsonObject valid) in new[] { (bank, "/api/channels/bank/payments", bankBody), (counter, "/api/channels/counter/payments", counterBody), (kiosk, "/api/channels/kiosk/top-ups", kioskBody) })
        {
            // Bad JSON and non-objects.
            foreach (string bad in new[] { "{", "}", "[]", "null", "1", "\"x\"", "{\"a\":}", "{\"amountFen\":1,}", "{'amountFen':1}", "{\"amountFen\":NaN}", "{\"amountFen\":01}", "\uFEFF{", "{\"amountFen\":1e999999}", "tru", "{\"x\":" + new string('[', 100) })
            {
                cases.Add((channel, path, Encoding.UTF8.GetBytes(bad), "application/json", "invalid-request"));
            }

            // Wrong types, missing fields and unknown members.
            foreach (string field in valid.Select(p => p.Key).ToList())
            {
                foreach (JsonNode? wrong in new JsonNode?[] { JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(field is "amountFen" or "deviceSeq" ? "100" : (object)12345), null })
                {
                    JsonObject body = Clone(valid);
                    body[field] = wrong?.DeepClone();
                    cases.Add((channel, path, Bytes(body), "application/json", null));
                }

                JsonObject missing = Clone(valid);
                missing.Remove(field);
                cases.Add((channel, path, Bytes(missing), "application/json", "invalid-request"));
            }

            JsonObject extra = Clone(valid);
            extra["isAdmin"] = true;
            cases.Add((channel, path, Bytes(extra), "application/json", "invalid-request"));

            // Amounts: zero, negative, huge, too precise.
            foreach (string amount in new[] { "0", "-1", "-1000000000", "1000000001", "1e15", "12.5", "0.01", "100.000001", "79228162514264337593543950335", "1e300", "-0" })
            {
                JsonObject body = Clone(valid);
                body["amountFen"] = JsonNode.Parse(amount);
                cases.Add((channel, path, Bytes(body), "application/json", null));
            }

            // Hostile strings in every string field.
            foreach (string field in valid.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).Select(p => p.Key).ToList())
            {
                foreach (string hostile in HostileStrings)
                {
                    JsonObject body = Clone(valid);
                    body[field] = hostile;
                    cases.Add((channel, path, Bytes(body), "application/json", "invalid-request"));
                }
            }

            // Oversized body; odd content types.
            cases.Add((channel, path, Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}"), "application/json", "body-too-large"));
            foreach (string type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png" })
            {
                cases.Add((channel, path, Bytes(valid), type, "unsupported-media-type"));
            }
        }

        // Hostile route values.
        foreach (string hostile in new[] { "%27%20OR%201%3D1", "a%7Cb", new string('A', 65), "%F0%9F%98%80", "a%20b" })
        {
            cases.Add((bank, $"/api/channels/bank/payments/{hostile}/reversal", Encoding.UTF8.GetBytes("{\"reason\":\"x\"}"), "application/json", "invalid-request"));
            cases.Add((bank, $"/api/channels/bank/days/{hostile}/close", [], null, "invalid-request"));
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} hostile requests");
        int before = TxnRows(backend.StorageConnectionString);
        List<string> failures = [];
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            using HttpResponseMessage response = await c.Channel.SendBytesAsync(HttpMethod.Post, c.Path, c.Body.Length == 0 && c.ContentType is null ? null : c.Body, c.ContentType, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            int status = (int)response.StatusCode;
            string? code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonDocument.Parse(text).RootElement.GetProperty("code").GetString() : null;
            if (status is < 400 or > 499 || code is null || (c.Code is not null && code != c.Code))
            {
                lock (failures)
                {
                    failures.Add($"{c.Channel.ChannelId} {c.Path} {Preview(c.Body)} [{c.ContentType}] → {status} {text[..Math.Min(200, text.Length)]}");
                }
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} hostile requests misanswered:\n" + string.Join('\n', failures.Take(30)));
        Assert.Equal(before, TxnRows(backend.StorageConnectionString));
        Assert.Empty(await LedgerAsync(backend.Client, account));
    }

    static JsonObject Clone(JsonObject o) => o.DeepClone().AsObject();

    static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    static string Preview(byte[] body) => Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120));
}
