using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MeterToCash.Functions.Tests.Archive;
using MeterToCash.Tools;

namespace MeterToCash.Functions.Tests.Payments;

/// <summary>Customers, open items and signed channel calls for the payment tests, all through HTTP.</summary>
internal static class PaymentsKit
{
    public static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Now => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public static ChannelHttp Icbc(HttpClient anonymous) => new(anonymous, DemoChannels.Icbc, DemoChannels.IcbcSecret);

    public static ChannelHttp Counter(HttpClient anonymous) => new(anonymous, DemoChannels.Counter, DemoChannels.CounterSecret);

    /// <summary>A new customer in TA0001 named 陈小明, postpaid or prepaid, closed from <paramref name="closedOn"/> when given; answers its account number.</summary>
    public static async Task<string> CustomerAsync(HttpClient client, string paymentMode = "Postpaid", string? closedOn = null)
    {
        (string account, string meter) = CustomerJson.NextIds();
        JsonObject customer = CustomerJson.Residential(account, meter, "TA0001");
        customer["name"] = "陈小明";
        customer["paymentMode"] = paymentMode;
        if (closedOn is not null)
        {
            customer["closedOn"] = closedOn;
        }

        using HttpResponseMessage created = await client.PostAsync("api/customers", CustomerJson.Content(customer));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return account;
    }

    /// <summary>Opens an item of <paramref name="fen"/> on the account (a debit adjustment, master key): it is settled like a bill, oldest first.</summary>
    public static async Task DebitAsync(HttpClient admin, string account, string entryId, long fen)
    {
        using HttpResponseMessage posted = await admin.PostAsJsonAsync($"api/accounts/{account}/ledger/adjustments", new { entryId, amountFen = fen, reason = "test arrears" });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
    }

    public static string BankBody(string txn, string account, long fen, string? paidAt = null, string? channelDate = null) =>
        JsonSerializer.Serialize(new { channelTxnId = txn, accountNo = account, amountFen = fen, paidAt = paidAt ?? "2026-12-04T10:00:00+08:00", channelDate = channelDate ?? Today });

    public static async Task<(HttpStatusCode Status, string Body, bool Replayed)> SendAsync(ChannelHttp channel, HttpMethod method, string path, string? json)
    {
        using HttpResponseMessage response = await channel.SendAsync(method, path, json);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.TryGetValues("Idempotent-Replayed", out IEnumerable<string>? v) && v.Contains("true"));
    }

    public static async Task<JsonElement> OkAsync(ChannelHttp channel, HttpMethod method, string path, string? json)
    {
        (HttpStatusCode status, string body, _) = await SendAsync(channel, method, path, json);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path}: {(int)status} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> ProblemAsync(ChannelHttp channel, HttpMethod method, string path, string? json, HttpStatusCode expected, string code)
    {
        using HttpResponseMessage response = await channel.SendAsync(method, path, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected} {code}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>The account's ledger entries (function key).</summary>
    public static async Task<JsonElement[]> LedgerAsync(HttpClient client, string account)
    {
        using HttpResponseMessage response = await client.GetAsync($"api/accounts/{account}/ledger");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        JsonElement statement = JsonDocument.Parse(text).RootElement;
        return [.. statement.GetProperty("entries").EnumerateArray()];
    }

    /// <summary>A channel's journal of a date (function key).</summary>
    public static async Task<JsonElement> JournalAsync(HttpClient client, string channel, string day) =>
        JsonDocument.Parse(await client.GetStringAsync($"api/channels/{channel}/journal/{day}")).RootElement;

    /// <summary>Rows of the payment feature's transaction table, for "nothing written" checks.</summary>
    public static int TxnRows(string connectionString)
    {
        TableServiceClient service = new(connectionString);
        service.CreateTableIfNotExists("ChannelTxns");
        service.CreateTableIfNotExists("ChannelJournal");
        return service.GetTableClient("ChannelTxns").Query<TableEntity>(select: ["RowKey"]).Count() + service.GetTableClient("ChannelJournal").Query<TableEntity>(select: ["RowKey"]).Count();
    }

    /// <summary>
    /// Rows of the payment tables that concern <paramref name="mark"/> (an account number, or a unique part of a test's
    /// transaction ids): rows of <c>ChannelTxns</c> and <c>ChannelJournal</c> whose RowKey contains it or whose AccountNo is
    /// it. A "nothing written" check counting these is not disturbed by the minute sweep finishing other tests' stale
    /// transactions in the same tables.
    /// </summary>
    public static int TxnRows(string connectionString, string mark)
    {
        TableServiceClient service = new(connectionString);
        service.CreateTableIfNotExists("ChannelTxns");
        service.CreateTableIfNotExists("ChannelJournal");
        return new[] { "ChannelTxns", "ChannelJournal" }.Sum(table => service.GetTableClient(table).Query<TableEntity>(select: ["RowKey", "AccountNo"])
            .Count(row => row.RowKey.Contains(mark, StringComparison.Ordinal) || row.GetString("AccountNo") == mark));
    }

    public static HttpClient Anonymous(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Registers a kiosk (master key); answers its secret.</summary>
    public static async Task<string?> RegisterKioskAsync(HttpClient admin, string deviceId, bool enabled = true)
    {
        using HttpResponseMessage put = await admin.PutAsJsonAsync($"api/kiosks/{deviceId}", new { location = "营业厅一楼", @operator = "国网客服中心", enabled });
        string body = await put.Content.ReadAsStringAsync();
        Assert.True(put.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.TryGetProperty("secret", out JsonElement secret) ? secret.GetString() : null;
    }
}
