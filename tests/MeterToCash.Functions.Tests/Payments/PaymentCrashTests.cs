using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Functions.Ledger;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using static MeterToCash.Functions.Tests.Billing.BillingApi;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>
/// A bank payment whose host is SIGKILLed between two of its writes (after the claim, after the ledger entry, after the
/// journal line: the request is held there by the test hook <c>Payments__TestPauseAfter</c>), then restarted. After the
/// client's retry, or after the sweep without any retry, the payment is in the ledger and the journal exactly once (or, a
/// claim whose request died before the ledger and was never retried, in neither).
/// </summary>
public class PaymentCrashTests
{
    [Theory]
    [InlineData("claim")]
    [InlineData("ledger")]
    [InlineData("journal")]
    public async Task Pay_HostKilledAfterStep_RetryLeavesExactlyOnePayment(string step)
    {
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, settings: Settings(step));
        using HttpClient client = host.Client();
        using HttpClient anonymous = Anonymous(host.BaseAddress);
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 1));

        // With the client's retry.
        string account = await CustomerAsync(client);
        string txn = "CRASH-" + account, body = BankBody(txn, account, 8_800);
        Task<HttpResponseMessage> hung = Icbc(anonymous).SendAsync(HttpMethod.Post, "/api/channels/bank/payments", body);
        await WaitForStepAsync(azurite, step, account, txn);
        host.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => hung);
        await host.StartAsync();

        JsonElement answer = await OkAsync(Icbc(anonymous), HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal("Posted", answer.GetProperty("status").GetString());
        JsonElement again = await OkAsync(Icbc(anonymous), HttpMethod.Post, "/api/channels/bank/payments", body);
        Assert.Equal(answer.GetRawText(), again.GetRawText());
        Assert.Single(await LedgerAsync(client, account));
        Assert.Single((await JournalAsync(client, DemoChannels.Icbc, Today)).GetProperty("lines").EnumerateArray(), l => l.GetProperty("key").GetString() == txn);

        // Without a retry: the sweep finishes what the killed request left (or withdraws a bare claim).
        string quiet = await CustomerAsync(client);
        string quietTxn = "QUIET-" + quiet;
        Task<HttpResponseMessage> hungAgain = Icbc(anonymous).SendAsync(HttpMethod.Post, "/api/channels/bank/payments", BankBody(quietTxn, quiet, 4_400));
        await WaitForStepAsync(azurite, step, quiet, quietTxn);
        host.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => hungAgain);
        await host.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // older than Payments__PendingStaleSeconds
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        await FireTimerAsync(admin, "SweepPayments");
        TableClient txns = new(azurite.ConnectionString, "ChannelTxns");
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (txns.Query<TableEntity>($"PartitionKey eq '{DemoChannels.Icbc}' and RowKey eq 'p|{quietTxn}'").Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Empty(txns.Query<TableEntity>($"PartitionKey eq '{DemoChannels.Icbc}' and RowKey eq 'p|{quietTxn}'"));
        int inLedger = (await LedgerAsync(client, quiet)).Length;
        int inJournal = (await JournalAsync(client, DemoChannels.Icbc, Today)).GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("key").GetString() == quietTxn);
        Assert.Equal(step == "claim" ? 0 : 1, inLedger);
        Assert.Equal(inLedger, inJournal);
    }

    static Dictionary<string, string> Settings(string step) => new()
    {
        ["Payments__TestPauseAfter"] = step,
        ["Payments__PendingStaleSeconds"] = "2",
        ["Payments__SweepSchedule"] = "0 0 0 1 1 *", // fired by the test only
    };

    static async Task WaitForStepAsync(Azurite azurite, string step, string account, string txn)
    {
        TableServiceClient service = new(azurite.ConnectionString);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            bool done = step switch
            {
                "claim" => Exists(service, "ChannelTxns", $"PartitionKey eq '{DemoChannels.Icbc}' and RowKey eq 't|{txn}'"),
                "ledger" => Exists(service, "Ledger", $"PartitionKey eq '{account}' and RowKey eq '{LedgerStore.EntryRowKey(account, 1)}'"),
                _ => Exists(service, "ChannelJournal", $"RowKey eq '{txn}|P'"),
            };
            if (done)
            {
                await Task.Delay(300); // the request is now held in the pause after the step
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The payment did not reach step {step}.");
    }

    static bool Exists(TableServiceClient service, string table, string filter)
    {
        try
        {
            return service.GetTableClient(table).Query<TableEntity>(filter).Any();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
