using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/MeterToCash.Benchmarks -- --filter '*'` runs the BenchmarkDotNet suites.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
