using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using MeterToCash.Domain.Common;
using MeterToCash.Domain.MeterData;
using MeterToCash.Functions.Billing;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// Billing cycles, end to end on the LocalHost against Azurite: accounts per second from <c>POST /api/billing/cycles</c>
/// to the phase Review/Completed of every cycle, for several months in a row (each later month reads the bills of the
/// ones before), with the durable task hub on an Azurite of its own unless <c>--task-hub-storage shared</c>: Azurite scans
/// every queue message it holds on each receive and collects deleted messages every minute at a cost that grows with
/// all it holds, so a hub sharing it with the unconsumed bill-ready messages slows month after month, which a storage
/// account of its own (host.json's <c>durableTask.storageProvider.connectionName</c>) does not. Two baselines measured in the same run on the same Azurite and seeded
/// data: (a) the same cycle run with one account per activity (a second LocalHost with <c>Billing__AccountsPerBatch=1</c>
/// and no cap on the batches of a cycle, its own task hub, on an area of its own) and (b) the raw Azurite ceiling of the writes a bill makes, with no pipeline
/// around them: per account the bill entity (a real gzipped document), the notification message and the ledger
/// transaction (entry, id, head); per batch of <see cref="WritesBatch"/> accounts the batch outbox row's add and delete
/// and the due-index and cycle-record transactions. The ceiling is measured twice: into fresh tables, and into the app's
/// own tables as the cycles left them (a later period of the same accounts, each round's rows deleted after it), which
/// the gate uses: Azurite's cost of a write grows with the rows already in its table, and the cycle's writes meet tables
/// holding every account.
/// </summary>
internal static class BillingLoad
{
    /// <summary>Accounts in flight in the ceiling rounds: what the app runs at once, 16 activities (host.json) × 16 accounts in parallel in each (<c>Billing__AccountsInParallel</c>).</summary>
    const int Parallelism = 16 * 16;

    /// <summary>Accounts per batch in the ceiling rounds, as the app's default <c>Billing__AccountsPerBatch</c>.</summary>
    const int WritesBatch = 100;

    const int CeilingWarmupRounds = 2, CeilingRounds = 4;

    /// <summary>Meters per register document pushed while seeding (about 1.2 KB each; small documents, as each meter's register validation queries a table Azurite scans whole).</summary>
    const int MetersPerDocument = 250;

    const string BaselineArea = "TX0001", BaselineGroup = "BG-LOADBASE";

    /// <summary>The last period billed (and the baseline's): the cycles bill the months up to it, oldest first.</summary>
    static readonly DateOnly LastPeriodStart = new(2026, 10, 1);

    static string PeriodOf(DateOnly start) => start.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>NCRONTAB (seconds first): midnight of 1 January, so no timer lands in a measured phase.</summary>
    const string NotDuringTheRun = "0 0 0 1 1 *";

