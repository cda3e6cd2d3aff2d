using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;
using HealthAI.EndToEnd.Tests.Phi;
using HealthAI.ModelBuilder;

namespace HealthAI.EndToEnd.Tests.AppHost;

/// <summary>
/// `dotnet run --project HealthAI.AppHost` with the real services: the AppHost's own launch (working directories, environment,
/// parameters, development token), not the suite's, must give a gateway that serves every public route. The AppHost runs
/// against a stand-in repository root (HEALTHAI_REPOSITORY_ROOT) whose service folders link to the real projects and whose
/// model repository holds the tiny model, so the run writes nothing into the checkout.
/// </summary>
/// <remarks>In the system collection so its five processes do not compete for the cores with the fixture's tests.</remarks>
[Collection(SystemCollection.Name)]
public sealed class AppHostRunTests : IAsyncDisposable
{
    private static readonly string[] Services = ["Gateway", "Deid", "Tokenizer", "InferenceServer"];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(180); // an upper bound for a loaded 2-core machine
    private readonly string _root = Directory.CreateTempSubdirectory("healthai-apphost-").FullName;
    private ServiceProcess? _appHost;

    [Fact]
    public async Task The_AppHost_starts_the_real_services_and_the_gateway_serves_the_pipeline_and_the_forwarded_routes()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM and symbolic links to the projects");
        var ct = TestContext.Current.CancellationToken;
        await CreateStandInRootAsync(ct);
        var audit = Path.Combine(_root, "audit.jsonl");
        _appHost = new ServiceProcess("apphost", RepositoryPaths.ServiceDll("HealthAI.AppHost"), ["--dynamic-ports"], new Dictionary<string, string>
        {
            ["HEALTHAI_REPOSITORY_ROOT"] = _root,
            // The children inherit the AppHost's environment: the gateway's audit file goes to the stand-in root.
            ["Gateway__Audit__FilePath"] = audit,
            ["NO_COLOR"] = "1",
        });
        _appHost.Start();
        await _appHost.WaitForLineAsync(l => l.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal), ReadyTimeout, ct);

        using var session = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_root, ".healthai", "session.json"), ct));
        var gateway = new Uri(session.RootElement.GetProperty("gateway").GetString()!);
        using var analyst = Client(gateway, session.RootElement.GetProperty("token").GetString()!);
        using var operatorClient = Client(gateway, await IssueTokenAsync(["notes.deidentify", "models.read"], ct));
        var note = CanaryNote.Create();

        // The pipeline, with the development token the AppHost wrote.
        using (var analyzed = await analyst.PostAsJsonAsync("/v1/notes/analyze", new { text = note.Text }, ct))
        {
            var body = await analyzed.Content.ReadAsStringAsync(ct);
            Assert.True(analyzed.StatusCode == HttpStatusCode.OK, $"{analyzed.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Contains(json.RootElement.GetProperty("label").GetString(), new[] { "NEGATIVE", "POSITIVE" });
        }

        // The forwarded routes come from the gateway's appsettings.json: they exist only when it runs from its project folder.
        using (var deidentified = await operatorClient.PostAsJsonAsync("/v1/deidentify", new { text = note.Text, mode = "placeholder" }, ct))
        {
            var body = await deidentified.Content.ReadAsStringAsync(ct);
            Assert.True(deidentified.StatusCode == HttpStatusCode.OK, $"{deidentified.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            var text = json.RootElement.GetProperty("text").GetString()!;
            Assert.DoesNotContain(note.LastName, text, StringComparison.Ordinal);
            Assert.DoesNotContain(note.Ssn, text, StringComparison.Ordinal);
        }

        using (var ready = await operatorClient.GetAsync("/v2/models/distilbert-sst2/ready", ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using (var forbidden = await analyst.GetAsync("/v2/models/distilbert-sst2/ready", ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        var openApi = await analyst.GetStringAsync("/openapi/v1.json", ct);
        Assert.All(new[] { "/v1/notes/analyze", "/v1/notes/analyze-batch", "/v1/deidentify", "/v2/models/{name}/ready" },
            route => Assert.Contains($"\"{route}\"", openApi, StringComparison.Ordinal));

        Assert.Equal(0, await _appHost.TerminateAsync(TimeSpan.FromSeconds(60)));
        var records = await File.ReadAllLinesAsync(audit, ct);
        Assert.Contains(records, r => r.Contains("\"route\":\"deidentify\"", StringComparison.Ordinal));
        Assert.All(note.Canaries, canary => Assert.DoesNotContain(records, r => r.Contains(canary, StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }

        TemporaryFolders.DeleteQuietly(_root); // the links, not what they point to
    }

    private static HttpClient Client(Uri gateway, string token)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The repository layout the AppHost expects: each service's project folder, and a model repository.</summary>
    private async Task CreateStandInRootAsync(CancellationToken ct)
    {
        foreach (var service in Services)
        {
            var project = $"HealthAI.{service}";
            Directory.CreateSymbolicLink(Path.Combine(_root, project), Path.Combine(RepositoryPaths.Root, project));
        }

        await BundledModel.EnsureAsync(Path.Combine(_root, "models"), ModelPreset.Tiny, ct);
    }

    /// <summary>`dotnet run --project HealthAI.AppHost -- token --scope ...`, signed with the run's generated key.</summary>
    private async Task<string> IssueTokenAsync(string[] scopes, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(RepositoryPaths.ServiceDll("HealthAI.AppHost"));
        startInfo.ArgumentList.Add("token");
        foreach (var scope in scopes)
        {
            startInfo.ArgumentList.Add("--scope");
            startInfo.ArgumentList.Add(scope);
        }

        startInfo.Environment["HEALTHAI_REPOSITORY_ROOT"] = _root;
        using var process = Process.Start(startInfo)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(process.ExitCode == 0, $"token exited with {process.ExitCode}: {await error}");
            return (await output).Trim();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // a hung or cancelled run leaves nothing behind
            }
        }
    }
}
