using BenchmarkDotNet.Running;
using HealthAI.Benchmarks.Load.Cli;

// `load` and `soak` are the load generator; anything else (e.g. --filter '*Tokenizer*') is BenchmarkDotNet's.
if (BenchmarkCli.Handles(args))
{
    return await BenchmarkCli.RunAsync(args, CancellationToken.None);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