    /// <summary>
    /// Runs the benchmark: <paramref name="cycles"/> monthly cycles of every account (the months up to
    /// <see cref="LastPeriodStart"/>, oldest first, so each later one reads the bills of the ones before), each measured;
    /// the gate compares the best of them with the best ceiling round, as the ceiling's own rounds are compared.
    /// </summary>
    /// <param name="accountsPerBatch"><c>Billing__AccountsPerBatch</c> of the measured host; 0 leaves the app's default.</param>
    public static async Task RunAsync(int accounts, int areas, int baselineAccounts, int accountsPerBatch, int ceilingAccounts, int cycles, bool separateTaskHub, IReadOnlyDictionary<string, string> hostEnvironment)
    {
        DateOnly[] periodStarts = [.. Enumerable.Range(0, cycles).Select(k => LastPeriodStart.AddMonths(k - cycles + 1))];
        BillingOptions batching = new();
        if (accountsPerBatch > 0)
        {
            batching.AccountsPerBatch = accountsPerBatch;
        }

        if (hostEnvironment.TryGetValue("Billing__MaxBatchesPerCycle", out string? cap))
        {
            batching.MaxBatchesPerCycle = int.Parse(cap, CultureInfo.InvariantCulture);
        }

        string perActivity = $"{batching.AccountsPerBatchFor(accounts):N0} accounts per activity (Billing__AccountsPerBatch {batching.AccountsPerBatch}{(accountsPerBatch > 0 ? "" : ", the default")}, at most {batching.MaxBatchesPerCycle} batches per cycle)";
        Console.WriteLine($"Billing load: {accounts:N0} accounts (one meter each) over {areas} areas, {cycles} cycle(s) of every account, periods {PeriodOf(periodStarts[0])} to {PeriodOf(LastPeriodStart)}, {perActivity}, task hub on {(separateTaskHub ? "an Azurite of its own (CPU counted with the app's)" : "the app's Azurite")}; baseline (a) one account per activity on {baselineAccounts:N0} accounts, period {PeriodOf(LastPeriodStart)}; {Environment.ProcessorCount} cores{(hostEnvironment.Count == 0 ? "" : "; LocalHosts with " + string.Join(", ", hostEnvironment.Select(kv => kv.Key + "=" + kv.Value)))}");
        await using Azurite azurite = await Azurite.StartAsync();
        // The durable task hub on an Azurite of its own (a storage account of its own, host.json's
        // durableTask.storageProvider.connectionName), or on the app's.
        await using Azurite? hubStorage = separateTaskHub ? await Azurite.StartAsync() : null;
        Azurite[] storage = hubStorage is null ? [azurite] : [azurite, hubStorage];
        TableServiceClient tables = new(azurite.ConnectionString);
        QueueServiceClient queues = new(azurite.ConnectionString);
        Dictionary<string, string> settings = new(StringComparer.Ordinal)
        {
            ["Monitoring__SweepSchedule"] = NotDuringTheRun,
            ["Monitoring__OutboxSchedule"] = NotDuringTheRun,
            ["ReadingFiles__DropScanSchedule"] = NotDuringTheRun,
            ["Billing__CycleSchedule"] = NotDuringTheRun,
            ["LocalHost__CountStorageRequests"] = "true",
        };
        if (accountsPerBatch > 0)
        {
            settings["Billing__AccountsPerBatch"] = accountsPerBatch.ToString(CultureInfo.InvariantCulture);
        }

        if (hubStorage is not null)
        {
            settings["LocalHost__Durable__ConnectionName"] = "DurableTaskStorage";
            settings["DurableTaskStorage"] = hubStorage.ConnectionString;
        }

        foreach (KeyValuePair<string, string> pair in hostEnvironment)
        {
            settings[pair.Key] = pair.Value;
        }

        // Seeding (not measured): reference data, network, the archive import, the registers through the pipeline, the groups.
        Stopwatch seeding = Stopwatch.StartNew();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "bill" + Guid.NewGuid().ToString("N")[..8], settings);
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(10);
        using HttpClient admin = host.Client(LocalHostProcess.MasterKey);
        admin.Timeout = TimeSpan.FromMinutes(2);
        await ReferenceDataSeed.SeedAsync(host);
        DemoUtility demo = new(accounts, seed: 42, areas: areas);
        await demo.SeedNetworkAsync(client);
        await PutAsync(client, $"api/network/areas/{BaselineArea}", new { name = "台区 baseline", feederCode = "FD001", ratedKva = 630m });

        string baselineCsv = new DemoUtility(baselineAccounts, seed: 43, areas: 1).ArchiveCsv(accountOffset: accounts);
        baselineCsv = baselineCsv[(baselineCsv.IndexOf('\n') + 1)..].Replace("," + DemoUtility.AreaCode(1) + ",", "," + BaselineArea + ",", StringComparison.Ordinal);
        string csv = demo.ArchiveCsv() + baselineCsv;
        await ImportArchiveAsync(client, csv, accounts + baselineAccounts);
        Console.WriteLine($"  seeded archive: {accounts + baselineAccounts:N0} customers in {seeding.Elapsed.TotalSeconds:N0} s");

        Stopwatch registerClock = Stopwatch.StartNew();
        DateOnly[] midnights = [.. periodStarts, LastPeriodStart.AddMonths(1)];
        (int documents, int reads, int accepted, int quarantined) = await PushRegistersAsync(client, csv, midnights);
        Console.WriteLine($"  seeded registers through POST /api/meter-readings (the pipeline): {reads:N0} reads of {accounts + baselineAccounts:N0} meters at {string.Join(", ", midnights.Select(m => m.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))} 00:00 China time, {documents} documents of up to {MetersPerDocument:N0} meters, {registerClock.Elapsed.TotalSeconds:N0} s; {accepted:N0} accepted, {quarantined:N0} quarantined");

        List<string> mainGroups = [];
        string[] areaCodes = [.. Enumerable.Range(1, areas).Select(DemoUtility.AreaCode)];
        foreach ((string[] groupAreas, int g) in areaCodes.Chunk(49).Select((a, g) => (a, g)))
        {
            string code = $"BG-LOAD{g + 1:D2}";
            await PutAsync(client, $"api/billing-groups/{code}", new { name = "负荷测试抄表段 " + (g + 1), cycleDay = 1, areas = groupAreas });
            mainGroups.Add(code);
        }

        await PutAsync(client, $"api/billing-groups/{BaselineGroup}", new { name = "基线抄表段", cycleDay = 1, areas = new[] { BaselineArea } });
        Console.WriteLine($"  seeding took {seeding.Elapsed.TotalSeconds:N0} s in all (not measured); groups: {string.Join(", ", mainGroups)} + {BaselineGroup}");

        // The main host is stopped while the baseline and the ceiling run, so its idle queue polling is in neither.
        // Order: (a), the cycle, then (b).
        host.Kill();

        // (a) One activity per account: a second LocalHost, its own task hub, same Azurite and data.
        Dictionary<string, string> baselineSettings = new(settings, StringComparer.Ordinal) { ["Billing__AccountsPerBatch"] = "1", ["Billing__MaxBatchesPerCycle"] = "1000000" };
        CycleRun baseline;
        await using (LocalHostProcess perAccount = await LocalHostProcess.StartAsync(azurite, "base" + Guid.NewGuid().ToString("N")[..8], baselineSettings))
        {
            using HttpClient baseAdmin = perAccount.Client(LocalHostProcess.MasterKey);
            using HttpClient baseClient = perAccount.Client();
            baseline = await RunCyclesAsync(baseAdmin, baseClient, storage, perAccount, [BaselineGroup], LastPeriodStart);
        }

        Console.WriteLine($"  (a) one activity per account ({baselineAccounts:N0} accounts, fewer than the {accounts:N0} measured: compare per-account rates): {baseline.Rate,8:N0} accounts/s in {baseline.Took.TotalSeconds:N1} s; {baseline.Tally}; CPU per account {baseline.CpuPerAccount}");
        PrintRequests("(a)", baseline);

        // The cycles over every account, month after month, on the main host restarted (accounts per batch as the app's setting).
        await host.StartAsync();
        List<CycleRun> runs = [];
        foreach (DateOnly periodStart in periodStarts)
        {
            CycleRun run = await RunCyclesAsync(admin, client, storage, host, mainGroups, periodStart);
            runs.Add(run);
            Console.WriteLine($"  cycle {PeriodOf(periodStart)}, {run.Accounts:N0} accounts in {mainGroups.Count} group(s), POST → {string.Join("/", run.Phases)}: {run.Took.TotalSeconds:N1} s = {run.Rate,8:N0} accounts/s; {run.Tally}; CPU per account {run.CpuPerAccount}");
            if (run.Accounts != accounts)
            {
                Console.WriteLine($"  WARNING: the cycle counted {run.Accounts:N0} accounts, not {accounts:N0}");
            }

            PrintRequests($"cycle {PeriodOf(periodStart)}", run);
        }

        CycleRun main = runs.MaxBy(r => r.Rate)!;
        double medianCycle = Median([.. runs.Select(r => r.Rate)]);

        // (b) after the cycle, with the main host stopped again: Azurite keeps every queue's messages in one collection
        // and scans it on every receive, so the ceiling's messages, left in place, would slow the cycle's durable polling.
        host.Kill();

        // The raw ceiling of the writes a bill makes, with real bill documents of the baseline cycle.
        List<byte[]> documentsSample = await RealDocumentsAsync(tables);
        Console.WriteLine($"  bill documents as stored (gzipped JSON, {documentsSample.Count} of the baseline's): {documentsSample.Average(d => d.Length):N0} bytes on average");
        int ceilingSize = Math.Min(ceilingAccounts, accounts);
        (double freshCeiling, double freshMedian, LoadCpu freshCpu) = await CeilingRoundsAsync(azurite, tables, queues, ceilingSize, documentsSample, filled: false);
        long ceilingCount = (long)CeilingRounds * ceilingSize;
        Console.WriteLine(retriedWrites == 0 ? string.Empty : $"  ({retriedWrites} transactions of the ceiling rounds were retried by the SDK after their first attempt landed)");
        Console.WriteLine($"  (b) raw Azurite ceiling into fresh tables, per account: bill (document), queue message, ledger transaction (entry, id, head added); per {WritesBatch} accounts: batch outbox row add and delete, due-index and cycle-record transactions; {Parallelism} accounts in flight, {ceilingSize:N0} accounts per round: {freshCeiling,8:N0} accounts/s (median {freshMedian:N0}); CPU per account {freshCpu.Per(ceilingCount, 0)}");
        (double ceiling, double medianCeiling, LoadCpu ceilingCpu) = await CeilingRoundsAsync(azurite, tables, queues, ceilingSize, documentsSample, filled: true);
        Console.WriteLine($"  (b) raw Azurite ceiling into the app's tables as the cycles left them (Bills, Ledger, BillsDue, BillOutbox, BillingCycleBills, the bill-notifications queue), the same writes for a later period of the same accounts (the ledger head replaced, as from the second month on), each round's rows deleted after it (not timed): {ceiling,8:N0} accounts/s (median {medianCeiling:N0}); CPU per account {ceilingCpu.Per(ceilingCount, 0)}");
        Console.WriteLine($"    the gate uses this one: Azurite keeps each table's rows and indexes in arrays, and every insert, replace or delete moves or renumbers index entries across the whole table, so the same write costs more in a table of {accounts:N0} accounts' rows than in an empty one; the fresh-table ceiling is {freshCeiling / ceiling:N2}× it here");

        double ofCeiling = main.Rate / ceiling, timesBaseline = main.Rate / baseline.Rate;
        Console.WriteLine($"  cycles: best {main.Rate:N0} accounts/s of {string.Join(" / ", runs.Select(r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)))}; median {medianCycle:N0} against the ceiling's median {medianCeiling:N0}: {medianCycle / medianCeiling:P1}");
        Console.WriteLine($"  gate (best cycle against best ceiling round): {ofCeiling:P1} of the ceiling (≥ 50 %: {(ofCeiling >= 0.5 ? "met" : "not met")}), {timesBaseline:N1}× one activity per account (≥ 10×: {(timesBaseline >= 10 ? "met" : "not met")})");
        double cpuPerAccount = main.Cpu.Total.TotalMicroseconds / main.Accounts;
        Console.WriteLine($"  {Environment.ProcessorCount} cores would carry at most {Environment.ProcessorCount * 1e6 / cpuPerAccount:N0} accounts/s at that CPU cost; CPU use during the cycle {main.Cpu.Total.TotalSeconds / main.Took.TotalSeconds / Environment.ProcessorCount:P0} of the cores");
        double budget = Environment.ProcessorCount * 1e6 / 2_000;
        double storing = ceilingCpu.Total.TotalMicroseconds / ceilingCount;
        Console.WriteLine($"  aim 2,000 accounts/s ({(main.Rate >= 2_000 ? "met" : "not met")}): on {Environment.ProcessorCount} cores it allows {budget:N0} µs of CPU per account with every core busy; the writes alone took {storing:N0} µs of it in the ceiling rounds, leaving {budget - storing:N0} µs for the rest of the cycle, which took {cpuPerAccount - storing:N0} µs (Azurite {main.Cpu.Azurite.TotalMicroseconds / main.Accounts:N0} + LocalHost {main.Cpu.Host.TotalMicroseconds / main.Accounts:N0} + driver {main.Cpu.Driver.TotalMicroseconds / main.Accounts:N0} µs in all)");
    }

