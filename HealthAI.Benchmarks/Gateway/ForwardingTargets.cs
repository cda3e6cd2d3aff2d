using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>The request the gateway benchmarks time: a JSON POST whose answer is read to the end.</summary>
internal static class JsonPost
{
    /// <summary>The <c>POST /v1/deidentify</c> body every gateway benchmark sends: a small note, placeholder mode.</summary>
    public static readonly byte[] DeidentifyBody = "{\"text\":\"Patient John is doing well.\",\"mode\":\"placeholder\"}"u8.ToArray();

    public static async Task SendAsync(HttpClient client, Uri uri, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(uri, content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{uri.AbsolutePath} answered {(int)response.StatusCode}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }
}

/// <summary>
/// The paths measured in one run: a trivial Kestrel backend called directly, nginx (Debian package, <c>proxy_pass</c> with
/// upstream keepalive) in front of it, the bare .NET forwarder
/// (<see cref="global::HealthAI.Benchmarks.Gateway.BareForwarder"/>, this assembly run as its own process) in front of it, the
/// event-loop forwarder (<see cref="global::HealthAI.Benchmarks.Gateway.EventLoopForwarder"/>, likewise) in front of it,
/// and the HealthAI gateway (its Release build, as its own process) in front of it.
/// </summary>
internal sealed class ForwardingTargets : IAsyncDisposable
{
    private const string Issuer = "https://bench.healthai";
    private const string Audience = "healthai-gateway";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private readonly List<Process> _processes = [];
    private readonly string _workDir = Directory.CreateTempSubdirectory("healthai-gw-bench").FullName;
    private WebApplication? _backend;

    public Uri Backend { get; private set; } = null!;

