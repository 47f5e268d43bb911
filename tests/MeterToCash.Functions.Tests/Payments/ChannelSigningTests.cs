using System.Net;
using System.Text;
using Azure.Data.Tables;
using MeterToCash.Domain.Payments;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>Request verification through HTTP: each refusal has its code and writes nothing.</summary>
[Collection(BackendCollection.Name)]
public class ChannelSigningTests(BackendFixture backend)
{
    const string PayPath = "/api/channels/bank/payments";

    [Fact]
    public async Task SweepPayments_ExpiredNonces_PurgedAndLiveOnesKept()
    {
        TableClient nonces = new(backend.StorageConnectionString, "ChannelNonces");
        await nonces.CreateIfNotExistsAsync();
        string channel = "PURGE-" + Guid.NewGuid().ToString("N")[..12];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await nonces.AddEntityAsync(new TableEntity(channel, "expired-nonce-0001") { ["ExpiresAt"] = now.AddMinutes(-1) });
        await nonces.AddEntityAsync(new TableEntity(channel, "live-nonce-000001") { ["ExpiresAt"] = now.AddMinutes(10) });

        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        await Billing.BillingApi.FireTimerAsync(admin, "SweepPayments");

        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (Rows().Contains("expired-nonce-0001") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(["live-nonce-000001"], Rows());

        List<string> Rows() => [.. nonces.Query<TableEntity>($"PartitionKey eq '{channel}'").Select(row => row.RowKey)];
    }

    [Fact]
    public async Task Payment_BadSignatures_RefusedWithTheirCodes_NothingWritten()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string account = await CustomerAsync(backend.Client);
        int before = TxnRows(backend.StorageConnectionString, account);
        byte[] body = Encoding.UTF8.GetBytes(BankBody("SIG-" + account, account, 100));
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Missing: no headers at all, and each header left out.
        await AssertRefusedAsync(anonymous, Signed(body, now), drop: ChannelRequestSigner.SignatureHeader, HttpStatusCode.Unauthorized, "signature-missing", body);
        await AssertRefusedAsync(anonymous, Signed(body, now), drop: ChannelRequestSigner.NonceHeader, HttpStatusCode.Unauthorized, "signature-missing", body);
        // Wrong: another secret; a body changed after signing; the path signed differently.
        await AssertRefusedAsync(anonymous, Signed(body, now, secret: DemoChannels.CcbSecret), null, HttpStatusCode.Unauthorized, "signature-invalid", body);
        await AssertRefusedAsync(anonymous, Signed(body, now), null, HttpStatusCode.Unauthorized, "signature-invalid", Encoding.UTF8.GetBytes(BankBody("SIG-" + account, account, 999)));
        await AssertRefusedAsync(anonymous, Signed(body, now, path: "/api/channels/bank/payments?x=1"), null, HttpStatusCode.Unauthorized, "signature-invalid", body);
        await AssertRefusedAsync(anonymous, Signed(body, now, signature: "v1=" + new string('A', 43) + "="), null, HttpStatusCode.Unauthorized, "signature-invalid", body);
        // Expired or from the future (the exact ±300 s bounds: ChannelRequestSignerTests). Read the clock at each send: the
        // requests before take seconds on a loaded machine. 301 s old only gets older in flight; the future side allows
        // the request 30 s to arrive.
        await AssertRefusedAsync(anonymous, Signed(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301), null, HttpStatusCode.Unauthorized, "timestamp-out-of-window", body);
        await AssertRefusedAsync(anonymous, Signed(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 330), null, HttpStatusCode.Unauthorized, "timestamp-out-of-window", body);
        // Unknown channel; the counter calling the bank's endpoint.
        await AssertRefusedAsync(anonymous, Signed(body, now, channel: "BANK-NOPE"), null, HttpStatusCode.Unauthorized, "channel-unknown", body);
        await AssertRefusedAsync(anonymous, Signed(body, now, channel: DemoChannels.Counter, secret: DemoChannels.CounterSecret), null, HttpStatusCode.Forbidden, "channel-not-permitted", body);
        Assert.Equal(before, TxnRows(backend.StorageConnectionString, account));

        // A replayed nonce: the first use posts, the second is refused and posts nothing more.
        List<KeyValuePair<string, string>> once = Signed(body, now);
        using (HttpResponseMessage first = await SendAsync(anonymous, once, body))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        int afterFirst = TxnRows(backend.StorageConnectionString, account);
        await AssertRefusedAsync(anonymous, once, null, HttpStatusCode.Unauthorized, "nonce-replayed", body);
        Assert.Equal(afterFirst, TxnRows(backend.StorageConnectionString, account));
        Assert.Single(await LedgerAsync(backend.Client, account));
    }

    [Fact]
    public async Task Kiosk_Disabled_RefusedChannelDisabled()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string device = "KIOSK-D" + Random.Shared.Next(100000, 999999);
        string secret = (await RegisterKioskAsync(admin, device, enabled: false))!;
        string account = await CustomerAsync(backend.Client, "Prepaid");
        int before = TxnRows(backend.StorageConnectionString, account);
        ChannelHttp kiosk = new(anonymous, device, secret);
        await ProblemAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/top-ups", $$"""{"deviceSeq":1,"accountNo":"{{account}}","amountFen":5000,"tender":"Cash","takenAt":"{{Now}}"}""", HttpStatusCode.Forbidden, "channel-disabled");
        // A kiosk on the bank's endpoint: not its kind.
        Assert.Null(await RegisterKioskAsync(admin, device, enabled: true));
        await ProblemAsync(kiosk, HttpMethod.Get, $"/api/channels/bank/accounts/{account}", null, HttpStatusCode.Forbidden, "channel-not-permitted");
        Assert.Equal(before, TxnRows(backend.StorageConnectionString, account));
        Assert.Empty(await LedgerAsync(backend.Client, account));
    }

    static List<KeyValuePair<string, string>> Signed(byte[] body, long timestamp, string channel = DemoChannels.Icbc, string secret = DemoChannels.IcbcSecret, string path = PayPath, string? signature = null)
    {
        string nonce = ChannelRequestSigner.NewNonce();
        string signed = signature ?? ChannelRequestSigner.Sign(secret, ChannelRequestSigner.StringToSign(channel, timestamp, nonce, "POST", path, body));
        return
        [
            new(ChannelRequestSigner.ChannelHeader, channel),
            new(ChannelRequestSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ChannelRequestSigner.NonceHeader, nonce),
            new(ChannelRequestSigner.SignatureHeader, signed),
        ];
    }

    static async Task<HttpResponseMessage> SendAsync(HttpClient http, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, PayPath.TrimStart('/')) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (KeyValuePair<string, string> header in headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await http.SendAsync(request);
    }

    static async Task AssertRefusedAsync(HttpClient http, List<KeyValuePair<string, string>> headers, string? drop, HttpStatusCode status, string code, byte[] sendBody)
    {
        using HttpResponseMessage response = await SendAsync(http, headers.Where(h => h.Key != drop), sendBody);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"code\":\"{code}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoChannels.IcbcSecret, text, StringComparison.Ordinal);
    }
}
