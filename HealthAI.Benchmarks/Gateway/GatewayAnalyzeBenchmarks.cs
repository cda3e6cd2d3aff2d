using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>
/// The analyze pipeline's own added latency: <c>POST /v1/notes/analyze</c> through the gateway against the same two hops
/// (deid, then classify) called directly by the client, both against the same trivial backend with fixed answers. The
/// difference between the two is everything the gateway adds except model compute: JWT, limits, validation, the deid
/// contract check, span mapping, JSON, audit.
/// </summary>
/// <remarks>
/// Run: <c>dotnet build -c Release HealthAI.Gateway &amp;&amp; dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*GatewayAnalyze*'</c>.
/// </remarks>
[Config(typeof(Config))]
public class GatewayAnalyzeBenchmarks : IDisposable
{
    // The note the fixed deid answer describes: "John" at 8..12.
    private static readonly byte[] Note = "{\"text\":\"Patient John is doing well.\"}"u8.ToArray();
    private static readonly byte[] ClassifyRequest = "{\"texts\":[\"Patient [NAME] is doing well.\"]}"u8.ToArray();

    private ForwardingTargets _targets = null!;
    private HttpClient _client = null!;

    /// <summary>Who drives the two hops.</summary>
    public enum Driver
    {
        ClientCallsHops,
        Gateway,
    }

    [Params(Driver.ClientCallsHops, Driver.Gateway)]
    public Driver Target { get; set; }

    // Synchronous: see GatewayForwardingBenchmarks.
    [GlobalSetup]
    public void Setup()
    {
        _targets = ForwardingTargets.StartAsync(nginx: false, gateway: Target == Driver.Gateway).GetAwaiter().GetResult();
        _client = _targets.CreateClient(connections: 1);
        AnalyzeAsync().GetAwaiter().GetResult();
        Warmup.RunAsync(AnalyzeAsync, _targets.Proxy).GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task AnalyzeAsync()
    {
        if (Target == Driver.Gateway)
        {
            await PostAsync(new Uri(_targets.Gateway, "/v1/notes/analyze"), Note);
            return;
        }

        await PostAsync(new Uri(_targets.Backend, "/v1/deidentify"), JsonPost.DeidentifyBody);
        await PostAsync(new Uri(_targets.Backend, "/v1/classify"), ClassifyRequest);
    }

    private Task PostAsync(Uri uri, byte[] body) => JsonPost.SendAsync(_client, uri, body);

    [GlobalCleanup]
    public void Cleanup()
    {
        Dispose();
        _targets.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(InProcessProxyJob.With(invocations: 256, warmups: 3, iterations: 8));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95);
        }
    }
}
