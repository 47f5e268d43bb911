using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Simulator;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// Load rate and line loss of one day for many areas, end to end, next to the raw read ceiling of the same curve
/// entities. Setup: a demo network of <c>areas</c> transformer areas with master meters, <c>meters</c> customers per
/// area (archive import), and one day of 15-minute data for every meter and master meter through the ingestion API.
/// Then, in alternating rounds:
/// <list type="bullet">
/// <item><b>ceiling</b>: the driver reads every area-day partition of <c>MeterCurves{yyyyMMdd}</c> from Azurite with
/// the table SDK (8 queries in flight), no decoding, no computation;</item>
/// <item><b>line loss</b>: <c>POST /api/line-loss/evaluations</c> for the day (lookback 1 day, so it reads the same
/// partitions), polled until completed: archive reads, curve reads, decode, fold, line loss, stored results, alarms;</item>
/// <item><b>load rate</b>: <c>GET /api/areas/{area}/load-rate?day=</c> for every area, 8 requests in flight.</item>
/// </list>
/// </summary>
internal static class LineLossLoad
{
    const int InFlight = 8;

    public static async Task RunAsync(int areas, int metersPerArea, int rounds)
    {
        Console.WriteLine($"Load rate + line loss: {areas:N0} areas × {metersPerArea} customer meters + 1 master meter × 96 intervals, {rounds} rounds; {Environment.ProcessorCount} cores");
        await using Azurite azurite = await Azurite.StartAsync();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "load" + Guid.NewGuid().ToString("N")[..8], settings: new Dictionary<string, string>
        {
            ["Load__LineLossLookbackDays"] = "1",
            ["Load__LineLossSchedule"] = "0 0 0 1 1 *",
            ["Monitoring__SweepSchedule"] = "0 0 0 1 1 *",
            ["Vee__DailySchedule"] = "0 0 0 1 1 *",
        });
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(10);
        DemoUtility demo = new(areas * metersPerArea, seed: 99, areas: areas);
        await ReferenceDataSeed.SeedAsync(host);
        Stopwatch setup = Stopwatch.StartNew();
        await demo.SeedNetworkAsync(client);
        HttpResponseMessage started = await client.PostAsync("api/archive/imports", new StringContent(demo.ArchiveCsv(), Encoding.UTF8, "text/csv"));
        started.EnsureSuccessStatusCode();
        string importId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("importId").GetString()!;
        JsonElement status;
        do
        {
            await Task.Delay(500);
            status = JsonDocument.Parse(await client.GetStringAsync($"api/archive/imports/{importId}")).RootElement.Clone();
        }
        while (status.GetProperty("status").GetString() is "Pending" or "Running");
        Console.WriteLine($"  setup: network + {status.GetProperty("rowsImported").GetInt32():N0} customers imported in {setup.Elapsed.TotalSeconds:N1} s");

