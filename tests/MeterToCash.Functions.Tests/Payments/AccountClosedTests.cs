using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>Contract section 3: a payment to a closed account (销户, the archive's <c>closedOn</c>) is 422 <c>account-closed</c> on every channel, and nothing is written.</summary>
[Collection(BackendCollection.Name)]
public class AccountClosedTests(BackendFixture backend)
{
    static readonly string Yesterday = DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pay_ClosedAccount_422AccountClosedOnEveryChannel_NothingWritten()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string device = "KIOSK-C" + Random.Shared.Next(100000, 999999);
        ChannelHttp bank = Icbc(anonymous), counter = Counter(anonymous), kiosk = new(anonymous, device, (await RegisterKioskAsync(admin, device))!);
        string account = await CustomerAsync(backend.Client, "Prepaid", closedOn: Yesterday);

        JsonElement query = await OkAsync(bank, HttpMethod.Get, $"/api/channels/bank/accounts/{account}", null);
        Assert.Equal(Yesterday, query.GetProperty("closedOn").GetString());

        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("X1-" + account, account, 1_000), HttpStatusCode.UnprocessableEntity, "account-closed");
        string counterBody = JsonSerializer.Serialize(new { channelTxnId = "X2-" + account, accountNo = account, amountFen = 1_000, paidAt = Now, channelDate = Today, cashierId = "C1", tender = "Cash" });
        await ProblemAsync(counter, HttpMethod.Post, "/api/channels/counter/payments", counterBody, HttpStatusCode.UnprocessableEntity, "account-closed");
        string topUp = JsonSerializer.Serialize(new { deviceSeq = 1, accountNo = account, amountFen = 1_000, tender = "Cash", takenAt = Now });
        await ProblemAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/top-ups", topUp, HttpStatusCode.UnprocessableEntity, "account-closed");
        JsonElement synced = await OkAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/sync", $$"""{"transactions":[{{topUp}}]}""");
        JsonElement item = Assert.Single(synced.GetProperty("items").EnumerateArray());
        Assert.Equal(("Rejected", "account-closed"), (item.GetProperty("status").GetString(), item.GetProperty("code").GetString()));

        Assert.Empty(await LedgerAsync(backend.Client, account));
        Assert.DoesNotContain((await JournalAsync(backend.Client, DemoChannels.Icbc, Today)).GetProperty("lines").EnumerateArray(), l => l.GetProperty("accountNo").GetString() == account);
    }

    [Fact]
    public async Task Pay_AccountClosedAfterPayment_RepeatAnswersOriginal_NewPaymentRefused()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(backend.Client);
        string body = BankBody("Y1-" + account, account, 2_000);
        (HttpStatusCode status, string first, _) = await SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal(HttpStatusCode.OK, status);

        await CloseAsync(account, Today);

        (status, string again, bool replayed) = await SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal((HttpStatusCode.OK, first, true), (status, again, replayed));
        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("Y1-" + account, account, 2_001), HttpStatusCode.Conflict, "duplicate-transaction-differs");
        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("Y2-" + account, account, 2_000), HttpStatusCode.UnprocessableEntity, "account-closed");
        Assert.Single(await LedgerAsync(backend.Client, account));
    }

    // Closes the account through the archive API: read it with its ETag, send it back with closedOn.
    async Task CloseAsync(string account, string closedOn)
    {
        using HttpResponseMessage read = await backend.Client.GetAsync($"api/customers/{account}");
        JsonObject customer = JsonNode.Parse(await read.Content.ReadAsStringAsync())!.AsObject();
        customer["closedOn"] = closedOn;
        using HttpRequestMessage put = new(HttpMethod.Put, $"api/customers/{account}") { Content = Archive.CustomerJson.Content(customer) };
        put.Headers.IfMatch.Add(read.Headers.ETag!);
        using HttpResponseMessage updated = await backend.Client.SendAsync(put);
        Assert.True(updated.IsSuccessStatusCode, await updated.Content.ReadAsStringAsync());
    }
}
