using System.Net;
using System.Text.Json;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>Kiosk top-ups, offline sync, receipts; counter payments, close-out and the reversal after it.</summary>
[Collection(BackendCollection.Name)]
public class KioskAndCounterTests(BackendFixture backend)
{
    [Fact]
    public async Task Kiosk_TopUpSyncWithDuplicateAndGap_ReceiptsOnlyForOwnDevice()
    {
        using HttpClient admin = backend.Host.Client(LocalHostProcess.MasterKey);
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        string device = "KIOSK-T" + Random.Shared.Next(100000, 999999), other = device + "X";
        ChannelHttp kiosk = new(anonymous, device, (await RegisterKioskAsync(admin, device))!);
        ChannelHttp otherKiosk = new(anonymous, other, (await RegisterKioskAsync(admin, other))!);
        string account = await CustomerAsync(backend.Client, "Prepaid");

        JsonElement top = await OkAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/top-ups", TopUp(1, account, 5_000));
        Assert.Equal(5_000, top.GetProperty("balanceFen").GetInt64());
        Assert.Equal("营业厅一楼", top.GetProperty("location").GetString());
        string receipt = top.GetProperty("receiptNo").GetString()!;

        // Offline: 2 and 3 taken while offline, 1 again (a duplicate), 5 and 6 (4 never arrived).
        string sync = $$"""{"transactions":[{{TopUp(2, account, 1_000)}},{{TopUp(3, account, 2_000)}},{{TopUp(1, account, 5_000)}},{{TopUp(5, account, 500)}},{{TopUp(6, account, 500)}},{{TopUp(7, account, 0)}}]}""";
        JsonElement synced = await OkAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/sync", sync);
        Assert.Equal(["Posted", "Posted", "Duplicate", "Posted", "Posted", "Rejected"], synced.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()));
        Assert.Equal("amount-invalid", synced.GetProperty("items")[5].GetProperty("code").GetString());
        Assert.Equal([(4L, 4L)], synced.GetProperty("gaps").EnumerateArray().Select(g => (g.GetProperty("from").GetInt64(), g.GetProperty("to").GetInt64())));

        JsonElement query = await OkAsync(kiosk, HttpMethod.Get, $"/api/channels/kiosk/accounts/{account}", null);
        Assert.Equal(9_000, query.GetProperty("balanceFen").GetInt64());
        Assert.Equal("Prepaid", query.GetProperty("paymentMode").GetString());
        Assert.Equal(5, (await LedgerAsync(backend.Client, account)).Length);

        JsonElement reprint = await OkAsync(kiosk, HttpMethod.Get, $"/api/channels/kiosk/receipts/{receipt}", null);
        Assert.Equal(top.GetRawText(), reprint.GetRawText());
        await ProblemAsync(otherKiosk, HttpMethod.Get, $"/api/channels/kiosk/receipts/{receipt}", null, HttpStatusCode.NotFound, "receipt-not-found");
        await ProblemAsync(kiosk, HttpMethod.Post, "/api/channels/kiosk/top-ups", TopUp(1, account, 5_001), HttpStatusCode.Conflict, "duplicate-transaction-differs");

        // The journal keeps the kiosk's taken-at day, location and operator.
        JsonElement journal = await JournalAsync(backend.Client, device, Today);
        Assert.Equal(5, journal.GetProperty("count").GetInt32());
        Assert.All(journal.GetProperty("lines").EnumerateArray(), l => Assert.Equal("国网客服中心", l.GetProperty("operator").GetString()));
    }

    [Fact]
    public async Task Counter_PayCloseOutThenReverse_Refused()
    {
        using HttpClient anonymous = Anonymous(backend.Host.BaseAddress);
        ChannelHttp counter = Counter(anonymous);
        string account = await CustomerAsync(backend.Client);
        string cashier = "C" + account;
        await OkAsync(counter, HttpMethod.Post, "/api/channels/counter/payments", CounterBody("K1-" + account, account, 1_000, cashier, "Cash"));
        await OkAsync(counter, HttpMethod.Post, "/api/channels/counter/payments", CounterBody("K2-" + account, account, 2_000, cashier, "QrCode"));
        await OkAsync(counter, HttpMethod.Post, "/api/channels/counter/payments", CounterBody("K3-" + account, account, 4_000, cashier, "Cash"));
        await OkAsync(counter, HttpMethod.Post, $"/api/channels/counter/payments/K3-{account}/reversal", """{"reason":"wrong account"}""");

        string closeOut = JsonSerializer.Serialize(new { cashierId = cashier, channelDate = Today });
        JsonElement closed = await OkAsync(counter, HttpMethod.Post, "/api/channels/counter/close-outs", closeOut);
        Assert.Equal((3, 7_000L), (closed.GetProperty("count").GetInt32(), closed.GetProperty("amountFen").GetInt64()));
        Assert.Equal((1, 4_000L), (closed.GetProperty("reversedCount").GetInt32(), closed.GetProperty("reversedFen").GetInt64()));
        Assert.Equal((2, 3_000L), (closed.GetProperty("netCount").GetInt32(), closed.GetProperty("netFen").GetInt64()));
        Assert.Equal([("Cash", 1_000L), ("QrCode", 2_000L)], closed.GetProperty("byTender").EnumerateArray().Select(t => (t.GetProperty("tender").GetString()!, t.GetProperty("amountFen").GetInt64())));
        Assert.Equal(3, closed.GetProperty("transactions").GetArrayLength());
        Assert.Equal(closed.GetRawText(), (await OkAsync(counter, HttpMethod.Post, "/api/channels/counter/close-outs", closeOut)).GetRawText());

        await ProblemAsync(counter, HttpMethod.Post, $"/api/channels/counter/payments/K1-{account}/reversal", """{"reason":"after close-out"}""", HttpStatusCode.Conflict, "reversal-window-closed");
        await ProblemAsync(counter, HttpMethod.Post, "/api/channels/counter/payments", CounterBody("K4-" + account, account, 1_000, cashier, "Cash"), HttpStatusCode.Conflict, "day-closed");
        Assert.Equal(4, (await LedgerAsync(backend.Client, account)).Length);
    }

    static string TopUp(long seq, string account, long fen) =>
        JsonSerializer.Serialize(new { deviceSeq = seq, accountNo = account, amountFen = fen, tender = "Cash", takenAt = "2026-12-04T09:30:00+08:00" }).Replace("2026-12-04", Today, StringComparison.Ordinal);

    static string CounterBody(string txn, string account, long fen, string cashier, string tender) =>
        JsonSerializer.Serialize(new { channelTxnId = txn, accountNo = account, amountFen = fen, paidAt = Now, channelDate = Today, cashierId = cashier, tender });
}
