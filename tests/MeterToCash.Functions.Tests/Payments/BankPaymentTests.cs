using System.Net;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>The bank API through HTTP: query, allocation, idempotency, reversal, day close and the journal.</summary>
[Collection(BackendCollection.Name)]
public class BankPaymentTests(BackendFixture backend)
{
    [Fact]
    public async Task QueryAndPay_ThreeOpenItems_OldestFirstThenCredit()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(backend.Client);
        await DebitAsync(admin, account, "A1", 10_000);
        await DebitAsync(admin, account, "A2", 20_000);
        await DebitAsync(admin, account, "A3", 30_000);

        JsonElement query = await OkAsync(bank, HttpMethod.Get, $"/api/channels/bank/accounts/{account}", null);
        Assert.Equal("陈*", query.GetProperty("maskedName").GetString());
        Assert.Equal("Postpaid", query.GetProperty("paymentMode").GetString());
        Assert.Equal(["A1", "A2", "A3"], query.GetProperty("arrears").EnumerateArray().Select(a => a.GetProperty("billId").GetString()));
        Assert.Equal(60_000, query.GetProperty("payableFen").GetInt64());
        Assert.DoesNotContain("陈小明", query.GetRawText(), StringComparison.Ordinal);

        // 350.00 yuan: A1 and A2 in full, 50.00 of A3.
        JsonElement paid = await OkAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("T1-" + account, account, 35_000));
        Assert.Equal("Posted", paid.GetProperty("status").GetString());
        Assert.Equal([("A1", 10_000L), ("A2", 20_000L)], paid.GetProperty("allocations").EnumerateArray().Take(2).Select(a => (a.GetProperty("billId").GetString()!, a.GetProperty("amountFen").GetInt64())));
        Assert.Equal(("A3", 5_000L), paid.GetProperty("allocations").EnumerateArray().Skip(2).Select(a => (a.GetProperty("billId").GetString()!, a.GetProperty("amountFen").GetInt64())).Single());
        Assert.Equal(0, paid.GetProperty("creditFen").GetInt64());

        // Overpayment: 300.00 against 250.00 open leaves 50.00 credit.
        JsonElement over = await OkAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("T2-" + account, account, 30_000));
        Assert.Equal(5_000, over.GetProperty("creditFen").GetInt64());
        Assert.Equal(5_000, over.GetProperty("balanceFen").GetInt64());
        JsonElement after = await OkAsync(bank, HttpMethod.Get, $"/api/channels/bank/accounts/{account}", null);
        Assert.Empty(after.GetProperty("arrears").EnumerateArray());
        Assert.Equal(5_000, after.GetProperty("balanceFen").GetInt64());

        // Money is conserved: what the allocations and credit took is what was paid.
        Assert.Equal(35_000, paid.GetProperty("allocations").EnumerateArray().Sum(a => a.GetProperty("amountFen").GetInt64()) + paid.GetProperty("creditFen").GetInt64());

        await ProblemAsync(bank, HttpMethod.Get, "/api/channels/bank/accounts/NOSUCH000", null, HttpStatusCode.NotFound, "account-not-found");
        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("T3-" + account, "NOSUCH000", 100), HttpStatusCode.NotFound, "account-not-found");
    }

    [Fact]
    public async Task Pay_SameIdSequentialAndConcurrent_OneEntryIdenticalAnswers_DifferentPayload409()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(backend.Client);
        string txn = "IDEM-" + account;
        string body = BankBody(txn, account, 12_345);

        (HttpStatusCode status, string first, bool replayed) = await SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(replayed);
        (status, string second, replayed) = await SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(replayed);
        Assert.Equal(first, second);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", body)));
        Assert.All(concurrent, r => Assert.Equal((HttpStatusCode.OK, first, true), r));

        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody(txn, account, 12_346), HttpStatusCode.Conflict, "duplicate-transaction-differs");
        var differing = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody(txn, account, 20_000 + i))));
        Assert.All(differing, r => Assert.Equal(HttpStatusCode.Conflict, r.Status));

        Assert.Single(await LedgerAsync(backend.Client, account));
        JsonElement journal = await JournalAsync(backend.Client, DemoChannels.Icbc, Today);
        Assert.Single(journal.GetProperty("lines").EnumerateArray(), l => l.GetProperty("key").GetString() == txn);
    }

    [Fact]
    public async Task Pay_ConcurrentDifferentTransactionsToOneAccount_AllLand()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp bank = Icbc(anonymous);
        string account = await CustomerAsync(backend.Client);
        var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody($"C{i}-{account}", account, 100 + i))));
        Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        JsonElement[] ledger = await LedgerAsync(backend.Client, account);
        Assert.Equal(30, ledger.Length);
        Assert.Equal(-Enumerable.Range(0, 30).Sum(i => 100L + i), ledger.Sum(e => e.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task Reverse_OnceTwiceUnknownAfterDayClose()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        // Its own bank day (a past date) so closing it disturbs no other test.
        ChannelHttp bank = new(anonymous, DemoChannels.Ccb, DemoChannels.CcbSecret);
        string day = "2026-01-" + Random.Shared.Next(10, 28).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string account = await CustomerAsync(backend.Client);
        await OkAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("R1-" + account, account, 5_000, channelDate: day));
        await OkAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("R2-" + account, account, 7_000, channelDate: day));

        JsonElement reversed = await OkAsync(bank, HttpMethod.Post, $"/api/channels/bank/payments/R1-{account}/reversal", """{"reason":"customer cancelled"}""");
        Assert.Equal("Reversed", reversed.GetProperty("status").GetString());
        (HttpStatusCode status, string again, bool replayed) = await SendAsync(bank, HttpMethod.Post, $"/api/channels/bank/payments/R1-{account}/reversal", """{"reason":"retry"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(replayed);
        Assert.Equal(reversed.GetRawText(), again);
        await ProblemAsync(bank, HttpMethod.Post, $"/api/channels/bank/payments/NOPE-{account}/reversal", """{"reason":"x"}""", HttpStatusCode.NotFound, "transaction-not-found");

        JsonElement[] ledger = await LedgerAsync(backend.Client, account);
        Assert.Equal(["Payment", "Payment", "Reversal"], ledger.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(-7_000, ledger.Sum(e => e.GetProperty("amountFen").GetInt64()));

        JsonElement closed = await OkAsync(bank, HttpMethod.Post, $"/api/channels/bank/days/{day}/close", null);
        Assert.True(closed.GetProperty("count").GetInt32() >= 2);
        Assert.True(closed.GetProperty("reversedCount").GetInt32() >= 1);
        Assert.Equal(closed.GetProperty("count").GetInt32() - closed.GetProperty("reversedCount").GetInt32(), closed.GetProperty("netCount").GetInt32());
        Assert.Equal(closed.GetProperty("amountFen").GetInt64() - closed.GetProperty("reversedFen").GetInt64(), closed.GetProperty("netFen").GetInt64());
        JsonElement closedAgain = await OkAsync(bank, HttpMethod.Post, $"/api/channels/bank/days/{day}/close", null);
        Assert.Equal(closed.GetRawText(), closedAgain.GetRawText());

        await ProblemAsync(bank, HttpMethod.Post, $"/api/channels/bank/payments/R2-{account}/reversal", """{"reason":"too late"}""", HttpStatusCode.Conflict, "reversal-window-closed");
        await ProblemAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("R3-" + account, account, 1_000, channelDate: day), HttpStatusCode.Conflict, "day-closed");
        // A repeat of a payment of the closed day still answers the original.
        (status, _, replayed) = await SendAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody("R2-" + account, account, 7_000, channelDate: day));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(replayed);

        JsonElement journal = await JournalAsync(backend.Client, DemoChannels.Ccb, day);
        Assert.Equal(closed.GetProperty("count").GetInt32(), journal.GetProperty("count").GetInt32());
        Assert.Equal(closed.GetProperty("amountFen").GetInt64(), journal.GetProperty("amountFen").GetInt64());
        Assert.Equal(3, await CountAsync(journal, account));
        Assert.Equal(3, (await LedgerAsync(backend.Client, account)).Length);
    }

    static Task<int> CountAsync(JsonElement journal, string account) =>
        Task.FromResult(journal.GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("accountNo").GetString() == account));
}