    /// <summary>
    /// The app's own storage requests of a cycle run per account, by table/queue and operation, as the LocalHost counted
    /// them (<c>LocalHost__CountStorageRequests</c>; the durable engine's requests are not among them): a count, not a
    /// timing, so it is the same on a busy machine.
    /// </summary>
    static void PrintRequests(string label, CycleRun run)
    {
        long total = run.Requests.Sum(r => r.Count);
        Console.WriteLine($"  {label} app storage requests: {total:N0} for {run.Accounts:N0} accounts = {(double)total / run.Accounts:N2} per account");
        foreach (RequestCount r in run.Requests.OrderByDescending(r => r.Count))
        {
            Console.WriteLine($"      {r.Service,-5} {r.Resource,-20} {r.Operation,-11} {r.Count,8:N0}  {(double)r.Count / run.Accounts,6:N2} per account");
        }
    }

    /// <summary>One kind of storage request the LocalHost counted (<c>GET /admin/storage-requests</c>).</summary>
    sealed record RequestCount(string Service, string Resource, string Operation, long Count);

    static async Task<IReadOnlyList<RequestCount>> RequestCountsAsync(HttpClient admin) =>
        await admin.GetFromJsonAsync<List<RequestCount>>("admin/storage-requests", new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];

    /// <summary>The requests counted between two readings, day-named tables (<c>MeterCurves20261001</c>…) taken together as <c>MeterCurves*</c>.</summary>
    static IReadOnlyList<RequestCount> Since(IReadOnlyList<RequestCount> after, IReadOnlyList<RequestCount> before) =>
        [.. after.Select(a => a with { Count = a.Count - (before.FirstOrDefault(b => b.Service == a.Service && b.Resource == a.Resource && b.Operation == a.Operation)?.Count ?? 0) })
            .Where(r => r.Count > 0)
            .GroupBy(r => (r.Service, Resource: DayNamed(r.Resource), r.Operation))
            .Select(g => new RequestCount(g.Key.Service, g.Key.Resource, g.Key.Operation, g.Sum(r => r.Count)))];

