using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Webhooks.Core.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
