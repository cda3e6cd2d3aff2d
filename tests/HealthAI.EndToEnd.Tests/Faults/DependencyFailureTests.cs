using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Faults;

[Collection(SystemCollection.Name)]
public sealed class DependencyFailureTests(SystemFixture system)
{
    private static object Note(int i) => new { text = $"Follow-up visit {i}: the patient reports mild pain, improving with rest.", returnText = false };

    [Fact]
    public async Task Deid_down_fails_closed_and_nothing_reaches_the_tokenizer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = system.CreateAuthorizedClient();
        Assert.True(await PipelineRecoversAsync(client, ct), "the pipeline was not serving before the test began");

        system.Deid.Kill();
        try
        {
            var classifiedBefore = system.TokenizerProxy.HitsOf("POST /v1/classify");
            var auditLinesBefore = File.ReadAllLines(system.AuditFile).Length;

            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                var response = await client.PostAsJsonAsync("/v1/notes/analyze", Note(i), ct);
                statuses.Add(response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"got {(int)s}"));
            Assert.Equal(classifiedBefore, system.TokenizerProxy.HitsOf("POST /v1/classify"));

            // The audit trail recorded the refusals (each record is appended as its response completes: allow it a moment).
            var newLines = new List<string>();
            for (var wait = 0; wait < 50 && newLines.Count < 5; wait++)
            {
                newLines = File.ReadAllLines(system.AuditFile).Skip(auditLinesBefore).ToList();
                if (newLines.Count < 5)
                {
                    await Task.Delay(100, ct);
                }
            }

            Assert.True(newLines.Count >= 5, $"expected 5 new audit records, found {newLines.Count}");
            Assert.All(newLines.TakeLast(5), line => Assert.Matches("\"status\"\\s*:\\s*50[34]", line));
        }
        finally
        {
            await system.RestartAsync(system.Deid, system.DeidAddress, ct);
        }

        // The gateway's circuit to deid opened during the outage; it lets a trial call through after its break duration.
        Assert.True(await PipelineRecoversAsync(client, ct), "the pipeline did not resume within 30 s of deid's restart");
    }

    /// <summary>Polls the pipeline for up to 30 s; true once a note is analyzed again.</summary>
    private static async Task<bool> PipelineRecoversAsync(HttpClient client, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var response = await client.PostAsJsonAsync("/v1/notes/analyze", Note(attempt), ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            await Task.Delay(500, ct);
        }

        return false;
    }

    [Fact]
    public async Task Inference_server_killed_under_load_gives_bounded_503_or_504_and_service_resumes_after_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = system.CreateAuthorizedClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode? Status, TimeSpan Elapsed)>();

        async Task VirtualUser(int id)
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/notes/analyze", Note(id * 1000 + i++), CancellationToken.None);
                    outcomes.Add((response.StatusCode, watch.Elapsed));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add((null, watch.Elapsed));
                }
            }
        }

        var users = Enumerable.Range(0, 8).Select(VirtualUser).ToArray();
        await Task.Delay(1_500, ct);
        system.Triton.Kill();
        await Task.Delay(4_000, ct);
        await stop.CancelAsync();
        await Task.WhenAll(users);

        Assert.DoesNotContain(outcomes, o => o.Status is null);
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK);
        var failures = outcomes.Where(o => o.Status != HttpStatusCode.OK).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, o => Assert.True(
            o.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
            $"failure status {(int?)o.Status}"));
        // Nothing hangs: every answer came back well inside the client's own 60 s timeout.
        Assert.All(outcomes, o => Assert.True(o.Elapsed < TimeSpan.FromSeconds(30), $"a request took {o.Elapsed}"));

        await system.StartTritonAsync(ct);
        Assert.True(await PipelineRecoversAsync(client, ct), "the pipeline did not resume within 30 s of the inference server's restart");
    }
}
