using System.Globalization;

namespace MeterToCash.Benchmarks.Load;

/// <summary>Dispatches <c>load NAME [--option value]...</c> to an end-to-end load driver.</summary>
internal static class LoadDrivers
{
    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string> options = new(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        int Option(string name, int fallback) => options.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        // Runtime settings for the LocalHost only (e.g. DOTNET_TieredPGO=0,DOTNET_gcServer=0), so an experiment on its
        // runtime leaves the driver, and with it the ceiling rounds, as they are.
        Dictionary<string, string> hostEnvironment = (options.GetValueOrDefault("host-env") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty, StringComparer.Ordinal);

        switch (args.FirstOrDefault())
        {
            case "archive-import":
                await ArchiveImportLoad.RunAsync(Option("rows", 20_000), Option("areas", 40));
                return 0;
            case "ingestion":
                await IngestionLoad.RunAsync(Option("meters", 4_000), Option("days", 1), Option("areas", 40), Option("inflight", 8), Option("warmup", 8), hostEnvironment);
                return 0;
            case "billing":
                await BillingLoad.RunAsync(Option("accounts", 100_000), Option("areas", 40), Option("baseline-accounts", 2_000), Option("accounts-per-batch", 0), Option("ceiling-accounts", 2_000), Option("cycles", 3), (options.GetValueOrDefault("task-hub-storage") ?? "separate") != "shared", hostEnvironment);
                return 0;
            case "payments":
                await PaymentLoad.RunAsync(
                    Option("accounts", 2_000),
                    [.. (options.GetValueOrDefault("concurrency") ?? "1,4,16,32,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
                    Option("per-round", 1_000),
                    Option("storm", 1_000),
                    Option("one-account", 500),
                    [.. (options.GetValueOrDefault("paced-percent") ?? "70").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))],
                    Option("paced-rate", 0),
                    Option("paced-seconds", 30));
                return 0;
            case "line-loss":
                await LineLossLoad.RunAsync(Option("areas", 1_000), Option("meters", 20), Option("rounds", 3));
                return 0;
            case "recon":
                await ReconciliationLoad.RunAsync(Option("lines", 100_000), Option("payments", 1_000));
                return 0;
            case "table-writes":
                await TableWriteCost.RunAsync(Option("meters", 8_000), Option("areas", 80), Option("rounds", 8), Option("warmup", 6));
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: load archive-import [--rows N] [--areas N] | load ingestion [--meters N] [--days N] [--areas N] [--inflight N] [--warmup DAYS] [--host-env K=V,K=V] | load table-writes [--meters N] [--areas N] [--rounds N] [--warmup N] | load payments [--accounts N] [--concurrency 1,4,16,32,64] [--per-round N] [--storm N] [--one-account N] [--paced-percent 70 | 50,60,70,80 | --paced-rate N] [--paced-seconds N] | load billing [--accounts N] [--areas N] [--baseline-accounts N] [--accounts-per-batch N] [--ceiling-accounts N] [--cycles N] [--task-hub-storage separate|shared] [--host-env K=V,K=V] | load line-loss [--areas N] [--meters N] [--rounds N] | load recon [--lines N] [--payments N]");
                return 2;
        }
    }
}
