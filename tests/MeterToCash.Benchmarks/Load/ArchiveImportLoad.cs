using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// Bulk archive import, end to end: rows per second from POST of the CSV to the orchestration's completion, through
/// the durable pipeline on Azurite. Measured in the same run against two baselines on the same Azurite:
/// the raw batched-write ceiling (entity-group transactions of 100 customer-sized entities, no other work) and the
/// naive design (one upsert per row, same parallelism).
/// </summary>
internal static class ArchiveImportLoad
{
    const int Parallelism = 8;

    public static async Task RunAsync(int rows, int areas)
    {
        Console.WriteLine($"Archive import load: {rows:N0} rows over {areas} transformer areas; {Environment.ProcessorCount} cores");
        await using Azurite azurite = await Azurite.StartAsync();
        TableServiceClient tables = new(azurite.ConnectionString);
        string sampleServicePoints = SampleServicePointsJson();

        double ceiling = await RawBatchedWritesAsync(tables.GetTableClient("CeilingBatched"), rows, areas, sampleServicePoints);
        Console.WriteLine($"  raw Azurite batched writes (100/transaction, {Parallelism} in flight): {ceiling,10:N0} entities/s");

        double naive = await RawSingleWritesAsync(tables.GetTableClient("NaiveSingle"), rows, sampleServicePoints);
        Console.WriteLine($"  naive: one upsert per row ({Parallelism} in flight):               {naive,10:N0} rows/s");

        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "load" + Guid.NewGuid().ToString("N")[..8]);
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(5);
        DemoUtility demo = new(rows, seed: 99, areas: areas);
        await ReferenceDataSeed.SeedAsync(host);
        await demo.SeedNetworkAsync(client);

        string csv = demo.ArchiveCsv();
        Stopwatch clock = Stopwatch.StartNew();
        HttpResponseMessage started = await client.PostAsync("api/archive/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        started.EnsureSuccessStatusCode();
        string importId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("importId").GetString()!;
        JsonElement status;
        do
        {
            await Task.Delay(100);
            status = JsonDocument.Parse(await client.GetStringAsync($"api/archive/imports/{importId}")).RootElement;
        }
        while (status.GetProperty("status").GetString() is "Pending" or "Running");

        clock.Stop();
        int imported = status.GetProperty("rowsImported").GetInt32();
        if (status.GetProperty("status").GetString() != "Completed" || imported != rows)
        {
            throw new InvalidOperationException($"Import did not complete cleanly: {status}");
        }

        double pipeline = rows / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  durable import pipeline (POST → Completed, {clock.Elapsed.TotalSeconds:N1} s):   {pipeline,10:N0} rows/s");
        // Each row is three entities (account index, meter index, customer), so the ceiling is compared in entities.
        Console.WriteLine($"  pipeline entities/s (3 per row): {pipeline * 3:N0} = {pipeline * 3 / ceiling:P0} of the raw ceiling; pipeline / naive: {pipeline / naive:N1}× rows/s");
    }

    static async Task<double> RawBatchedWritesAsync(TableClient table, int rows, int areas, string servicePoints)
    {
        await table.CreateIfNotExistsAsync();
        IEnumerable<TableEntity[]> batches = Enumerable.Range(0, rows)
            .Select(i => Entity($"TA{i % areas:D4}", i, servicePoints))
            .GroupBy(e => e.PartitionKey)
            .SelectMany(g => g.Chunk(100))
            .ToList();
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
        return rows / clock.Elapsed.TotalSeconds;
    }

    static async Task<double> RawSingleWritesAsync(TableClient table, int rows, string servicePoints)
    {
        await table.CreateIfNotExistsAsync();
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
            await table.UpsertEntityAsync(Entity($"TA{i % 40:D4}", i, servicePoints), TableUpdateMode.Replace, ct));
        return rows / clock.Elapsed.TotalSeconds;
    }

    // Same shape and size as a stored customer, so the baselines move the same bytes.
    static TableEntity Entity(string partition, int i, string servicePoints) => new(partition, (3100000000L + i).ToString(CultureInfo.InvariantCulture))
    {
        ["Name"] = "王伟有限公司",
        ["Class"] = "Residential",
        ["PaymentMode"] = "Postpaid",
        ["Phone"] = "13812345678",
        ["Address"] = "上海市浦东新区世纪大道1234号",
        ["Credit"] = "A",
        ["ServicePoints"] = servicePoints,
        ["UpdatedAt"] = DateTimeOffset.UtcNow,
    };

    static string SampleServicePointsJson() =>
        """[{"id":"SP1","address":"上海市浦东新区世纪大道1234号","supplyVoltageKv":0.22,"contractedCapacityKva":8,"areaCode":"TA0001","meters":[{"meterNo":"MTR000000001","manufacturer":"Linyang","ctRatio":1,"ptRatio":1,"registers":["ActiveImportTotal","ActiveImportPeak","ActiveImportValley"],"installDate":"2021-05-03"}],"tariffs":[{"tariffCode":"SH-RES-TOU","effectiveFrom":"2021-05-03"}]}]""";
}