    public Uri Nginx { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    public Uri BareForwarder { get; private set; } = null!;

    public Uri EventLoopForwarder { get; private set; } = null!;

    /// <summary>The proxy process (nginx, a floor forwarder or the gateway) when exactly one was started: its CPU time per request is
    /// the figure that stays comparable on a busy machine, where latency and throughput move with the neighbours' load.</summary>
    public Process? Proxy
    {
        get
        {
            Process[] started = [.. new[] { NginxProcess, BareForwarderProcess, EventLoopForwarderProcess, GatewayProcess }.OfType<Process>()];
            return started.Length <= 1 ? started.FirstOrDefault() : throw new InvalidOperationException("More than one proxy runs: name the one meant.");
        }
    }

    /// <summary>nginx when started (with more than one worker, the master that forked them).</summary>
    public Process? NginxProcess { get; private set; }

    /// <summary>The bare forwarder when started.</summary>
    public Process? BareForwarderProcess { get; private set; }

    /// <summary>The event-loop forwarder when started.</summary>
    public Process? EventLoopForwarderProcess { get; private set; }

    /// <summary>The gateway when started.</summary>
    public Process? GatewayProcess { get; private set; }

    public string Token { get; } = CreateToken();

    /// <summary>A client as every gateway benchmark drives a path: at most <paramref name="connections"/> keep-alive
    /// connections, no proxy or cookies, and <see cref="Token"/> on every request.</summary>
    public HttpClient CreateClient(int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections, UseCookies = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>The single proxy's CPU time so far (see <see cref="ProcessorTime"/>); zero when no proxy runs.</summary>
    public TimeSpan ProxyProcessorTime() => ProcessorTime(Proxy);

    /// <summary>
    /// A proxy's CPU time so far, its worker processes' included (nginx with more than one worker is a master that forks
    /// them); zero for none or one that exited.
    /// </summary>
    public static TimeSpan ProcessorTime(Process? proxy)
    {
        if (proxy is null || proxy.HasExited)
        {
            return TimeSpan.Zero;
        }

        proxy.Refresh();
        var total = proxy.TotalProcessorTime;
        var children = $"/proc/{proxy.Id}/task/{proxy.Id}/children";
        if (File.Exists(children))
        {
            foreach (var id in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    using var child = Process.GetProcessById(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
                    total += child.TotalProcessorTime;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // The child exited meanwhile.
                }
            }
        }

        return total;
    }

    /// <param name="nginx">Start nginx in front of the backend.</param>
    /// <param name="gateway">Start the gateway in front of the backend.</param>
    /// <param name="bareForwarder">Start the bare .NET forwarder in front of the backend.</param>
    /// <param name="eventLoopForwarder">Start the one-thread epoll forwarder in front of the backend.</param>
    /// <param name="connectionForwarding">Whether the gateway forwards at the connection level (its default) or sends every
    /// request through ASP.NET Core's pipeline.</param>
    /// <param name="nginxWorkers">nginx's <c>worker_processes</c>.</param>
    /// <param name="nginxAccessLog">Whether nginx logs every request as Debian's packaged configuration does (the combined
    /// format to a file): the work that matches the gateway's audit record. Off, nginx is the stronger peer.</param>
    public static async Task<ForwardingTargets> StartAsync(
        bool nginx, bool gateway, bool bareForwarder = false, bool connectionForwarding = true, int nginxWorkers = 1, bool nginxAccessLog = false,
        bool eventLoopForwarder = false)
    {
        var targets = new ForwardingTargets();
        await targets.StartBackendAsync();
        if (nginx)
        {
            await targets.StartNginxAsync(nginxWorkers, nginxAccessLog);
        }

        if (bareForwarder)
        {
            (targets.BareForwarderProcess, targets.BareForwarder) = await targets.StartForwarderAsync(global::HealthAI.Benchmarks.Gateway.BareForwarder.CommandName);
        }

        if (eventLoopForwarder)
        {
            (targets.EventLoopForwarderProcess, targets.EventLoopForwarder) =
                await targets.StartForwarderAsync(global::HealthAI.Benchmarks.Gateway.EventLoopForwarder.CommandName);
        }

        if (gateway)
        {
            await targets.StartGatewayAsync(connectionForwarding);
        }

        return targets;
    }

    private async Task StartBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _backend = builder.Build();
        var answer = "{\"text\":\"Patient [NAME] is doing well.\",\"entities\":[{\"type\":\"NAME\",\"start\":8,\"end\":12,\"replacement\":\"[NAME]\"}]}"u8.ToArray();
        _backend.MapPost("/v1/deidentify", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        // The tokenizer's classify, for the analyze pipeline benchmark: a fixed answer, so only the gateway's own work varies.
        var classified = "{\"model\":{\"name\":\"distilbert-sst2\",\"version\":\"1\"},\"results\":[{\"label\":\"POSITIVE\",\"scores\":{\"NEGATIVE\":0.1,\"POSITIVE\":0.9}}]}"u8.ToArray();
        _backend.MapPost("/v1/classify", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = classified.Length;
            await context.Response.Body.WriteAsync(classified, context.RequestAborted);
        });
        await _backend.StartAsync();
        Backend = new Uri(_backend.Urls.First());
    }

    // One worker runs without a master (a single process to measure); more need the master that forks them.
    private async Task StartNginxAsync(int workers, bool accessLog)
    {
        var accessLogDirective = accessLog ? $"access_log {_workDir}/access.log;" : "access_log off;";
        var port = FreePort();
        var config = $$"""
            daemon off;
            master_process {{(workers > 1 ? "on" : "off")}};
            worker_processes {{workers}};
            error_log stderr error;
            pid {{_workDir}}/nginx.pid;
            events { worker_connections 4096; }
            http {
              {{accessLogDirective}}
              client_body_temp_path {{_workDir}}/body;
              proxy_temp_path {{_workDir}}/proxy;
              upstream backend { server 127.0.0.1:{{Backend.Port}}; keepalive 128; }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://backend;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """;
        var path = Path.Combine(_workDir, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        NginxProcess = Start("nginx", ["-p", _workDir, "-c", path], new Dictionary<string, string>());
        Nginx = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilAnswersAsync(new Uri(Nginx, "/v1/deidentify"), HttpMethod.Post);
    }

    // This very assembly in one of its hidden forwarder modes: always built with the benchmarks, so a clean clone needs nothing
    // more. The gateway's runtime settings come from the environment, since this assembly's own runtimeconfig is the benchmarks'.
    private async Task<(Process Process, Uri Address)> StartForwarderAsync(string commandName)
    {
        var port = FreePort();
        var assembly = typeof(ForwardingTargets).Assembly.Location;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_gcConcurrent"] = "0",
            // The gateway sets this for its own process at start-up (Gateway:Server:InlineScheduling).
            ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        };
        string[] arguments = [assembly, commandName, "--listen", $"http://127.0.0.1:{port}", "--backend", Backend.ToString()];
        var process = Start("dotnet", arguments, environment, Path.GetDirectoryName(assembly));
        var address = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilAnswersAsync(new Uri(address, "/v1/deidentify"), HttpMethod.Post);
        return (process, address);
    }

    private async Task StartGatewayAsync(bool connectionForwarding)
    {
        var port = FreePort();
        var gatewayDll = FindGatewayBuild();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer,
            ["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience,
            ["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer,
            ["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Key),
            ["Authentication__Schemes__Bearer__SigningKeys__0__Id"] = "bench",
            ["services__deid__http__0"] = $"http://127.0.0.1:{Backend.Port}",
            ["services__tokenizer__http__0"] = $"http://127.0.0.1:{Backend.Port}",
            ["Gateway__RateLimiting__TokenLimit"] = "1000000",
            ["Gateway__RateLimiting__TokensPerPeriod"] = "1000000",
            ["Gateway__Audit__FilePath"] = Path.Combine(_workDir, "audit.jsonl"),
            ["Gateway__ConnectionForwarding__Enabled"] = connectionForwarding ? "true" : "false",
        };
        GatewayProcess = Start("dotnet", [gatewayDll], environment, Path.GetDirectoryName(gatewayDll));
        Gateway = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilAnswersAsync(new Uri(Gateway, "/alive"), HttpMethod.Get);
    }

    private Process Start(string fileName, string[] arguments, Dictionary<string, string> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? _workDir,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Belt and braces: a benchmark host that dies or skips cleanup must not leave a proxy running on a shared machine.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{fileName}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task WaitUntilAnswersAsync(Uri uri, HttpMethod method)
    {
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(method, uri) { Content = method == HttpMethod.Post ? new StringContent("{}", Encoding.UTF8, "application/json") : null };
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{uri} did not answer 200 within 30 s");
    }

    // Release build of the gateway next to this repository's sources: `dotnet build -c Release HealthAI.Gateway` first.
    // HEALTHAI_GATEWAY_DLL points at another build instead (a copy of an earlier commit's, for a before/after in one machine state).
    private static string FindGatewayBuild()
    {
        if (Environment.GetEnvironmentVariable("HEALTHAI_GATEWAY_DLL") is { Length: > 0 } explicitBuild)
        {
            return File.Exists(explicitBuild) ? explicitBuild : throw new FileNotFoundException($"HEALTHAI_GATEWAY_DLL names no file: {explicitBuild}");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "HealthAI.Gateway", "bin", "Release", "net10.0", "HealthAI.Gateway.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Build the gateway first: dotnet build -c Release HealthAI.Gateway");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>An HS256 token with the scope the forwarded route needs, minted by hand so the benchmark needs no JWT package.</summary>
    private static string CreateToken()
    {
        static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"bench\"}"u8);
        var payload = Encode(Encoding.UTF8.GetBytes(
            $"{{\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"sub\":\"bench-client\",\"scp\":\"notes.deidentify notes.analyze\",\"nbf\":{now - 60},\"exp\":{now + 7200}}}"));
        var signature = Encode(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            Stop(process);
            await process.WaitForExitAsync();
        }

        if (_backend is not null)
        {
            await _backend.StopAsync();
            await _backend.DisposeAsync();
        }

        Directory.Delete(_workDir, recursive: true);
    }
}
