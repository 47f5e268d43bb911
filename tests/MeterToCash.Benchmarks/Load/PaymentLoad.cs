using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MeterToCash.Tools;
using MeterToCash.Tools.LocalStack;

namespace MeterToCash.Benchmarks.Load;

/// <summary>
/// Signed bank payments over HTTP against the LocalHost on Azurite, at rising concurrency: payments/s, p50/p99 and CPU per
/// payment (<see cref="LoadCpu"/>), next to the raw Azurite ceiling of the same storage requests per payment measured in the
/// same run; then a paced run at 70 % of the best rate (its p99 is the gate's), the duplicate storm (1,000 concurrent
/// sends of one channelTxnId) and 500 concurrent payments to one account.
/// </summary>
/// <remarks>
/// The storage requests of one payment, as <c>PaymentPoster</c> makes them: a nonce insert; the archive's customer point
/// read (and the account index's, the first time an account is looked up); the claim (one 2-row transaction); the day row's point read; the ledger head's point read and
/// its append (one 3-row transaction, the head carrying the snapshot of the entries); the journal upsert; the completion (one merge + delete transaction). The ceiling
/// replays exactly these against tables of its own, with no HTTP, signing or JSON around them.
/// </remarks>
internal static class PaymentLoad
{
    public static async Task RunAsync(int accounts, int[] concurrencies, int perRound, int stormSize, int oneAccountSize, int[]? pacedPercents = null, int pacedRate = 0, int pacedSeconds = 30)
    {
        pacedPercents ??= [70];
        Console.WriteLine($"Payment load: {accounts:N0} accounts, concurrency {string.Join(", ", concurrencies)}, {perRound:N0} payments per round; {Environment.ProcessorCount} cores (shared with other builds: compare figures within this run)");
        await using Azurite azurite = await Azurite.StartAsync();
        Dictionary<string, string> settings = QuietTimers.AllOff();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(azurite, "pay" + Guid.NewGuid().ToString("N")[..8], settings);
        using HttpClient client = host.Client();
        client.Timeout = TimeSpan.FromMinutes(5);
        await ReferenceDataSeed.SeedAsync(host);
        DemoUtility demo = new(accounts, seed: 7, areas: 1);
        await demo.SeedNetworkAsync(client);
        string csv = demo.ArchiveCsv();
        await BillingLoad.ImportArchiveAsync(client, csv, accounts);
        string[] accountNos = [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)])];
        Console.WriteLine($"  seeded {accountNos.Length:N0} accounts");

        using HttpClient anonymous = new(new SocketsHttpHandler { MaxConnectionsPerServer = 2048, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        ChannelHttp bank = new(anonymous, DemoChannels.Icbc, DemoChannels.IcbcSecret);
        string day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int txn = 0;
        string NextBody(string account) => Body($"L{Interlocked.Increment(ref txn):D9}", account, 100 + (txn % 900), day);

        // Warm-up (not reported): JIT, connections, tables.
        await RoundAsync(bank, 8, 200, i => NextBody(accountNos[i % accountNos.Length]));

        double best = 0;
        Console.WriteLine("  concurrency | payments | payments/s | p50 ms | p99 ms | CPU per payment | Azurite's CPU, cores | ceiling payments/s | share of ceiling");
        foreach (int c in concurrencies)
        {
            TableCeiling ceiling = await TableCeiling.CreateAsync(azurite.ConnectionString, accountNos.Length);
            LoadCpu before = LoadCpu.Read(azurite, host);
            Result r = await RoundAsync(bank, c, perRound, i => NextBody(accountNos[i % accountNos.Length]));
            LoadCpu used = LoadCpu.Read(azurite, host) - before;
            await ceiling.RunAsync(c, Math.Min(perRound / 4, 100)); // warm-up of the ceiling's clients and tables, not counted
            double ceilingRate = await ceiling.RunAsync(c, perRound);
            best = Math.Max(best, r.Rate);
            Console.WriteLine($"  {c,11} | {r.Count,8:N0} | {r.Rate,10:N1} | {r.P50,6:N1} | {r.P99,6:N1} | {used.Per(r.Count, 0)} | {AzuriteCores(used, r),20:N2} | {ceilingRate,18:N1} | {r.Rate / ceilingRate,6:P0}{(r.Errors > 0 ? $" ({r.Errors} errors: {r.FirstError})" : string.Empty)}");
        }

        // Paced: requests started at a steady rate, however long each takes (open loop), at each of pacedPercents of the
        // best round's rate in turn (the gate's is 70 %), so the run draws latency against offered load. Each phase after a
        // pause, so the work before it is not in it; later phases run on a store grown by the earlier ones.
        // --paced-rate sets one rate itself, to compare two builds at the same offered load.
        double[] rates = pacedRate > 0 ? [pacedRate] : [.. pacedPercents.Select(percent => best * percent / 100.0)];
        List<string> curve = [];
        for (int phase = 0; phase < rates.Length; phase++)
        {
            string label = pacedRate > 0 ? "a set rate" : $"{pacedPercents[phase]} % of the best rate";
            await Task.Delay(TimeSpan.FromSeconds(5));
            LoadCpu beforePaced = LoadCpu.Read(azurite, host);
            Result p = await PacedAsync(bank, rates[phase], TimeSpan.FromSeconds(pacedSeconds), i => NextBody(accountNos[i % accountNos.Length]));
            LoadCpu usedPaced = LoadCpu.Read(azurite, host) - beforePaced;
            Console.WriteLine($"  paced at {label} ({rates[phase]:N1}/s for {pacedSeconds} s): {p.Count:N0} payments, achieved {p.Rate:N1}/s, p50 {p.P50:N1} ms, p99 {p.P99:N1} ms{(p.Errors > 0 ? $", {p.Errors} errors" : string.Empty)}");
            Console.WriteLine($"    paced CPU per payment: {usedPaced.Per(p.Count, 0)}; Azurite {AzuriteCores(usedPaced, p):N2} cores");
            curve.Add($"  {label,24} | {rates[phase],7:N1} | {p.Rate,8:N1} | {p.P50,6:N1} | {p.P99,8:N1} | {p.Slow,14:N0} | {AzuriteCores(usedPaced, p),13:N2}");
        }

        if (curve.Count > 1)
        {
            Console.WriteLine("  latency against offered load (paced phases in the order run):");
            Console.WriteLine("                   offered |  rate/s | achieved | p50 ms |   p99 ms | over 100 ms    | Azurite cores");
            curve.ForEach(Console.WriteLine);
        }

        // Duplicate storm: one channelTxnId sent stormSize times at once.
        string stormAccount = accountNos[0], stormBody = Body("STORM-1", stormAccount, 4_321, day);
        int ledgerBefore = await LedgerCountAsync(client, stormAccount);
        Stopwatch storm = Stopwatch.StartNew();
        (HttpStatusCode Status, string Body)[] stormReplies = await Task.WhenAll(Enumerable.Range(0, stormSize).Select(async _ =>
        {
            using HttpResponseMessage response = await bank.SendAsync(HttpMethod.Post, "/api/channels/bank/payments", stormBody);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        int ledgerAdded = await LedgerCountAsync(client, stormAccount) - ledgerBefore;
        JsonElement journal = JsonDocument.Parse(await client.GetStringAsync($"api/channels/{DemoChannels.Icbc}/journal/{day}")).RootElement;
        int journalLines = journal.GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("key").GetString() == "STORM-1");
        int distinct = stormReplies.Select(r => r.Body).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine($"  duplicate storm: {stormSize:N0} concurrent sends of one channelTxnId in {storm.Elapsed.TotalSeconds:N1} s: {stormReplies.Count(r => r.Status == HttpStatusCode.OK):N0} × 200, {distinct} distinct answer(s), {ledgerAdded} ledger entr{(ledgerAdded == 1 ? "y" : "ies")}, {journalLines} journal line(s)");

        // One account, many payments at once: a 409 contended answer is sent again, as the contract tells a bank to.
        string hot = accountNos[^1];
        int hotBefore = await LedgerCountAsync(client, hot), resent = 0;
        Stopwatch hotClock = Stopwatch.StartNew();
        long[] amounts = [.. Enumerable.Range(1, oneAccountSize).Select(i => 1_000L + i)];
        await Task.WhenAll(Enumerable.Range(0, oneAccountSize).Select(async i =>
        {
            string body = Body($"HOT-{i:D5}", hot, amounts[i], day);
            while (true)
            {
                using HttpResponseMessage response = await bank.SendAsync(HttpMethod.Post, "/api/channels/bank/payments", body);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.Conflict)
                {
                    throw new InvalidOperationException($"HOT-{i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                Interlocked.Increment(ref resent);
            }
        }));
        int hotAdded = await LedgerCountAsync(client, hot) - hotBefore;
        Console.WriteLine($"  one account: {oneAccountSize:N0} concurrent payments in {hotClock.Elapsed.TotalSeconds:N1} s: {hotAdded:N0} ledger entries ({(hotAdded == oneAccountSize ? "none lost" : "MISMATCH")}), {resent:N0} sends repeated after 409 contended");
    }

    static string Body(string txn, string account, long fen, string day) =>
        JsonSerializer.Serialize(new { channelTxnId = txn, accountNo = account, amountFen = fen, paidAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), channelDate = day });

    static async Task<int> LedgerCountAsync(HttpClient client, string account) =>
        JsonDocument.Parse(await client.GetStringAsync($"api/accounts/{account}/ledger")).RootElement.GetProperty("entries").GetArrayLength();

    sealed record Result(int Count, double Rate, double P50, double P99, int Errors, string? FirstError, int Slow = 0);

    // Azurite's CPU over the phase's wall time: its one JavaScript thread is the pipeline's bottleneck, so near 1.0 it is
    // saturated (above 1.0 its collector's helper threads are at work too).
    static double AzuriteCores(LoadCpu used, Result phase) => phase.Rate <= 0 ? 0 : used.Azurite.TotalSeconds / (phase.Count / phase.Rate);

    static async Task<Result> RoundAsync(ChannelHttp bank, int concurrency, int count, Func<int, string> body)
    {
        ConcurrentBag<double> latencies = [];
        int next = -1, errors = 0;
        string? firstError = null;
        Stopwatch clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                (double ms, string? error) = await PayAsync(bank, body(i));
                latencies.Add(ms);
                if (error is not null && Interlocked.Increment(ref errors) == 1)
                {
                    firstError = error;
                }
            }
        }));
        return Summarise(latencies, clock.Elapsed, errors, firstError);
    }

    static async Task<Result> PacedAsync(ChannelHttp bank, double rate, TimeSpan duration, Func<int, string> body)
    {
        ConcurrentBag<double> latencies = [];
        ConcurrentBag<(double At, double Ms)> slow = [], all = [];
        int errors = 0;
        List<Task> inFlight = [];
        Console.WriteLine($"    paced phase starts at {DateTimeOffset.UtcNow:HH:mm:ss.fff} UTC");
        Stopwatch clock = Stopwatch.StartNew();
        int total = (int)(rate * duration.TotalSeconds);
        for (int i = 0; i < total; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            string b = body(i);
            double startedAt = clock.Elapsed.TotalSeconds;
            inFlight.Add(Task.Run(async () =>
            {
                (double ms, string? error) = await PayAsync(bank, b);
                latencies.Add(ms);
                all.Add((startedAt, ms));
                if (ms > SlowMs)
                {
                    slow.Add((startedAt, ms));
                }

                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        if (Environment.GetEnvironmentVariable("PAYMENTS_PACED_DUMP") is { Length: > 0 } dump)
        {
            // Every paced request (seconds after the phase started, latency ms), to lay the tail against other timelines.
            await File.WriteAllLinesAsync(dump, all.OrderBy(x => x.At).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.At:F3} {x.Ms:F1}")));
        }

        // Where the tail is: slow requests clustered in a few seconds are a stall of a process, spread out they are queueing.
        string seconds = string.Join(", ", slow.GroupBy(x => (int)x.At).OrderBy(g => g.Key).Select(g => $"{g.Key}s×{g.Count()} (max {g.Max(x => x.Ms):N0} ms)"));
        Console.WriteLine($"    paced requests over {SlowMs} ms: {slow.Count} of {latencies.Count}; by the second they started: {(seconds.Length == 0 ? "none" : seconds)}");
        return Summarise(latencies, clock.Elapsed, errors, null) with { Slow = slow.Count };
    }

    const double SlowMs = 100;

    static async Task<(double Ms, string? Error)> PayAsync(ChannelHttp bank, string body)
    {
        long start = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await bank.SendAsync(HttpMethod.Post, "/api/channels/bank/payments", body);
        string? error = response.StatusCode == HttpStatusCode.OK ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, error);
    }

    static Result Summarise(IEnumerable<double> latencies, TimeSpan elapsed, int errors, string? firstError)
    {
        double[] sorted = [.. latencies.Order()];
        double At(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new(sorted.Length, sorted.Length / elapsed.TotalSeconds, At(0.50), At(0.99), errors, firstError is null ? null : firstError[..Math.Min(160, firstError.Length)]);
    }

    /// <summary>The raw Azurite ceiling: one payment's storage requests, replayed with the SDK on tables of their own.</summary>
    sealed class TableCeiling
    {
        readonly TableClient nonces, index, customers, txns, ledger, journal;
        readonly ConcurrentDictionary<string, byte> seenAccounts = new(StringComparer.Ordinal);
        readonly int accounts;
        int next;

        TableCeiling(TableServiceClient service, string prefix, int accounts)
        {
            nonces = service.GetTableClient(prefix + "Nonces");
            index = service.GetTableClient(prefix + "Index");
            customers = service.GetTableClient(prefix + "Customers");
            txns = service.GetTableClient(prefix + "Txns");
            ledger = service.GetTableClient(prefix + "Ledger");
            journal = service.GetTableClient(prefix + "Journal");
            this.accounts = accounts;
        }

        public static async Task<TableCeiling> CreateAsync(string connectionString, int accounts)
        {
            TableServiceClient service = new(connectionString);
            TableCeiling ceiling = new(service, "Ceil" + Guid.NewGuid().ToString("N")[..8], accounts);
            foreach (TableClient table in new[] { ceiling.nonces, ceiling.index, ceiling.customers, ceiling.txns, ceiling.ledger, ceiling.journal })
            {
                await table.CreateIfNotExistsAsync();
            }

            await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (a, ct) =>
            {
                await ceiling.index.UpsertEntityAsync(new TableEntity("idx", $"A{a:D6}") { ["AreaCode"] = "TA0001" }, cancellationToken: ct);
                await ceiling.customers.UpsertEntityAsync(new TableEntity("TA0001", $"A{a:D6}") { ["Name"] = "陈小明", ["Json"] = new string('x', 600) }, cancellationToken: ct);
            });
            return ceiling;
        }

        public async Task<double> RunAsync(int concurrency, int count)
        {
            int done = -1;
            Stopwatch clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Interlocked.Increment(ref done) < count)
                {
                    await OnePaymentAsync(Interlocked.Increment(ref next));
                }
            }));
            return count / clock.Elapsed.TotalSeconds;
        }

        async Task OnePaymentAsync(int n)
        {
            string account = $"A{n % accounts:D6}", key = $"T{n:D9}";
            await nonces.AddEntityAsync(new TableEntity("BANK-ICBC", Guid.NewGuid().ToString("N")) { ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(15) });
            if (seenAccounts.TryAdd(account, 0))
            {
                // The archive reads the account index only the first time an instance looks an account up (it then remembers the area).
                await index.GetEntityIfExistsAsync<TableEntity>("idx", account);
            }

            await customers.GetEntityIfExistsAsync<TableEntity>("TA0001", account);
            await txns.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, new TableEntity("BANK-ICBC", "t|" + key) { ["Fingerprint"] = new string('f', 64), ["AccountNo"] = account, ["AmountFen"] = 100L, ["Status"] = "Pending" }),
                new(TableTransactionActionType.Add, new TableEntity("BANK-ICBC", "p|" + key) { ["ChannelDate"] = "2026-12-04" }),
            ]);
            await txns.GetEntityIfExistsAsync<TableEntity>("BANK-ICBC", "day|2026-12-04");
            while (true)
            {
                // As LedgerStore reads and appends (its row keys): a point read of the head (its snapshot of the entries),
                // then the entry row, the id row and the head with the snapshot grown by one entry, in one transaction.
                NullableResponse<TableEntity> read = await ledger.GetEntityIfExistsAsync<TableEntity>(account, "head|" + account);
                ETag? head = read.HasValue ? read.Value!.ETag : null;
                long last = read.HasValue ? read.Value!.GetInt64("LastSequence") ?? 0 : 0;
                TableEntity headRow = new(account, "head|" + account) { ["LastSequence"] = last + 1, ["BalanceFen"] = -100L * (last + 1), ["Entries"] = LedgerHeadSnapshot.Of(Enumerable.Range(1, (int)(last + 1)).Select(i => new
                {
                    sequence = (long)i, entryId = $"pay:BANK-ICBC:{account}-{i}", kind = "Payment", amountFen = -100L,
                    postedAt = "2026-12-04T02:00:00.0000000+00:00", creditChangeFen = 100L,
                })) };
                try
                {
                    await ledger.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.Add, new TableEntity(account, $"e{last + 1:D12}|{account}") { ["EntryId"] = "pay:BANK-ICBC:" + key, ["Kind"] = "Payment", ["AmountFen"] = -100L, ["Allocations"] = "[]" }),
                        new(TableTransactionActionType.Add, new TableEntity(account, "i" + key) { ["Sequence"] = last + 1 }),
                        head is ETag etag ? new(TableTransactionActionType.UpdateReplace, headRow, etag) : new(TableTransactionActionType.Add, headRow),
                    ]);
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
                {
                    // Another payment to the account got there first: read again, as the ledger does.
                }
            }

            await journal.UpsertEntityAsync(new TableEntity("BANK-ICBC|2026-12-04", key + "|P") { ["AccountNo"] = account, ["AmountFen"] = 100L, ["PaymentId"] = "P" + key });
            await txns.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.UpdateMerge, new TableEntity("BANK-ICBC", "t|" + key) { ["Status"] = "Posted", ["Answer"] = new string('a', 400) }, ETag.All),
                new(TableTransactionActionType.Delete, new TableEntity("BANK-ICBC", "p|" + key), ETag.All),
            ]);
        }
    }
}
