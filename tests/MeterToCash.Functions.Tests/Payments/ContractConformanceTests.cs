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
/// The contract (`payment-channels.md`) against the served document and the running API, where the example replay does
/// not reach: every path of the contract documented, 413 on every signed endpoint, the replay header, the kiosk secret
/// rotation and its codes.
/// </summary>
[Collection(BackendCollection.Name)]
public class ContractConformanceTests(BackendFixture backend)
{
    // Every endpoint the contract names, sections 1 and 4–7.
    static readonly (string Method, string Path)[] ContractEndpoints =
    [
        ("put", "/api/kiosks/{deviceId}"), ("post", "/api/kiosks/{deviceId}/secret"),
        ("get", "/api/channels/bank/accounts/{accountNo}"), ("post", "/api/channels/bank/payments"),
        ("post", "/api/channels/bank/payments/{channelTxnId}/reversal"), ("post", "/api/channels/bank/days/{channelDate}/close"),
        ("get", "/api/channels/kiosk/accounts/{accountNo}"), ("get", "/api/channels/kiosk/accounts"), ("post", "/api/channels/kiosk/top-ups"),
        ("post", "/api/channels/kiosk/sync"), ("get", "/api/channels/kiosk/receipts/{receiptNo}"),
        ("post", "/api/channels/counter/payments"), ("post", "/api/channels/counter/payments/{channelTxnId}/reversal"), ("post", "/api/channels/counter/close-outs"),
        ("get", "/api/channels/{channelId}/journal/{channelDate}"),
    ];

    [Fact]
    public async Task OpenApi_EveryContractEndpoint_Documented_SignedOnesWith413_PaymentsWithReplayHeader()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        JsonObject paths = JsonNode.Parse(await anonymous.GetStringAsync("api/openapi.json"))!["paths"]!.AsObject();

        foreach ((string method, string path) in ContractEndpoints)
        {
            Assert.True(paths[path]?[method] is not null, $"{method.ToUpperInvariant()} {path} is not in /api/openapi.json");
        }

        List<JsonObject> signed = [.. paths.SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject())).Where(o => o["security"]![0]!.AsObject().ContainsKey("channelSignature"))];
        Assert.Equal(12, signed.Count);
        Assert.All(signed, o => Assert.True(o["responses"]!["413"] is not null, $"{o["operationId"]} does not document 413 body-too-large"));
        foreach (string id in new[] { "BankPay", "CounterPay", "KioskTopUp", "BankReverse", "CounterReverse" })
        {
            JsonObject operation = signed.Single(o => o["operationId"]!.GetValue<string>() == id);
            Assert.True(operation["responses"]!["200"]!["headers"]?["Idempotent-Replayed"] is not null, $"{id} does not document Idempotent-Replayed");
        }
    }

    [Fact]
    public async Task Query_BodyOver64KiB_413BodyTooLarge()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string account = await CustomerAsync(backend.Client);
        using HttpResponseMessage response = await Icbc(anonymous).SendBytesAsync(HttpMethod.Get, $"/api/channels/bank/accounts/{account}", new byte[70_000], "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body-too-large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RotateKioskSecret_OldSecretRefused_NewAccepted_UnknownDevice404KioskNotFound()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string device = "KIOSK-R" + Random.Shared.Next(100000, 999999);
        string old = (await RegisterKioskAsync(admin, device))!;
        string account = await CustomerAsync(backend.Client);

        using HttpResponseMessage rotated = await admin.PostAsync($"api/kiosks/{device}/secret", null);
        JsonElement answer = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(device, answer.GetProperty("deviceId").GetString());
        string fresh = answer.GetProperty("secret").GetString()!;
        Assert.NotEqual(old, fresh);

        await ProblemAsync(new ChannelHttp(anonymous, device, old), HttpMethod.Get, $"/api/channels/kiosk/accounts/{account}", null, HttpStatusCode.Unauthorized, "signature-invalid");
        await OkAsync(new ChannelHttp(anonymous, device, fresh), HttpMethod.Get, $"/api/channels/kiosk/accounts/{account}", null);

        using HttpResponseMessage unknown = await admin.PostAsync("api/kiosks/KIOSK-NONE-0000/secret", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("kiosk-not-found", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        using HttpResponseMessage taken = await admin.PutAsync($"api/kiosks/{DemoChannels.Icbc}", new StringContent("""{"location":"x","operator":"y","enabled":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("channel-id-taken", JsonDocument.Parse(await taken.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }
}
