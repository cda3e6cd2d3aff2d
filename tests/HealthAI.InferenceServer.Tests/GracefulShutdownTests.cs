using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HealthAI.InferenceServer.Tests;

/// <summary>
/// SIGTERM on the real process under load: readiness turns false first, inference is still answered while the drain delay runs
/// (load balancers may not have noticed yet), a request already queued is answered in full, and the process exits with code 0.
/// </summary>
public sealed partial class GracefulShutdownTests
{
    [GeneratedRegex(@"http=(?<http>http://\S+) grpc=\S+ metrics=(?<metrics>http://\S+)$")]
    private static partial Regex ListeningLine();

    private const string Echo = """
        backend: "identity"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        """;

    // A lone request waits the whole 6 s queue delay for companions that never come: it is in flight across the shutdown.
    private const string Delayed = """
        backend: "identity"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        dynamic_batching { preferred_batch_size: [ 8 ] max_queue_delay_microseconds: 6000000 }
        """;

    private static StringContent Body(long value) => new(
        $$"""{"inputs":[{"name":"INPUT0","shape":[1,2],"datatype":"INT64","data":[{{value}},{{value + 1}}]}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Sigterm_under_load_drops_readiness_first_finishes_in_flight_requests_and_exits_0()
    {
        using var repository = new TestRepository().WithModel("echo", Echo).WithModel("delayed", Delayed);
        await using var server = new ServiceProcess(
            "triton",
            Path.Combine(AppContext.BaseDirectory, "HealthAI.InferenceServer.dll"),
            ["--model-repository", repository.Root, "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0"],
            new Dictionary<string, string> { ["HealthAI__Shutdown__DrainDelay"] = "00:00:03" });
        server.Start();
        var listening = ListeningLine().Match(await server.WaitForLineAsync(
            l => l.StartsWith("HealthAI.InferenceServer listening", StringComparison.Ordinal), TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken));
        Assert.True(listening.Success, server.Tail());
        using var http = new HttpClient { BaseAddress = new Uri(listening.Groups["http"].Value), Timeout = TimeSpan.FromSeconds(60) };
        using var metrics = new HttpClient { BaseAddress = new Uri(listening.Groups["metrics"].Value) };

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var outcomes = new ConcurrentBag<(TimeSpan Started, HttpStatusCode? Status, string Body)>();
        async Task User(int user)
        {
            for (var i = 0L; !stop.IsCancellationRequested; i++)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.PostAsync("/v2/models/echo/infer", Body((user * 1_000_000) + i), CancellationToken.None);
                    outcomes.Add((started, response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None)));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add((started, null, ""));
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }

        var load = Enumerable.Range(0, 4).Select(User).ToArray();
        var inFlight = http.PostAsync("/v2/models/delayed/infer", Body(42), CancellationToken.None);
        while (!(await metrics.GetStringAsync("/metrics", TestContext.Current.CancellationToken))
            .Contains("nv_inference_pending_request_count{model=\"delayed\",version=\"1\"} 1", StringComparison.Ordinal))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // The load is flowing (a few answered) before the signal.
        using var loadFlowing = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        loadFlowing.CancelAfter(TimeSpan.FromSeconds(30));
        while (outcomes.Count(o => o.Status == HttpStatusCode.OK) < 8)
        {
            await Task.Delay(10, loadFlowing.Token);
        }

        var terminatedAt = clock.Elapsed;
        // SIGTERM is sent before TerminateAsync first awaits; the exit is awaited after the probes below.
        var exited = server.TerminateAsync(TimeSpan.FromSeconds(60));

        // Readiness: the first answer that is not 200 is Triton's 400, given while the listener is still open.
        HttpStatusCode? readiness;
        do
        {
            try
            {
                using var ready = await http.GetAsync("/v2/health/ready", TestContext.Current.CancellationToken);
                readiness = ready.StatusCode;
            }
            catch (HttpRequestException)
            {
                readiness = null;
            }
        }
        while (readiness == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.BadRequest, readiness);
        using (var duringDrain = await http.PostAsync("/v2/models/echo/infer", Body(7), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, duringDrain.StatusCode);
        }

        using var answered = await inFlight;
        var exitCode = await exited;
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var output = JsonDocument.Parse(await answered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("outputs")[0];
        Assert.Equal([42L, 43L], output.GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(0, exitCode);

        // A graceful stop refuses nobody: every answer was a success; only requests started after SIGTERM may find the socket closed.
        Assert.All(outcomes.Where(o => o.Status is not null), o => Assert.True(o.Status == HttpStatusCode.OK, $"{(int?)o.Status}: {o.Body}"));
        Assert.DoesNotContain(outcomes, o => o.Status is null && o.Started < terminatedAt);
        Assert.DoesNotContain(server.Output, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}
