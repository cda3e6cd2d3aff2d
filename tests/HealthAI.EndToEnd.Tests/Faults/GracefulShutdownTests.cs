using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Faults;

[Collection(SystemCollection.Name)]
public sealed class GracefulShutdownTests(SystemFixture system)
{
    [Fact]
    public async Task Deid_stopped_under_load_drops_readiness_first_and_finishes_what_it_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = system.DeidAddress, Timeout = TimeSpan.FromSeconds(30) };
        var note = string.Concat(Enumerable.Repeat("Seen by Dr. Alvarez on 03/14/2024, MRN 55512345, call 617-555-0199. ", 25));
        var batch = new { items = Enumerable.Range(0, 64).Select(_ => new { text = note, mode = "placeholder" }).ToArray() };

        var clock = Stopwatch.StartNew();
        TimeSpan? terminatedAt = null;
        var outcomes = new ConcurrentBag<(TimeSpan Started, TimeSpan Ended, HttpStatusCode? Status)>();
        using var stop = new CancellationTokenSource();

        async Task User()
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/deidentify-batch", batch, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    outcomes.Add((started, clock.Elapsed, response.StatusCode));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add((started, clock.Elapsed, null));
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }

        // Readiness and liveness, side by side, while the service shuts down.
        var probes = new ConcurrentBag<(TimeSpan At, HttpStatusCode? Health, HttpStatusCode? Alive)>();
        async Task Probe()
        {
            while (!stop.IsCancellationRequested)
            {
                static async Task<HttpStatusCode?> Get(HttpClient c, string path)
                {
                    try
                    {
                        using var r = await c.GetAsync(path, CancellationToken.None);
                        return r.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                }

                var at = clock.Elapsed;
                probes.Add((at, await Get(client, "/health"), await Get(client, "/alive")));
                await Task.Delay(50, CancellationToken.None);
            }
        }

        var tasks = Enumerable.Range(0, 6).Select(_ => User()).Append(Probe()).ToArray();
        await Task.Delay(1_500, ct);
        terminatedAt = clock.Elapsed;
        var exitCode = await system.Deid.TerminateAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300, ct);
        await stop.CancelAsync();
        await Task.WhenAll(tasks);

        try
        {
            Assert.Equal(0, exitCode);
            // Every request the service had accepted before SIGTERM was answered in full.
            var inFlight = outcomes.Where(o => o.Started < terminatedAt && o.Ended > terminatedAt).ToList();
            Assert.NotEmpty(inFlight);
            Assert.All(inFlight, o => Assert.True(o.Status == HttpStatusCode.OK, $"in-flight request ended with {(int?)o.Status}"));
            Assert.DoesNotContain(outcomes, o => o.Status is { } s && (int)s >= 500);
            // Readiness dropped while the process still answered liveness: load balancers stop sending first.
            Assert.Contains(probes, p => p.At > terminatedAt && p.Health == HttpStatusCode.ServiceUnavailable && p.Alive == HttpStatusCode.OK);
        }
        finally
        {
            await system.RestartAsync(system.Deid, system.DeidAddress, ct);
        }
    }
}
