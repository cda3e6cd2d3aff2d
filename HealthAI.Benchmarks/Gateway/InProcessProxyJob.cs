using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>
/// The job the gateway benchmarks share: in-process, since the backend lives in the benchmark process either way and a shared
/// machine should not build a project per run; one operation per invocation, since an operation is a whole round of requests.
/// </summary>
internal static class InProcessProxyJob
{
    public static Job With(int invocations, int warmups, int iterations) =>
        Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithUnrollFactor(1)
            .WithInvocationCount(invocations).WithWarmupCount(warmups).WithIterationCount(iterations);
}
