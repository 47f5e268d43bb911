using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MeterToCash.Domain.Reconciliation;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;
using MeterToCash.Tools.Reconciliation;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// A bank day reconciled end to end against the LocalHost on Azurite: <c>payments</c> signed bank payments and the day
/// close, then a file of <c>lines</c> lines (the day's journal with one line dropped, the rest bank-only payments)
/// uploaded, matched and reported; next to the raw Azurite ceiling of the same storage work (the file's blob written and
/// read, one item row per transaction in 100-row transactions, 8 in flight).
/// </summary>
internal static class ReconciliationLoad
{
    public static async Task RunAsync(int lines, int payments)
    {
        Console.WriteLine($"Reconciliation load: {lines:N0} file lines, {payments:N0} of them our payments; {Environment.ProcessorCount} cores (shared with other builds: compare figures within this run)");
        await using Azurite azurite = await Azurite.StartAsync();
        Dictionary<string, string> settings = QuietTimers.AllOff();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "recon" + Guid.NewGuid().ToString("N")[..8], settings);
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(10);
        await ReferenceDataSeed.SeedAsync(host);
        int accounts = Math.Max(1, Math.Min(payments, 1_000));
        DemoUtility demo = new(accounts, seed: 7, areas: 1);
        await demo.SeedNetworkAsync(client);
        string csv = demo.ArchiveCsv();
        await BillingLoad.ImportArchiveAsync(client, csv, accounts);
        string[] accountNos = [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)])];

        DateOnly day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);
        string dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using HttpClient anonymous = new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        ChannelHttp bank = new(anonymous, DemoChannels.Icbc, DemoChannels.IcbcSecret);
        await Parallel.ForEachAsync(Enumerable.Range(0, payments), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            string body = JsonSerializer.Serialize(new { channelTxnId = $"RL{i:D7}", accountNo = accountNos[i % accountNos.Length], amountFen = 1_000 + i, paidAt = $"{dayText}T12:00:00+08:00", channelDate = dayText });
            using HttpResponseMessage paid = await bank.SendAsync(HttpMethod.Post, "/api/channels/bank/payments", body);
            paid.EnsureSuccessStatusCode();
        });
        using (HttpResponseMessage closed = await bank.SendAsync(HttpMethod.Post, $"/api/channels/bank/days/{dayText}/close", null))
        {
            closed.EnsureSuccessStatusCode();
        }

        List<ChannelJournalEntry> journal = ReconFileCommand.ReadJournal(await client.GetByteArrayAsync($"api/channels/{DemoChannels.Icbc}/journal/{dayText}"));
        List<BankLine> bankLines = ReconDemo.BankLines(journal, day, new ReconPlants(Dropped: 1, Extra: Math.Max(0, lines - journal.Count + 1)));
        byte[] file = ReconFileWriter.Csv(DemoChannels.Icbc, day, bankLines);
        Console.WriteLine($"  {journal.Count:N0} journal entries; file of {bankLines.Count:N0} lines, {file.Length:N0} bytes");

        Stopwatch total = Stopwatch.StartNew();
        using ByteArrayContent content = new(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using HttpResponseMessage uploaded = await client.PostAsync("api/reconciliation/files", content);
        uploaded.EnsureSuccessStatusCode();
        double uploadMs = total.Elapsed.TotalMilliseconds;
        JsonElement report;
        do
        {
            await Task.Delay(200);
            report = JsonDocument.Parse(await client.GetStringAsync($"api/reconciliation/{DemoChannels.Icbc}/{dayText}")).RootElement;
        }
        while (report.GetProperty("status").GetString() is not ("AwaitingDecisions" or "Reconciled") || report.GetProperty("pending").GetBoolean());

        double matchedMs = total.Elapsed.TotalMilliseconds;
        Stopwatch reportTime = Stopwatch.StartNew();
        string csvReport = await client.GetStringAsync($"api/reconciliation/{DemoChannels.Icbc}/{dayText}?format=csv");
        double reportMs = reportTime.Elapsed.TotalMilliseconds;
        int differences = report.GetProperty("differenceCount").GetInt32();

        double ceilingMs = await CeilingAsync(azurite.ConnectionString, file, bankLines.Count + 1);
        Console.WriteLine("  lines | upload ms | uploaded→matched s | CSV report ms (rows) | differences | ceiling s | share of ceiling");
        Console.WriteLine($"  {bankLines.Count,5:N0} | {uploadMs,9:N0} | {matchedMs / 1000,18:N2} | {reportMs,8:N0} ({csvReport.Count(c => c == '\n'):N0}) | {differences,11:N0} | {ceilingMs / 1000,9:N2} | {ceilingMs / matchedMs,6:P0}");
    }

    /// <summary>The raw storage work of one match: the file's blob written and read, one row per item in 100-row transactions (8 in flight).</summary>
    static async Task<double> CeilingAsync(string connectionString, byte[] file, int items)
    {
        BlobContainerClient container = new(connectionString, "ceiling-recon");
        await container.CreateIfNotExistsAsync();
        TableClient table = new(connectionString, "CeilingReconItems");
        await table.CreateIfNotExistsAsync();
        Stopwatch watch = Stopwatch.StartNew();
        await container.GetBlobClient("file").UploadAsync(BinaryData.FromBytes(file), overwrite: true);
        _ = (await container.GetBlobClient("file").DownloadContentAsync()).Value.Content.ToArray();
        IEnumerable<TableTransactionAction[]> batches = Enumerable.Range(0, items)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"d|b-B{i:D9}-0")
            {
                ["ItemId"] = $"b-B{i:D9}-0", ["Class"] = "BankLong", ["BankRef"] = $"B{i:D9}", ["BankChannelTxnId"] = $"EXTRA-{i:D9}", ["BankAccountNo"] = "3101000000",
                ["BankAmountFen"] = 1_000L + i, ["BankType"] = "Pay", ["BankPaidAt"] = "2026-12-03T12:00:00.0000000+08:00", ["Location"] = $"line {i + 3}",
            }))
            .Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));
        return watch.Elapsed.TotalMilliseconds;
    }
}
