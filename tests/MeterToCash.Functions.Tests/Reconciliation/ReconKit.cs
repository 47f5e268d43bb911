using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Functions.Tests.Infrastructure;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools.Reconciliation;
using static MeterToCash.Functions.Tests.Payments.PaymentsKit;

namespace MeterToCash.Functions.Tests.Reconciliation;

/// <summary>A bank day for the reconciliation tests, all through HTTP: signed payments, the day close, the bank's file, uploads, decisions, reports.</summary>
internal static class ReconKit
{
    public const string Channel = DemoChannels.Icbc;

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A LocalHost of a test's own, ready for a channel day: the reference data and a one-area network.</summary>
    public static async Task SeedOwnHostAsync(LocalHostProcess host, HttpClient client)
    {
        await ReferenceDataSeed.SeedAsync(host);
        await BackendFixture.SeedNetworkAsync(client, new DemoUtility(customers: 0, areas: 1));
    }

    /// <summary>
    /// Pays <paramref name="amounts"/> on <paramref name="day"/> (as <see cref="PayAsync"/>), closes the day and uploads
    /// the bank's CSV with <paramref name="plants"/>, which must be accepted (202); answers the file id and the bank lines.
    /// </summary>
    public static async Task<(string FileId, List<BankLine> Lines)> CloseAndUploadAsync(HttpClient client, ChannelHttp bank, DateOnly day, IReadOnlyList<string> accounts, IReadOnlyList<long> amounts, ReconPlants plants)
    {
        await PayAsync(bank, day, accounts, amounts);
        await CloseDayAsync(bank, day);
        List<BankLine> lines = await BankLinesAsync(client, day, plants);
        (HttpStatusCode status, JsonElement accepted) = await UploadAsync(client, Csv(day, lines), csv: true);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return (accepted.GetProperty("fileId").GetString()!, lines);
    }

    /// <summary>Takes <paramref name="amounts"/> as payments through the bank API on <paramref name="day"/>, each for one of <paramref name="accounts"/> in turn; answers the transaction ids.</summary>
    public static async Task<List<string>> PayAsync(ChannelHttp bank, DateOnly day, IReadOnlyList<string> accounts, IReadOnlyList<long> amounts)
    {
        List<string> ids = [];
        for (int i = 0; i < amounts.Count; i++)
        {
            string account = accounts[i % accounts.Count];
            string txn = string.Create(CultureInfo.InvariantCulture, $"RC{day:MMdd}-{account}-{i}");
            string paidAt = string.Create(CultureInfo.InvariantCulture, $"{Day(day)}T{9 + i:D2}:15:00+08:00");
            await OkAsync(bank, HttpMethod.Post, "/api/channels/bank/payments", BankBody(txn, account, amounts[i], paidAt, Day(day)));
            ids.Add(txn);
        }

        return ids;
    }

    public static Task<JsonElement> CloseDayAsync(ChannelHttp bank, DateOnly day) =>
        OkAsync(bank, HttpMethod.Post, $"/api/channels/bank/days/{Day(day)}/close", null);

    /// <summary>The channel's journal of the day, as the generator reads it (the journal endpoint's answer).</summary>
    public static async Task<List<ChannelJournalEntry>> JournalAsync(HttpClient client, DateOnly day) =>
        ReconFileCommand.ReadJournal(await client.GetByteArrayAsync($"api/channels/{Channel}/journal/{Day(day)}"));

    /// <summary>The bank's lines for the day's journal with <paramref name="plants"/>.</summary>
    public static async Task<List<BankLine>> BankLinesAsync(HttpClient client, DateOnly day, ReconPlants plants) =>
        ReconDemo.BankLines(await JournalAsync(client, day), day, plants);

    public static byte[] Csv(DateOnly day, IReadOnlyList<BankLine> lines) => ReconFileWriter.Csv(Channel, day, lines);

    public static byte[] Camt053(DateOnly day, IReadOnlyList<BankLine> lines) => ReconFileWriter.Camt(ReconFileFormat.Camt053, "6222000011112222", day, lines, openingFen: 1_000_000);

    /// <summary>Uploads a file: CSV as text/csv, anything else as application/xml with the channel and day in the query.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(HttpClient client, byte[] bytes, bool csv, DateOnly? day = null, string contentType = "")
    {
        using ByteArrayContent content = new(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType.Length > 0 ? contentType : csv ? "text/csv" : "application/xml");
        string query = day is { } d ? $"?channelId={Channel}&channelDate={Day(d)}" : string.Empty;
        using HttpResponseMessage response = await client.PostAsync("api/reconciliation/files" + query, content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<JsonElement> ReportAsync(HttpClient client, DateOnly day)
    {
        using HttpResponseMessage response = await client.GetAsync($"api/reconciliation/{Channel}/{Day(day)}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls the day's report until <paramref name="done"/> holds (90 s).</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, DateOnly day, Func<JsonElement, bool> done, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement report = default;
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage response = await client.GetAsync($"api/reconciliation/{Channel}/{Day(day)}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (done(report))
                {
                    return report;
                }
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{Channel} {Day(day)} did not become {what}: {report}");
        return report;
    }

    public static Task<JsonElement> WaitForStatusAsync(HttpClient client, DateOnly day, string status) =>
        WaitForAsync(client, day, r => r.GetProperty("status").GetString() == status && !r.GetProperty("pending").GetBoolean(), status);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> DecideAsync(HttpClient client, DateOnly day, string itemId, object decision)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync($"api/reconciliation/{Channel}/{Day(day)}/differences/{itemId}/decision", decision);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static int Count(JsonElement report, string @class) =>
        report.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("class").GetString() == @class).GetProperty("count").GetInt32();

    public static JsonElement[] Differences(JsonElement report) => [.. report.GetProperty("differences").EnumerateArray()];
}
