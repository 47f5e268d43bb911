using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// Meter-reading ingestion, end to end: interval values per second through HTTP push → parse → archive look-up → VEE →
/// packed day curves → month-to-date, on Azurite. Baselines measured in the same run on the same Azurite: the raw
/// batched-write ceiling for packed curve entities (96 values each, transactions of 100) and the naive design (one
/// table upsert per reading).
/// </summary>
internal static class IngestionLoad
{
    const int Parallelism = 8;

    /// <summary>
    /// Rounds before the measured ones. The driver's own JIT is still tiering up its SDK code for the first rounds, and on
    /// two cores the CPU it spends on that is taken from Azurite: one small round measured a ceiling a fifth lower.
    /// </summary>
    const int CeilingWarmupRounds = 3;

    /// <summary>Measured rounds; the best is the ceiling (warm rounds still differ by a quarter from one to the next).</summary>
    const int CeilingRounds = 5;

    public static async Task RunAsync(int meters, int days, int areas, int inFlight, int warmupDays, IReadOnlyDictionary<string, string> hostEnvironment)
    {
        Console.WriteLine($"Ingestion load: {meters:N0} meters × {days} day(s) × 96 values over {areas} areas, {inFlight} documents in flight; {Environment.ProcessorCount} cores{(hostEnvironment.Count == 0 ? "" : "; LocalHost with " + string.Join(", ", hostEnvironment.Select(kv => kv.Key + "=" + kv.Value)))}");
        await using Azurite azurite = await Azurite.StartAsync();
        TableServiceClient tables = new(azurite.ConnectionString);

        // The ceiling: one day's curves of every meter into a fresh day table per round, as the pipeline stores them,
        // after warm-up rounds (see CeilingWarmupRounds). The best measured round is the figure, so the pipeline is
        // compared with the most Azurite can do, not with a slow round.
        for (int round = 1; round <= CeilingWarmupRounds; round++)
        {
            await PackedCeilingAsync(tables, $"CeilingWarmup{round}", meters, areas);
        }

        List<double> rounds = [];
        LoadCpu ceilingStart = LoadCpu.Read(azurite, null);
        for (int round = 1; round <= CeilingRounds; round++)
        {
            rounds.Add(await PackedCeilingAsync(tables, $"CeilingCurves{round}", meters, areas));
        }

        LoadCpu ceilingCpu = LoadCpu.Read(azurite, null) - ceilingStart;

        double ceilingEntities = rounds.Max();
        Console.WriteLine($"  raw Azurite ceiling, packed curves (100/transaction, {Parallelism} in flight, best of {string.Join(" / ", rounds.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} entities/s): {ceilingEntities,9:N0} entities/s = {ceilingEntities * 96,11:N0} values/s");
        Console.WriteLine($"    CPU per value stored, ceiling rounds: {ceilingCpu.Per((long)CeilingRounds * meters * 96, 2)}");

        double naive = await NaiveAsync(tables.GetTableClient("NaiveReadings"), 20_000);
        Console.WriteLine($"  naive: one upsert per reading ({Parallelism} in flight):                  {naive,9:N0} values/s");

        // The timers that are not ingestion (the five-minute monitoring sweep and alarm-outbox drain, the per-minute
        // reading-file drop scan) would land in whichever window their minute falls in, and a sweep costs the same
        // whether it follows 40 s of ingestion or five minutes of it. They are set to fire once a year here, so the
        // windows measure ingestion alone; one sweep is measured on its own after the stream (--host-env overrides).
        Dictionary<string, string> settings = new(StringComparer.Ordinal)
        {
            ["Monitoring__SweepSchedule"] = NotDuringTheRun,
            ["Monitoring__OutboxSchedule"] = NotDuringTheRun,
            ["ReadingFiles__DropScanSchedule"] = NotDuringTheRun,
        };
        foreach (KeyValuePair<string, string> pair in hostEnvironment)
        {
            settings[pair.Key] = pair.Value;
        }

        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "ing" + Guid.NewGuid().ToString("N")[..8], settings);
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(5);
        DemoUtility demo = new(meters, seed: 42, areas: areas);
        await ReferenceDataSeed.SeedAsync(host);
        await demo.SeedNetworkAsync(client);
        await ImportArchiveAsync(client, demo);

