using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>Where a service reports readiness and liveness, and what its readiness answers while it is draining.</summary>
public sealed record HealthRoutes(string Readiness, HttpStatusCode NotReady, string Liveness)
{
    /// <summary>ServiceDefaults' routes: <c>/health</c> (503 while draining) and <c>/alive</c>.</summary>
    public static HealthRoutes AspNet { get; } = new("/health", HttpStatusCode.ServiceUnavailable, "/alive");

    /// <summary>The inference server's own KServe routes: Triton answers 400 while not ready.</summary>
    public static HealthRoutes KServe { get; } = new("/v2/health/ready", HttpStatusCode.BadRequest, "/v2/health/live");
}

/// <summary>
/// Stops one service with SIGTERM while a few users keep it busy and a prober watches its readiness and liveness side by side,
/// recording what every request and probe saw, so each graceful-shutdown test checks the same contract in a few seconds.
/// </summary>
public static class ShutdownUnderLoad
{
    private const int Users = 6;
    private static readonly TimeSpan LoadBeforeSignal = TimeSpan.FromSeconds(1);

    /// <param name="process">The service to stop.</param>
    /// <param name="client">A client addressed to that service (requests and probes both go straight to it).</param>
    /// <param name="send">One request; it reads the whole answer and returns its status.</param>
    /// <param name="routes">The service's readiness and liveness routes.</param>
    /// <param name="cancellationToken">The test's token.</param>
    public static async Task<ShutdownRecord> RunAsync(
        ServiceProcess process, HttpClient client, Func<HttpClient, Task<HttpStatusCode>> send, HealthRoutes routes,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var requests = new ConcurrentBag<RequestRecord>();
        var probes = new ConcurrentBag<ProbeRecord>();
        using var stop = new CancellationTokenSource();

        // Requests are never cancelled: one in flight at SIGTERM must be seen to its end.
        async Task User()
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                try
                {
                    var status = await send(client);
                    requests.Add(new RequestRecord(started, clock.Elapsed, status));
                }
                catch (HttpRequestException)
                {
                    // Refused or reset: the listener has closed (after the drain delay), which is not an answer at all.
                    requests.Add(new RequestRecord(started, clock.Elapsed, null));
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }

        async Task Probe()
        {
            while (!stop.IsCancellationRequested)
            {
                var at = clock.Elapsed;
                probes.Add(new ProbeRecord(at, await GetStatusAsync(client, routes.Readiness), await GetStatusAsync(client, routes.Liveness)));
                await Task.Delay(50, CancellationToken.None);
            }
        }

        var tasks = Enumerable.Range(0, Users).Select(_ => User()).Append(Probe()).ToArray();
        await Task.Delay(LoadBeforeSignal, cancellationToken);
        var terminatedAt = clock.Elapsed;
        var exitCode = await process.TerminateAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        return new ShutdownRecord(routes, terminatedAt, exitCode, [.. requests], [.. probes]);
    }

    private static async Task<HttpStatusCode?> GetStatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path, CancellationToken.None);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

/// <summary>One request: when it was sent and answered (test clock), and its status; null when no answer came.</summary>
public sealed record RequestRecord(TimeSpan Started, TimeSpan Ended, HttpStatusCode? Status);

/// <summary>Readiness and liveness, asked one after the other at <see cref="At"/>; null where nothing answered.</summary>
public sealed record ProbeRecord(TimeSpan At, HttpStatusCode? Readiness, HttpStatusCode? Liveness);

/// <summary>What a service did while it was stopped under load.</summary>
public sealed record ShutdownRecord(
    HealthRoutes Routes, TimeSpan TerminatedAt, int ExitCode, IReadOnlyList<RequestRecord> Requests, IReadOnlyList<ProbeRecord> Probes)
{
    /// <summary>
    /// The graceful-shutdown contract: exit code 0; every request in flight at SIGTERM answered 200; no 5xx at all from the
    /// process being stopped; readiness dropped while liveness still answered, so load balancers stop sending first.
    /// </summary>
    public void AssertGraceful()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; {Timeline()}");
        var inFlight = Requests.Where(r => r.Started < TerminatedAt && r.Ended > TerminatedAt).ToList();
        Assert.True(inFlight.Count > 0, $"nothing was in flight at SIGTERM; {Timeline()}");
        Assert.True(inFlight.All(r => r.Status == HttpStatusCode.OK), $"a request in flight at SIGTERM was not answered 200; {Timeline()}");
        Assert.False(Requests.Any(r => r.Status is { } s && (int)s >= 500), $"the stopping service answered 5xx; {Timeline()}");
        Assert.True(Probes.Any(p => p.At > TerminatedAt && p.Readiness == Routes.NotReady && p.Liveness == HttpStatusCode.OK),
            $"readiness never dropped while liveness answered; {Timeline()}");
    }

    /// <summary>Statuses (or "none") counted by when the request began and ended relative to SIGTERM, for failure messages.</summary>
    public string Timeline()
    {
        static string Phase(TimeSpan at, TimeSpan signal) => at < signal ? "before" : "after";
        var requests = Requests
            .GroupBy(r => $"{Phase(r.Started, TerminatedAt)}->{Phase(r.Ended, TerminatedAt)} {(r.Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {g.Count()}");
        var probes = Probes.Where(p => p.At > TerminatedAt).OrderBy(p => p.At)
            .Select(p => $"+{(p.At - TerminatedAt).TotalMilliseconds:F0}ms {(int?)p.Readiness}/{(int?)p.Liveness}");
        return $"requests by start->end and status: [{string.Join(", ", requests)}]; probes after SIGTERM (readiness/liveness): [{string.Join(", ", probes)}]";
    }
}
