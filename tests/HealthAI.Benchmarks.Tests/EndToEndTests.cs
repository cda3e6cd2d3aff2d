using System.Text.Json;
using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Reporting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HealthAI.Benchmarks.Tests;

/// <summary>The <c>load</c> command from argument parsing to the four result files, against fake servers on loopback.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task LoadCommandMeasuresReachableScenariosAndReportsTheRest()
    {
        await using var plain = await LoopbackServer.StartAsync(app => FakeServices.MapKServeJson(app));
        await using var batching = await LoopbackServer.StartAsync(app => FakeServices.MapKServeJson(app));
        await using var grpc = await LoopbackServer.StartAsync(app => FakeServices.MapKServeGrpc(app), HttpProtocols.Http2);
        var output = Directory.CreateTempSubdirectory("bench-e2e-").FullName;
        try
        {
            var exit = await BenchmarkCli.RunAsync(
                ["load", "--scenarios", "a,b,c", "--protocols", "http1,grpc", "--users", "1,3", "--requests", "30", "--warmup", "0s",
                 "--triton-url", plain.Address.ToString(), "--triton-grpc-url", grpc.Address.ToString(),
                 "--triton-batching-url", batching.Address.ToString(), "--gateway-url", "http://127.0.0.1:9", "--out", output, "--plain"],
                TestContext.Current.CancellationToken);

            Assert.Equal(0, exit);
            var report = await JsonReportWriter.ReadAsync(Path.Combine(output, ReportFiles.Json), TestContext.Current.CancellationToken);
            var measured = report.Scenarios.Where(s => s.SkippedReason is null).Select(s => $"{s.Id}/{s.Protocol}").ToList();
            Assert.Equal(["a/http1", "a/grpc", "b/http1"], measured);
            Assert.All(report.Scenarios.Where(s => s.SkippedReason is null).SelectMany(s => s.Runs), run =>
            {
                Assert.Equal(30, run.Successes);
                Assert.Equal(0, run.Errors);
            });
            Assert.Contains(report.Scenarios, s => s.Id == "b" && s.Protocol == "grpc" && s.SkippedReason!.Contains("--triton-batching-grpc-url", StringComparison.Ordinal));
            Assert.Contains(report.Scenarios, s => s.Id == "c" && s.SkippedReason!.Contains("no bearer token", StringComparison.Ordinal));
            var markdown = await File.ReadAllTextAsync(Path.Combine(output, ReportFiles.Markdown), TestContext.Current.CancellationToken);
            Assert.Contains("### Dynamic batching against none, inference server direct: (b) / (a)", markdown, StringComparison.Ordinal);
            Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(output, ReportFiles.LatencyChart), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task SoakAgainstAServerThatOnlyThrottlesPassesAndWritesItsVerdict()
    {
        await using var server = await LoopbackServer.StartAsync(app => FakeServices.MapKServeJson(app, call =>
            call % 3 == 0 ? new RetryAfterResult() : null));
        var output = Directory.CreateTempSubdirectory("bench-soak-").FullName;
        try
        {
            var exit = await BenchmarkCli.RunAsync(
                ["soak", "--scenarios", "a", "--users", "4", "--requests", "60", "--warmup", "0s", "--triton-url", server.Address.ToString(),
                 "--pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-memory-growth", "5", "--out", output, "--plain"],
                TestContext.Current.CancellationToken);

            Assert.Equal(0, exit);
            using var verdict = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "soak.json"), TestContext.Current.CancellationToken));
            Assert.True(verdict.RootElement.GetProperty("passed").GetBoolean());
            Assert.Equal(0, verdict.RootElement.GetProperty("lost").GetInt64());
            Assert.True(verdict.RootElement.GetProperty("explicitRejections").GetInt64() > 0);
            Assert.Equal(Environment.ProcessId, verdict.RootElement.GetProperty("memory")[0].GetProperty("pid").GetInt32());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>An explicit, well-behaved refusal: 429 with Retry-After.</summary>
    private sealed class RetryAfterResult : Microsoft.AspNetCore.Http.IResult
    {
        public Task ExecuteAsync(Microsoft.AspNetCore.Http.HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        }
    }
}