    static string DayNamed(string resource) =>
        resource.Length > 8 && resource[^8..].All(char.IsAsciiDigit) ? resource[..^8] + "*" : resource;

    static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A measured cycle run; <paramref name="HubAzurite"/> is the task hub's Azurite's share of <c>Cpu.Azurite</c> (zero when it shares the app's).</summary>
    sealed record CycleRun(int Accounts, TimeSpan Took, LoadCpu Cpu, TimeSpan HubAzurite, string Tally, IReadOnlyList<string> Phases, IReadOnlyList<RequestCount> Requests)
    {
        public double Rate => Accounts / Took.TotalSeconds;

        /// <summary>CPU per account of every process, with the task hub's Azurite's part named when it has one.</summary>
        public string CpuPerAccount => Cpu.Per(Accounts, 0) + (HubAzurite == TimeSpan.Zero ? string.Empty : $" (of Azurite's, the task hub's {HubAzurite.TotalMicroseconds / Accounts:N0} µs)");
    }

    /// <summary>Starts every group's cycle at once and waits until each is in Review or Completed.</summary>
    static async Task<CycleRun> RunCyclesAsync(HttpClient admin, HttpClient client, IReadOnlyList<Azurite> azurite, LocalHostProcess host, IReadOnlyList<string> groups, DateOnly periodStart)
    {
        IReadOnlyList<RequestCount> requestsBefore = await RequestCountsAsync(admin);
        LoadCpu before = LoadCpu.Read(azurite, host);
        TimeSpan hubBefore = azurite.Count > 1 ? azurite[1].CpuTime : TimeSpan.Zero;
        Stopwatch clock = Stopwatch.StartNew();
        List<string> ids = [];
        foreach (string group in groups)
        {
            using HttpResponseMessage started = await admin.PostAsJsonAsync("api/billing/cycles", new { group, period = PeriodOf(periodStart) });
            string body = await started.Content.ReadAsStringAsync();
            if (started.StatusCode != System.Net.HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Cycle of {group} did not start: {(int)started.StatusCode} {body}");
            }

            using JsonDocument json = JsonDocument.Parse(body);
            ids.Add(json.RootElement.GetProperty("id").GetString()!);
        }

        Dictionary<string, JsonElement> done = [];
        while (done.Count < ids.Count)
        {
            await Task.Delay(250);
            foreach (string id in ids.Where(i => !done.ContainsKey(i)))
            {
                using HttpResponseMessage polled = await client.GetAsync($"api/billing/cycles/{id}");
                if ((int)polled.StatusCode >= 500)
                {
                    // A status read that timed out on an overloaded machine: read it again on the next round.
                    Console.WriteLine($"  (poll of {id}: {(int)polled.StatusCode}, read again)");
                    continue;
                }

                JsonElement status = JsonDocument.Parse(await polled.Content.ReadAsStringAsync()).RootElement;
                string phase = status.GetProperty("phase").GetString()!, runtime = status.GetProperty("status").GetString()!;
                if (runtime is "Failed" or "Terminated")
                {
                    throw new InvalidOperationException($"Cycle {id} {runtime}: {status}\n{host.Output}");
                }

                if (phase is "Review" or "Completed" or "CompletedWithHeldBills")
                {
                    done[id] = status;
                }
            }
        }

        clock.Stop();
        LoadCpu used = LoadCpu.Read(azurite, host) - before;
        TimeSpan hubUsed = azurite.Count > 1 ? azurite[1].CpuTime - hubBefore : TimeSpan.Zero;
        int Sum(string name) => done.Values.Sum(s => s.GetProperty(name).GetInt32());
        string tally = $"{Sum("issued"):N0} issued, {Sum("held"):N0} held, {Sum("failed"):N0} failed, {Sum("remaining"):N0} remaining";
        IReadOnlyList<RequestCount> requests = Since(await RequestCountsAsync(admin), requestsBefore);
        return new CycleRun(Sum("accounts"), clock.Elapsed, used, hubUsed, tally, [.. done.Values.Select(s => s.GetProperty("phase").GetString()!).Distinct()], requests);
    }

    /// <summary>Warm-up and measured ceiling rounds; answers the best and median rate and the CPU of the measured rounds.</summary>
    static async Task<(double Best, double Median, LoadCpu Cpu)> CeilingRoundsAsync(Azurite azurite, TableServiceClient tables, QueueServiceClient queues, int accounts, IReadOnlyList<byte[]> documents, bool filled)
    {
        for (int round = 1; round <= CeilingWarmupRounds; round++)
        {
            await CeilingAsync(azurite, tables, queues, round, warmup: true, accounts, documents, filled);
        }

        List<double> rates = [];
        LoadCpu used = default;
        for (int round = 1; round <= CeilingRounds; round++)
        {
            (double rate, LoadCpu cpu) = await CeilingAsync(azurite, tables, queues, CeilingWarmupRounds + round, warmup: false, accounts, documents, filled);
            rates.Add(rate);
            used += cpu;
        }

        return (rates.Max(), Median(rates), used);
    }

    /// <summary>
    /// One ceiling round: the writes of <paramref name="accounts"/> bills. Into fresh tables of the round's own
    /// (<paramref name="filled"/> false: a first bill, the ledger head added; the tables deleted after the round), or into
    /// the app's own tables as the measured cycles left them (<paramref name="filled"/> true: a bill of a later period for
    /// the same accounts, its ledger entry and id rows added and the head replaced, as a cycle does from the second month
    /// on; the round's added rows deleted after it, untimed, so each round meets tables of the same size).
    /// </summary>
    static async Task<(double Rate, LoadCpu Cpu)> CeilingAsync(Azurite azurite, TableServiceClient tables, QueueServiceClient queues, int roundNumber, bool warmup, int accounts, IReadOnlyList<byte[]> documents, bool filled)
    {
        string round = (warmup ? "W" : "R") + roundNumber.ToString(CultureInfo.InvariantCulture);
        string Table(string app, string own) => filled ? app : own + round;
        TableClient bills = tables.GetTableClient(Table("Bills", "CeilBills")), cycle = tables.GetTableClient(Table("BillingCycleBills", "CeilCycle")), ledger = tables.GetTableClient(Table("Ledger", "CeilLedger")), due = tables.GetTableClient(Table("BillsDue", "CeilDue")), outbox = tables.GetTableClient(Table("BillOutbox", "CeilOutbox"));
        QueueClient notifications = queues.GetQueueClient(filled ? "bill-notifications" : "ceil-notifications-" + round.ToLowerInvariant());
        await Task.WhenAll(bills.CreateIfNotExistsAsync(), cycle.CreateIfNotExistsAsync(), ledger.CreateIfNotExistsAsync(), due.CreateIfNotExistsAsync(), outbox.CreateIfNotExistsAsync(), notifications.CreateIfNotExistsAsync());
        // A later period than the cycles billed (they end with 2026-10), one per round, so no key meets theirs or another round's.
        string period = filled ? new DateOnly(2027, roundNumber, 1).ToString("yyyyMMdd", CultureInfo.InvariantCulture) : "20261001";
        string entryKey = filled ? $"e{900_000_000_000L + roundNumber:D12}" : "e000000000001";
        string cycleId = "billing-BG-LOAD01-" + period;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        LoadCpu start = LoadCpu.Read(azurite, null);
        Stopwatch clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            string account = Account(i);
            string billId = $"{account}-{period}-r01", entryId = "charge:" + billId;
            long fen = Fen(i);
            if (i % WritesBatch == 0)
            {
                // The batch's due-index rows, before its charges, as BillLifecycle settles a batch.
                int[] batch = [.. Enumerable.Range(i, Math.Min(WritesBatch, accounts - i))];
                await due.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("20261219", $"{Account(a)}-{period}-r01")
                {
                    ["AccountNo"] = Account(a),
                    ["TariffCode"] = "SH-RES-TOU",
                    ["PeriodLastDay"] = "2026-10-31",
                })), ct);
            }

            if (i % WritesBatch == 0)
            {
                // The batch's outbox row, before its bills (deleted with the cycle records, after the sends).
                await outbox.AddEntityAsync(new TableEntity(cycleId, $"batch{i:D8}") { ["BillIds"] = string.Join(',', Enumerable.Range(i, Math.Min(WritesBatch, accounts - i)).Select(a => $"{Account(a)}-{period}-r01")) }, ct);
            }

            string message = $$"""{"billId":"{{billId}}","accountNo":"{{account}}","period":"2026-10-01/2026-11-01","totalFen":{{fen}},"dueDate":"2026-12-19","documentUrl":"/api/bills/{{billId}}/document"}""";
            await LandedOnceAsync(bills.AddEntityAsync(
                new TableEntity(account, period + "-r01|" + account)
                {
                    ["Document"] = documents[i % documents.Count],
                    ["Status"] = "Issued",
                    ["CycleId"] = cycleId,
                    ["TotalFen"] = fen,
                },
                ct));
            await notifications.SendMessageAsync(BinaryData.FromString(message), cancellationToken: ct);

            // As LedgerStore appends a first entry (its row keys): entry row, id row, head row (with its snapshot of the entry) added in one transaction.
            TableEntity entry = new(account, entryKey + "|" + account)
            {
                ["Sequence"] = 1L,
                ["EntryId"] = entryId,
                ["Kind"] = "Charge",
                ["AmountFen"] = fen,
                ["PostedAt"] = now.ToString("O", CultureInfo.InvariantCulture),
                ["CreditChangeFen"] = 0L,
                ["BillId"] = billId,
                ["IssuedOn"] = "2026-12-04",
                ["DueDate"] = "2026-12-19",
                ["Text"] = $"电费 2026-10-01–2026-10-31 (bill {billId})",
            };
            TableEntity id = new(account, "i" + Convert.ToBase64String(Encoding.UTF8.GetBytes(entryId)).TrimEnd('=').Replace('+', '-').Replace('/', '_'))
            {
                ["EntryId"] = entryId,
                ["Sequence"] = 1L,
            };
            TableEntity head = new(account, "head|" + account) { ["LastSequence"] = 1L, ["BalanceFen"] = fen, ["Entries"] = LedgerHeadSnapshot.Of([entry.Where(c => c.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")).ToDictionary(c => c.Key, c => c.Value)]) };
            await LandedOnceAsync(ledger.SubmitTransactionAsync(
                [new(TableTransactionActionType.Add, entry), new(TableTransactionActionType.Add, id), new(filled ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.Add, head)], ct));

            if (i % WritesBatch == WritesBatch - 1 || i == accounts - 1)
            {
                // The batch's outbox row deleted and its cycle records written, after its sends and charges (the batch's
                // last account stands for "after the batch").
                int first = i - (i % WritesBatch);
                try
                {
                    await outbox.DeleteEntityAsync(cycleId, $"batch{first:D8}", Azure.ETag.All, ct);
                }
                catch (Azure.RequestFailedException e) when (e.Status == 404)
                {
                    // With 256 accounts in flight the batch's last account can get here before its first added the row.
                }
                await cycle.SubmitTransactionAsync(Enumerable.Range(first, i - first + 1).Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(cycleId, Account(a))
                {
                    ["BillId"] = $"{Account(a)}-{period}-r01",
                    ["Status"] = "Issued",
                    ["TotalFen"] = Fen(a),
                    ["Reasons"] = "[]",
                })), ct);
            }
        });
        double rate = accounts / clock.Elapsed.TotalSeconds;
        LoadCpu cpu = LoadCpu.Read(azurite, null) - start;

        // As in the ingestion driver: each round starts from the same storage, not from the rounds before it.
        // The notification queues are left in place: deleting messages makes Azurite garbage-collect their extents later,
        // quadratically (a LokiJS index rebuild per extent), which would land in the cycle measured after the ceiling.
        if (filled)
        {
            await DeleteRoundRowsAsync(bills, cycle, ledger, due, accounts, period, entryKey, cycleId);
        }
        else
        {
            await Task.WhenAll(bills.DeleteAsync(), cycle.DeleteAsync(), ledger.DeleteAsync(), due.DeleteAsync(), outbox.DeleteAsync());
        }

        return (rate, cpu);
    }

    /// <summary>Deletes the rows a ceiling round added to the app's tables (its bills, ledger entry and id rows, due-index and cycle rows); the replaced heads stay.</summary>
    static async Task DeleteRoundRowsAsync(TableClient bills, TableClient cycle, TableClient ledger, TableClient due, int accounts, string period, string entryKey, string cycleId)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            string account = Account(i), entryId = $"charge:{account}-{period}-r01";
            string idKey = "i" + Convert.ToBase64String(Encoding.UTF8.GetBytes(entryId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            await bills.DeleteEntityAsync(account, period + "-r01|" + account, Azure.ETag.All, ct);
            await ledger.SubmitTransactionAsync([new(TableTransactionActionType.Delete, new TableEntity(account, entryKey + "|" + account)), new(TableTransactionActionType.Delete, new TableEntity(account, idKey))], ct);
        });
        foreach (int[] batch in Enumerable.Range(0, accounts).Chunk(WritesBatch))
        {
            await due.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("20261219", $"{Account(a)}-{period}-r01"))));
            await cycle.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(cycleId, Account(a)))));
        }
    }

    static int retriedWrites;

    /// <summary>
    /// An Add transaction that answers 409 was retried by the SDK after its first attempt landed (a timeout on a loaded
    /// machine): stored once, as the app's stores treat it. Counted and reported.
    /// </summary>
    static async Task LandedOnceAsync(Task transaction)
    {
        try
        {
            await transaction;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            Interlocked.Increment(ref retriedWrites);
        }
    }

    static string Account(int i) => (3100000000L + i).ToString(CultureInfo.InvariantCulture);

    static long Fen(int i) => 10_000 + i % 50_000;

    /// <summary>Up to 200 bill documents as the product stored them (the baseline cycle's bills).</summary>
    static async Task<List<byte[]>> RealDocumentsAsync(TableServiceClient tables)
    {
        List<byte[]> found = [];
        await foreach (TableEntity bill in tables.GetTableClient("Bills").QueryAsync<TableEntity>(select: ["Document"], maxPerPage: 200))
        {
            found.Add(bill.GetBinary("Document"));
            if (found.Count == 200)
            {
                break;
            }
        }

        return found.Count > 0 ? found : throw new InvalidOperationException("No stored bill to take a document from.");
    }

    internal static async Task ImportArchiveAsync(HttpClient client, string csv, int rows)
    {
        HttpResponseMessage started = await client.PostAsync("api/archive/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        string body = await started.Content.ReadAsStringAsync();
        if (!started.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Archive import refused: {(int)started.StatusCode} {body[..Math.Min(500, body.Length)]}");
        }

        string importId = JsonDocument.Parse(body).RootElement.GetProperty("importId").GetString()!;
        JsonElement status;
        do
        {
            await Task.Delay(500);
            status = JsonDocument.Parse(await client.GetStringAsync($"api/archive/imports/{importId}")).RootElement;
        }
        while (status.GetProperty("status").GetString() is "Pending" or "Running");

        if (status.GetProperty("status").GetString() != "Completed" || status.GetProperty("rowsImported").GetInt32() != rows)
        {
            throw new InvalidOperationException($"Archive import did not complete cleanly: {status}");
        }
    }

    /// <summary>
    /// Every meter's register reads at each of <paramref name="midnights"/> (total, the bands its archive flags name,
    /// reactive where flagged), the same advance every month, band advances adding up to the total's, pushed through the
    /// pipeline 250 meters a document.
    /// </summary>
    static async Task<(int Documents, int Reads, int Accepted, int Quarantined)> PushRegistersAsync(HttpClient client, string csv, IReadOnlyList<DateOnly> midnights)
    {
        List<byte[]> documents = [];
        int reads = 0;
        string[] header = csv[..csv.IndexOf('\n')].Split(',');
        int meterCol = Array.IndexOf(header, "meter_no"), registersCol = Array.IndexOf(header, "registers"), classCol = Array.IndexOf(header, "class");
        foreach (string[] chunk in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Chunk(MetersPerDocument))
        {
            List<RegisterReading> document = [];
            foreach (string line in chunk)
            {
                // DemoUtility's fields hold no commas (addresses and names are Chinese without separators).
                string[] f = line.Split(',');
                MeterId meter = new(f[meterCol]);
                int n = int.Parse(f[meterCol][3..], CultureInfo.InvariantCulture);
                string[] flags = f[registersCol].Split('|');
                // Meter-side advance per month: a few hundred kWh for residential meters (CT×PT 1); the larger
                // customers' CT×PT makes a small meter-side advance thousands of kWh on the primary side.
                decimal advance = f[classCol] switch { "Residential" => 150 + n % 300, "Agricultural" => 300 + n % 500, "Commercial" => 40 + n % 40, _ => 10 + n % 10 };
                decimal baseValue = 1_000 + n % 20_000;
                RegisterBand[] bands = [.. new[] { (RegisterBand.CriticalPeak, "ActiveImportCriticalPeak"), (RegisterBand.Peak, "ActiveImportPeak"), (RegisterBand.Flat, "ActiveImportFlat"), (RegisterBand.Valley, "ActiveImportValley") }
                    .Where(b => flags.Contains(b.Item2)).Select(b => b.Item1)];
                decimal bandBase = Math.Floor(baseValue / Math.Max(bands.Length, 1));
                decimal[] shares = [.. Enumerable.Range(0, bands.Length).Select(b => b < bands.Length - 1 ? Math.Floor(advance / bands.Length) : advance - ((bands.Length - 1) * Math.Floor(advance / bands.Length)))];
                for (int month = 0; month < midnights.Count; month++)
                {
                    DateTimeOffset at = ChinaTime.DayStart(midnights[month]);
                    document.Add(Read(meter, MeterChannel.ActiveImport, RegisterBand.Total, at, baseValue + (month * advance)));
                    for (int b = 0; b < bands.Length; b++)
                    {
                        document.Add(Read(meter, MeterChannel.ActiveImport, bands[b], at, bandBase + (month * shares[b])));
                    }

                    if (flags.Contains("ReactiveImport"))
                    {
                        document.Add(Read(meter, MeterChannel.ReactiveImport, RegisterBand.Total, at, (baseValue + (month * advance)) * 0.3m));
                    }
                }
            }

            reads += document.Count;
            documents.Add(MeterReadingsJsonWriter.Write([], document, []));
        }

        int accepted = 0, quarantined = 0;
        Lock counting = new();
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (document, ct) =>
        {
            using ByteArrayContent content = new(document);
            content.Headers.ContentType = new("application/json");
            using HttpResponseMessage response = await client.PostAsync("api/meter-readings", content, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Register push failed: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
            }

            using JsonDocument answer = JsonDocument.Parse(body);
            JsonElement counts = answer.RootElement.GetProperty("counts");
            lock (counting)
            {
                accepted += counts.GetProperty("accepted").GetInt32();
                quarantined += counts.GetProperty("quarantined").GetInt32();
            }
        });
        return (documents.Count, reads, accepted, quarantined);
    }

    static RegisterReading Read(MeterId meter, MeterChannel channel, RegisterBand band, DateTimeOffset at, decimal value) =>
        new(meter, channel, band, at, value, MeterChannels.UnitOf(channel), ReadingQuality.Valid, 8);

    static async Task PutAsync(HttpClient client, string url, object body)
    {
        using HttpResponseMessage response = await client.PutAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

}
