using BenchmarkDotNet.Running;
using MeterToCash.Benchmarks.Load;

// BenchmarkDotNet suites (hot domain code):
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- --filter '*Archive*' --job short
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- --filter '*Recon*' --job short
// End-to-end load drivers (start their own Azurite and LocalHost; print the figure next to its baselines):
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load archive-import [--rows 20000]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load ingestion [--meters 4000] [--days 1] [--warmup 8] [--host-env K=V,...]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load table-writes [--rounds 8] [--warmup 6]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load payments [--accounts 2000] [--concurrency 1,4,16,32,64] [--per-round 1000] [--storm 1000] [--one-account 500] [--paced-percent 70 | 50,60,70,80 | --paced-rate N] [--paced-seconds 30]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load line-loss [--areas 1000] [--meters 20] [--rounds 3]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- load billing [--accounts 100000] [--areas 40] [--baseline-accounts 2000] [--accounts-per-batch 100] [--ceiling-accounts 2000]
//   dotnet run -c Release --project tests/MeterToCash.Benchmarks -- forecast [--areas 12] [--days 140] [--weeks 4] [--end 2026-11-30]
if (args.Length > 1 && args[0] == "forecast")
{
    Dictionary<string, string> o = [];
    for (int i = 1; i + 1 < args.Length; i += 2)
    {
        o[args[i].TrimStart('-')] = args[i + 1];
    }

    int Int(string name, int fallback) => o.TryGetValue(name, out string? v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    DateOnly end = o.TryGetValue("end", out string? e) ? DateOnly.Parse(e, System.Globalization.CultureInfo.InvariantCulture) : new DateOnly(2026, 11, 30);
    await MeterToCash.Benchmarks.Forecast.ForecastBacktestLoad.RunAsync(Int("areas", 12), Int("days", 140), Int("weeks", 4), end);
    return 0;
}

if (args.Length > 0 && args[0] == "load")
{
    return await LoadDrivers.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(LoadDrivers).Assembly).Run(args);
return 0;
