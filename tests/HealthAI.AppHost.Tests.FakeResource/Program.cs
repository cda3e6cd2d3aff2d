using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

// Behaviour comes from the environment the supervisor gives it (FAKE_* set by the tests):
//   FAKE_READY_AFTER_MS   /health answers 503 until then
//   FAKE_CRASH_STARTS     the first N starts (counted in FAKE_STATE_DIR) exit with code 3, FAKE_CRASH_AFTER_MS after they first
//                         answered /health healthily (or after start when FAKE_CRASH_BEFORE_HEALTHY is set)
//   FAKE_IGNORE_SIGTERM   keep running on SIGTERM (the supervisor must kill it)
//   FAKE_STATE_DIR        appends "<name> <pid> deps-healthy=<bool> cwd=<working directory>" to starts.log; each dependency
//                         URL is checked first
var name = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "fake";
// ASP.NET Core services get ASPNETCORE_URLS; the inference server stand-in gets tritonserver's --http-port.
var httpPort = args.SkipWhile(a => a != "--http-port").Skip(1).FirstOrDefault();
var url = new Uri(httpPort is not null
    ? $"http://127.0.0.1:{httpPort}"
    : Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? throw new InvalidOperationException("ASPNETCORE_URLS is not set"));
var stateDir = Environment.GetEnvironmentVariable("FAKE_STATE_DIR") ?? Path.GetTempPath();
var readyAt = DateTime.UtcNow.AddMilliseconds(Int("FAKE_READY_AFTER_MS"));

var startsFile = Path.Combine(stateDir, $"{name}.starts");
var starts = File.Exists(startsFile) ? int.Parse(File.ReadAllText(startsFile), CultureInfo.InvariantCulture) + 1 : 1;
File.WriteAllText(startsFile, starts.ToString(CultureInfo.InvariantCulture));

var dependencies = Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.StartsWith("services__", StringComparison.Ordinal) && k.EndsWith("__http__0", StringComparison.Ordinal)).Select(k => Environment.GetEnvironmentVariable(k)!).ToArray();
using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
{
    var healthy = true;
    foreach (var dependency in dependencies)
    {
        try
        {
            healthy &= (await client.GetAsync(new Uri(new Uri(dependency), "/health"))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            healthy = false;
        }
    }

    File.AppendAllText(Path.Combine(stateDir, "starts.log"), $"{name} {Environment.ProcessId} deps-healthy={healthy} cwd={Environment.CurrentDirectory}\n");
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    if (Environment.GetEnvironmentVariable("FAKE_IGNORE_SIGTERM") is null)
    {
        stop.Cancel();
    }
});

var crashes = starts <= Int("FAKE_CRASH_STARTS");
var crashScheduled = false;
void ScheduleCrash()
{
    if (crashes && !crashScheduled)
    {
        crashScheduled = true;
        _ = Task.Delay(Int("FAKE_CRASH_AFTER_MS")).ContinueWith(_ => Environment.Exit(3), TaskScheduler.Default);
    }
}

if (Environment.GetEnvironmentVariable("FAKE_CRASH_BEFORE_HEALTHY") is not null)
{
    ScheduleCrash();
}

Console.WriteLine($"{name} listening on {url}");
Console.Error.WriteLine($"{name} stderr line");
var listener = new TcpListener(IPAddress.Parse(url.Host), url.Port);
listener.Start();
try
{
    while (!stop.IsCancellationRequested)
    {
        using var socket = await listener.AcceptSocketAsync(stop.Token);
        var buffer = new byte[4096];
        var read = await socket.ReceiveAsync(buffer, stop.Token);
        var requestLine = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0];
        var ready = DateTime.UtcNow >= readyAt && (requestLine.Contains(" /health", StringComparison.Ordinal) || requestLine.Contains(" /v2/health/ready", StringComparison.Ordinal));
        var body = ready ? "Healthy" : "Unhealthy";
        var response = $"HTTP/1.1 {(ready ? "200 OK" : "503 Service Unavailable")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(response), stop.Token);
        if (ready)
        {
            ScheduleCrash();
        }
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine($"{name} stopping");
}

return 0;

static int Int(string variable) =>
    int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : 0;