        DateOnly day = ChinaTime.LocalDay(DateTimeOffset.UtcNow).AddDays(-2);
        DateTimeOffset dayStart = ChinaTime.DayStart(day);
        int values = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, areas), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (a, ct) =>
        {
            string area = DemoUtility.AreaCode(a);
            List<IntervalReading> curve = [];
            for (int i = a - 1; i < areas * metersPerArea; i += areas)
            {
                SimulatedMeter meter = SimulatedMeter.Typical($"MTR{i:D9}", CustomerClass.Residential);
                curve.AddRange(CurveGenerator.Day(meter, day, 1));
            }

            curve.AddRange(Enumerable.Range(0, 96).Select(s => new IntervalReading(new MeterId(AreaSupply.MasterMeterNo(area)), MeterChannel.ActiveImport, dayStart.AddMinutes(15 * s), 15, 1m, EnergyUnit.Kwh, ReadingQuality.Valid)));
            using ByteArrayContent content = new(MeterReadingsJsonWriter.Write(curve, [], []));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await client.PostAsync("api/meter-readings", content, ct);
            response.EnsureSuccessStatusCode();
            Interlocked.Add(ref values, curve.Count);
        });
        Console.WriteLine($"  setup: {values:N0} values of {day:yyyy-MM-dd} ingested; total setup {setup.Elapsed.TotalSeconds:N1} s");

        TableClient curves = new TableServiceClient(azurite.ConnectionString).GetTableClient("MeterCurves" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        string[] codes = [.. Enumerable.Range(1, areas).Select(DemoUtility.AreaCode)];
        List<double> ceiling = [], lineLoss = [], loadRate = [];
        List<LoadCpu> ceilingCpu = [], lineLossCpu = [], loadRateCpu = [];
        for (int round = 0; round <= rounds; round++)
        {
            string phase = round == 0 ? "warm-up" : "measured";
            (double s, LoadCpu cpu, long entities) = await TimedAsync(azurite, host, () => CeilingAsync(curves, codes, day));
            Console.WriteLine($"  round {round} ({phase}) ceiling:   {s,6:N2} s = {areas / s,7:N0} areas/s ({entities:N0} entities; CPU {cpu.Per(areas, 0)} per area)");
            if (round > 0)
            {
                ceiling.Add(s);
                ceilingCpu.Add(cpu);
            }

            (s, cpu, _) = await TimedAsync(azurite, host, () => EvaluateAsync(client, day));
            Console.WriteLine($"  round {round} ({phase}) line loss: {s,6:N2} s = {areas / s,7:N0} areas/s (CPU {cpu.Per(areas, 0)} per area)");
            if (round > 0)
            {
                lineLoss.Add(s);
                lineLossCpu.Add(cpu);
            }

            (s, cpu, _) = await TimedAsync(azurite, host, () => LoadRatesAsync(client, codes, day));
            Console.WriteLine($"  round {round} ({phase}) load rate: {s,6:N2} s = {areas / s,7:N0} areas/s (CPU {cpu.Per(areas, 0)} per area)");
            if (round > 0)
            {
                loadRate.Add(s);
                loadRateCpu.Add(cpu);
            }
        }

        double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        double c = Median(ceiling), l = Median(lineLoss), r = Median(loadRate);
        Console.WriteLine($"  median: ceiling {areas / c:N0} areas/s; line loss {areas / l:N0} areas/s = {c / l:P0} of the ceiling; load rate {areas / r:N0} areas/s = {c / r:P0} of the ceiling");
    }

    static async Task<(double Seconds, LoadCpu Cpu, long Result)> TimedAsync(Azurite azurite, LocalHostProcess host, Func<Task<long>> work)
    {
        LoadCpu before = LoadCpu.Read(azurite, host);
        Stopwatch clock = Stopwatch.StartNew();
        long result = await work();
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, LoadCpu.Read(azurite, host) - before, result);
    }

    /// <summary>Every area-day partition read whole, entities counted, nothing decoded.</summary>
    static async Task<long> CeilingAsync(TableClient curves, string[] areas, DateOnly day)
    {
        long entities = 0;
        await Parallel.ForEachAsync(areas, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (area, ct) =>
        {
            string pk = area + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            long n = 0;
            await foreach (TableEntity _ in curves.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), cancellationToken: ct))
            {
                n++;
            }

            Interlocked.Add(ref entities, n);
        });
        return entities;
    }

    static async Task<long> EvaluateAsync(HttpClient client, DateOnly day)
    {
        HttpResponseMessage started = await client.PostAsJsonAsync("api/line-loss/evaluations", new { day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        started.EnsureSuccessStatusCode();
        string id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        while (true)
        {
            await Task.Delay(100);
            JsonElement status = JsonDocument.Parse(await client.GetStringAsync($"api/line-loss/evaluations/{id}")).RootElement.Clone();
            string state = status.GetProperty("status").GetString()!;
            if (state == "Completed")
            {
                return status.GetProperty("summary").GetProperty("computable").GetInt32();
            }

            if (state is not ("Pending" or "Running"))
            {
                throw new InvalidOperationException($"Line-loss evaluation ended {status}");
            }
        }
    }

    static async Task<long> LoadRatesAsync(HttpClient client, string[] areas, DateOnly day)
    {
        long points = 0;
        await Parallel.ForEachAsync(areas, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (area, ct) =>
        {
            using HttpResponseMessage response = await client.GetAsync($"api/areas/{area}/load-rate?day={day:yyyy-MM-dd}", ct);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref points);
        });
        return points;
    }
}
