using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace HealthAI.InferenceServer.Tests;

/// <summary>The contract other projects rely on: start the real executable, read one stdout line, talk to the ports.</summary>
public sealed partial class ProcessContractTests
{
    [GeneratedRegex(@"^HealthAI\.InferenceServer listening http=(http://127\.0\.0\.1:\d+) grpc=(http://127\.0\.0\.1:\d+) metrics=(http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HealthAI.InferenceServer.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task Prints_one_listening_line_and_serves_on_os_assigned_ports()
    {
        using var repository = new TestRepository().WithModel("simple", TestRepository.Simple);
        using var process = Start("--model-repository", repository.Root, "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var match = ListeningLine().Match(line ?? "");
            Assert.True(match.Success, $"unexpected stdout line: {line}");

            using var http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value) };
            using var ready = await http.GetAsync("/v2/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using var metrics = new HttpClient { BaseAddress = new Uri(match.Groups[3].Value) };
            Assert.Contains("nv_inference_count", await metrics.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.DoesNotContain("HealthAI.InferenceServer listening", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_exits_with_an_error_naming_it()
    {
        using var process = Start("--model-repository", "/tmp", "--backend-directory", "/opt");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Unknown flag '--backend-directory'", stderr, StringComparison.Ordinal);
    }
}
