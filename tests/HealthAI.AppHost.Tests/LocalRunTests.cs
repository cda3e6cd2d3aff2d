using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;

namespace HealthAI.AppHost.Tests;

/// <summary>
/// The real AppHost process in run mode against a stand-in repository tree (HEALTHAI_REPOSITORY_ROOT) whose service binaries are
/// the FakeResource program, so the test does not depend on the other services' implementations.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // SIGTERM and Unix file modes
public sealed class LocalRunTests : IDisposable
{
    private static readonly string[] Services = ["Gateway", "Deid", "Tokenizer", "InferenceServer"];
    private readonly string _root = TestPaths.NewTempDirectory();

    [Fact]
    public async Task Run_starts_everything_in_order_writes_the_session_and_SIGTERM_leaves_no_child_behind()
    {
        var token = TestContext.Current.CancellationToken;
        var state = Directory.CreateDirectory(Path.Combine(_root, "state")).FullName;
        CreateStandInTree();

        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        startInfo.ArgumentList.Add(TestPaths.AppHostDll);
        startInfo.ArgumentList.Add("--dynamic-ports");
        startInfo.Environment["HEALTHAI_REPOSITORY_ROOT"] = _root;
        startInfo.Environment["FAKE_STATE_DIR"] = state;
        startInfo.Environment["NO_COLOR"] = "1";
        using var appHost = Process.Start(startInfo)!;
        var ready = new TaskCompletionSource();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        appHost.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        appHost.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();

        try
        {
            await RunScenarioAsync(appHost, ready.Task, output, state, token);
        }
        finally
        {
            // Whatever failed above, leave nothing running (the assertions already checked the graceful path).
            if (!appHost.HasExited)
            {
                appHost.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task RunScenarioAsync(Process appHost, Task ready, System.Collections.Concurrent.ConcurrentQueue<string> output, string state, CancellationToken token)
    {
        try
        {
            await ready.WaitAsync(TimeSpan.FromSeconds(180), token); // an upper bound for a loaded machine
        }
        catch (TimeoutException)
        {
            Assert.Fail("the AppHost did not report ready:\n" + string.Join('\n', output));
        }

        var starts = File.ReadAllLines(Path.Combine(state, "starts.log")).Select(l => l.Split(' ')).ToArray();
        Assert.Equal(["triton", "deid", "tokenizer", "gateway"], starts.Select(s => s[0]));
        Assert.All(starts, s => Assert.Equal("deps-healthy=True", s[2]));
        // Each service runs from its project directory, where ASP.NET Core looks for its appsettings.json.
        string[] projects = ["InferenceServer", "Deid", "Tokenizer", "Gateway"];
        Assert.Equal(projects.Select(p => "cwd=" + Path.Combine(_root, $"HealthAI.{p}")), starts.Select(s => s[3]));

        var sessionFile = Path.Combine(_root, ".healthai", "session.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sessionFile));
        var session = JsonNode.Parse(File.ReadAllText(sessionFile))!;
        Assert.StartsWith("http://127.0.0.1:", (string)session["gateway"]!, StringComparison.Ordinal);
        Assert.Equal("notes.analyze", new JsonWebToken((string)session["token"]!).GetClaim("scp").Value);

        using (var kill = Process.Start("kill", ["-TERM", appHost.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(token);
        }

        await appHost.WaitForExitAsync(token).WaitAsync(TimeSpan.FromSeconds(60), token);
        Assert.Equal(0, appHost.ExitCode);
        appHost.WaitForExit(); // flushes the redirected output: children's lines are forwarded asynchronously
        Assert.Contains(output, l => l.StartsWith("gateway    | gateway listening on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("curl -s http://127.0.0.1:", StringComparison.Ordinal));
        Assert.All(starts.Select(s => int.Parse(s[1], System.Globalization.CultureInfo.InvariantCulture)), pid => Assert.False(IsAlive(pid), $"child {pid} outlived the AppHost"));
    }

    public void Dispose() => TemporaryFolders.DeleteQuietly(_root);

    /// <summary>The layout the AppHost expects (`HealthAI.X/bin/&lt;config&gt;/&lt;tfm&gt;/HealthAI.X.dll`, `models/.../model.onnx`), filled with the fake.</summary>
    private void CreateStandInTree()
    {
        var fake = TestPaths.FakeResource;
        var fakeDirectory = Path.GetDirectoryName(fake)!;
        var configuration = Path.GetFileName(Path.GetDirectoryName(fakeDirectory))!;
        foreach (var service in Services)
        {
            var bin = Directory.CreateDirectory(Path.Combine(_root, $"HealthAI.{service}", "bin", configuration, "net10.0")).FullName;
            File.Copy(fake, Path.Combine(bin, $"HealthAI.{service}.dll"));
            File.Copy(Path.ChangeExtension(fake, ".runtimeconfig.json"), Path.Combine(bin, $"HealthAI.{service}.runtimeconfig.json"));
        }

        var model = Directory.CreateDirectory(Path.Combine(_root, "models", "distilbert-sst2", "1")).FullName;
        File.WriteAllText(Path.Combine(model, "model.onnx"), "stand-in");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