        // A head-end delivers per concentrator: one document per transformer area and day. They are all written before the
        // clock starts (making them is not the pipeline's work) and pushed as one continuous stream in day order, as a
        // fleet of head-ends delivers: each day's documents start while the last of the day before are still running,
        // so no day ends with cores idle waiting for its slowest document. The stream is read in windows of one day's
        // worth of documents, in the order they complete: the first meets a cold meter directory, the next ones a
        // LocalHost whose JIT is still tiering up its hot paths, the rest the steady state.
        DateOnly firstDay = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-days);
        List<byte[]> documents = Enumerable.Range(0, days)
            .SelectMany(d => Enumerable.Range(0, areas).Select(area => MeterReadingsJson(meters, areas, area, firstDay.AddDays(d))))
            .ToList();
        long valuesPerWindow = (long)meters * 96;
        if (areas < 4 * inFlight)
        {
            Console.WriteLine($"  note: a window ({areas} documents) is short against {inFlight} in flight; its rate is rough (use --areas of at least {4 * inFlight})");
        }

        List<(TimeSpan At, LoadCpu Cpu, int Accepted)> marks = [(TimeSpan.Zero, LoadCpu.Read(azurite, host), 0)];
        Lock marking = new();
        int completed = 0, acceptedInWindow = 0;
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (document, ct) =>
        {
            using ByteArrayContent content = new(document);
            content.Headers.ContentType = new("application/json");
            HttpResponseMessage response = await client.PostAsync("api/meter-readings", content, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Push failed: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
            }

            using JsonDocument answer = JsonDocument.Parse(body);
            int accepted = answer.RootElement.GetProperty("counts").GetProperty("accepted").GetInt32();
            lock (marking)
            {
                acceptedInWindow += accepted;
                if (++completed % areas == 0)
                {
                    marks.Add((clock.Elapsed, LoadCpu.Read(azurite, host), acceptedInWindow));
                    acceptedInWindow = 0;
                }
            }
        });
        clock.Stop();
        await SweepAsync(client, azurite, host);

        List<double> warmWindows = [];
        LoadCpu steadyCpu = default;
        TimeSpan steadyTime = TimeSpan.Zero;
        for (int w = 1; w < marks.Count; w++)
        {
            TimeSpan took = marks[w].At - marks[w - 1].At;
            LoadCpu cpu = marks[w].Cpu - marks[w - 1].Cpu;
            double rate = valuesPerWindow / took.TotalSeconds;
            // A deployed instance runs for hours, so the sustained rate is read from the windows after the warm-up.
            if (w > Math.Max(1, warmupDays))
            {
                warmWindows.Add(rate);
                steadyCpu += cpu;
                steadyTime += took;
            }

            string phase = w == 1 ? "cold meter cache" : w <= warmupDays ? "warm-up" : "steady";
            Console.WriteLine($"  pipeline, window {w} ({phase}): {areas} documents, {valuesPerWindow:N0} values in {took.TotalSeconds:N1} s ({marks[w].Accepted:N0} accepted): {rate,11:N0} values/s; CPU {cpu.Per(valuesPerWindow, 2)}");
        }

        long total = valuesPerWindow * days;
        double pipeline = total / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  pipeline overall, cold window included: {pipeline:N0} values/s = {pipeline / (ceilingEntities * 96):P1} of the packed ceiling, {pipeline / naive:N0}× naive");
        if (warmWindows.Count > 0)
        {
            // Sustained: all steady windows as one span, values over time. Single windows are diagnostics: a window's
            // edges fall among documents still in flight, so its length is uncertain by up to inFlight documents.
            long steadyValues = valuesPerWindow * warmWindows.Count;
            double sustained = steadyValues / steadyTime.TotalSeconds;
            double median = warmWindows.Order().ElementAt(warmWindows.Count / 2);
            Console.WriteLine($"    CPU per value, steady windows: {steadyCpu.Per(steadyValues, 2)}; {Environment.ProcessorCount} cores would carry at most {Environment.ProcessorCount / steadyCpu.Total.TotalSeconds * steadyValues:N0} values/s at that cost");
            // The target as a CPU budget, next to what storing alone cost in the ceiling rounds: what is left of it is all
            // receiving, parsing, VEE, archiving and month-to-date may cost.
            double budget = Environment.ProcessorCount * 1e6 / 500_000;
            double storing = ceilingCpu.Total.TotalMicroseconds / ((double)CeilingRounds * meters * 96);
            Console.WriteLine($"    500,000 values/s on {Environment.ProcessorCount} cores allows {budget:N2} µs of CPU per value with every core busy; storing alone took {storing:N2} µs of it in the ceiling rounds, leaving {budget - storing:N2} µs for the rest of the pipeline, which took {steadyCpu.Total.TotalMicroseconds / steadyValues - storing:N2} µs");
            Console.WriteLine($"    median steady window: {median:N0} values/s = {median / (ceilingEntities * 96):P1} of the packed ceiling");
            Console.WriteLine($"  pipeline sustained ({warmWindows.Count} steady windows, {steadyValues:N0} values in {steadyTime.TotalSeconds:N1} s): {sustained:N0} values/s = {sustained / (ceilingEntities * 96):P1} of the packed ceiling, {sustained / naive:N0}× naive; target 500,000 values/s and 60 % of the ceiling: {(sustained >= 500_000 && sustained >= 0.6 * ceilingEntities * 96 ? "met" : "not met")}");
        }
    }

    /// <summary>NCRONTAB (seconds first): midnight of 1 January.</summary>
    const string NotDuringTheRun = "0 0 0 1 1 *";

    /// <summary>
    /// One monitoring sweep over everything the stream stored, started through the API as an operator would, with its
    /// time and CPU, and what that costs per second of ingestion at the default five-minute schedule.
    /// </summary>
    static async Task SweepAsync(HttpClient client, Azurite azurite, LocalHostProcess host)
    {
        LoadCpu before = LoadCpu.Read(azurite, host);
        Stopwatch clock = Stopwatch.StartNew();
        HttpResponseMessage started = await client.PostAsync("api/monitoring/sweeps", null);
        string id;
        using (JsonDocument accepted = JsonDocument.Parse(await started.Content.ReadAsStringAsync()))
        {
            id = accepted.RootElement.GetProperty("id").GetString()!;
        }

        JsonDocument status = JsonDocument.Parse(await client.GetStringAsync($"api/monitoring/sweeps/{id}"));
        while (status.RootElement.GetProperty("status").GetString() is "Pending" or "Running")
        {
            status.Dispose();
            await Task.Delay(100);
            status = JsonDocument.Parse(await client.GetStringAsync($"api/monitoring/sweeps/{id}"));
        }

        clock.Stop();
        LoadCpu used = LoadCpu.Read(azurite, host) - before;
        using JsonDocument final = status;
        string summary = final.RootElement.TryGetProperty("summary", out JsonElement s) && s.ValueKind == JsonValueKind.Object
            ? $"{s.GetProperty("areas").GetInt32()} areas, {s.GetProperty("meters").GetInt32():N0} meters"
            : "no summary";
        Console.WriteLine($"  one monitoring sweep after the stream ({final.RootElement.GetProperty("status").GetString()}, {summary}): {clock.Elapsed.TotalSeconds:N1} s, CPU Azurite {used.Azurite.TotalSeconds:N2} s + LocalHost {used.Host.TotalSeconds:N2} s; every 5 minutes that is {used.Total.TotalSeconds / 300 / Environment.ProcessorCount:P1} of the {Environment.ProcessorCount} cores");
    }

    static byte[] MeterReadingsJson(int meters, int areas, int area, DateOnly day) =>
        MeterReadingsJsonWriter.Write(Enumerable.Range(0, meters).Where(i => i % areas == area).SelectMany(i => Day(i, day)), [], []);


    static IEnumerable<IntervalReading> Day(int meterIndex, DateOnly day)
    {
        MeterId meter = new($"MTR{meterIndex:D9}");
        DateTimeOffset start = ChinaTime.DayStart(day);
        for (int slot = 0; slot < 96; slot++)
        {
            // Deterministic, plausible residential values 0.100–0.600 kWh with three decimals.
            decimal value = 0.1m + (((meterIndex * 7919) + (slot * 104729)) % 500) / 1000m;
            yield return new IntervalReading(meter, MeterChannel.ActiveImport, start.AddMinutes(15 * slot), 15, value, EnergyUnit.Kwh, ReadingQuality.Valid);
        }
    }

    static async Task ImportArchiveAsync(HttpClient client, DemoUtility demo)
    {
        HttpResponseMessage started = await client.PostAsync("api/archive/imports", new StringContent(demo.ArchiveCsv(), Encoding.UTF8, "text/csv"));
        string importId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("importId").GetString()!;
        while (JsonDocument.Parse(await client.GetStringAsync($"api/archive/imports/{importId}")).RootElement.GetProperty("status").GetString() is "Pending" or "Running")
        {
            await Task.Delay(200);
        }
    }

    static async Task<double> PackedCeilingAsync(TableServiceClient tables, string name, int meters, int areas)
    {
        TableClient table = tables.GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        List<TableEntity[]> batches = CeilingBatches(meters, areas);
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
        double rate = meters / clock.Elapsed.TotalSeconds;

        // Azurite keeps every entity in its JavaScript heap, and its garbage collections cost more the more it holds:
        // each round, and the pipeline after them, starts from the same storage rather than from the rounds before it.
        await table.DeleteAsync();
        return rate;
    }

    /// <summary>
    /// One day's curve entities of every meter, as the pipeline stores them (a full day of actual values packs to about
    /// 400 bytes; the <c>Meter</c> column; an Int32 revision), in transactions of 100 per area-day partition.
    /// </summary>
    internal static List<TableEntity[]> CeilingBatches(int meters, int areas)
    {
        byte[] curve = new byte[400];
        Random.Shared.NextBytes(curve);
        return Enumerable.Range(0, meters)
            .Select(i => new TableEntity($"TA{i % areas:D4}-20261125", $"MTR{i:D9}-AI") { ["Curve"] = curve, ["Meter"] = $"MTR{i:D9}", ["Revision"] = 1 })
            .GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
    }

    static async Task<double> NaiveAsync(TableClient table, int readings)
    {
        await table.CreateIfNotExistsAsync();
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, readings), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
            await table.UpsertEntityAsync(
                new TableEntity($"MTR{i / 96:D9}", (i % 96).ToString("D2", CultureInfo.InvariantCulture)) { ["Value"] = 0.25, ["Quality"] = "Valid" },
                TableUpdateMode.Replace, ct));
        double rate = readings / clock.Elapsed.TotalSeconds;
        await table.DeleteAsync();
        return rate;
    }
}
