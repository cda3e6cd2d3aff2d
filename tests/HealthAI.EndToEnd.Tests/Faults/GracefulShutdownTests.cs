using System.Net;
using System.Net.Http.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Faults;

/// <summary>
/// SIGTERM to each service while it is busy: readiness drops first while liveness still answers, what it accepted is answered
/// in full, nothing gets a 5xx, the process exits 0; then it is restarted where it was so later tests see the whole system.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class GracefulShutdownTests(SystemFixture system)
{
    private const string Note = "Seen by Dr. Alvarez on 03/14/2024, MRN 55512345, call 617-555-0199. ";

    [Fact]
    public async Task Deid_stopped_under_load_drops_readiness_first_and_finishes_what_it_accepted()
    {
        using var client = new HttpClient { BaseAddress = system.DeidAddress, Timeout = TimeSpan.FromSeconds(30) };
        var text = string.Concat(Enumerable.Repeat(Note, 25));
        var batch = new { items = Enumerable.Range(0, 64).Select(_ => new { text, mode = "placeholder" }).ToArray() };
        await StopsGracefullyUnderLoadAsync(system.Deid, client, c => PostJsonAsync(c, "/v1/deidentify-batch", batch), HealthRoutes.AspNet,
            ct => system.RestartAsync(system.Deid, system.DeidAddress, ct));
    }

    [Fact]
    public async Task Tokenizer_stopped_under_load_drops_readiness_first_and_finishes_what_it_accepted()
    {
        using var client = new HttpClient { BaseAddress = system.TokenizerAddress, Timeout = TimeSpan.FromSeconds(30) };
        var body = new { texts = Enumerable.Range(0, 16).Select(i => $"Follow-up visit {i}: the patient reports mild pain, improving with rest.").ToArray() };
        await StopsGracefullyUnderLoadAsync(system.Tokenizer, client, c => PostJsonAsync(c, "/v1/classify", body), HealthRoutes.AspNet,
            ct => system.RestartAsync(system.Tokenizer, system.TokenizerAddress, ct));
    }

    [Fact]
    public async Task Gateway_stopped_under_load_drops_readiness_first_and_finishes_what_it_accepted()
    {
        using var client = system.CreateAuthorizedClient();
        var body = new { text = string.Concat(Enumerable.Repeat(Note, 4)), returnText = false };
        await StopsGracefullyUnderLoadAsync(system.Gateway, client, c => PostJsonAsync(c, "/v1/notes/analyze", body), HealthRoutes.AspNet,
            ct => system.RestartAsync(system.Gateway, system.GatewayAddress, ct));
    }

    [Fact]
    public async Task Inference_server_stopped_under_load_drops_readiness_first_and_finishes_what_it_accepted()
    {
        using var client = new HttpClient { BaseAddress = system.TritonHttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        var infer = InferBody(batch: 8, sequence: 64);
        // The rest of the system reaches the inference server through the proxies, which follow it to its new ports.
        await StopsGracefullyUnderLoadAsync(system.Triton, client, c => PostJsonAsync(c, "/v2/models/distilbert-sst2/infer", infer),
            HealthRoutes.KServe, system.StartTritonAsync);
    }

    /// <summary>Stops the service under load, checks the contract, and restarts it whatever the outcome.</summary>
    private static async Task StopsGracefullyUnderLoadAsync(
        ServiceProcess process, HttpClient client, Func<HttpClient, Task<HttpStatusCode>> send, HealthRoutes routes, Func<CancellationToken, Task> restart)
    {
        var ct = TestContext.Current.CancellationToken;
        try
        {
            var record = await ShutdownUnderLoad.RunAsync(process, client, send, routes, ct);
            record.AssertGraceful();
        }
        finally
        {
            await restart(ct);
        }
    }

    private static async Task<HttpStatusCode> PostJsonAsync<T>(HttpClient client, string path, T body)
    {
        using var response = await client.PostAsJsonAsync(path, body, CancellationToken.None);
        await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
        return response.StatusCode;
    }

    /// <summary>A KServe JSON request for the bundled classifier: [CLS] then ordinary word-piece ids, every position attended.</summary>
    private static object InferBody(int batch, int sequence)
    {
        var ids = Enumerable.Range(0, batch * sequence).Select(i => i % sequence == 0 ? 101L : 1000L + (i % 500)).ToArray();
        var mask = Enumerable.Repeat(1L, batch * sequence).ToArray();
        return new
        {
            inputs = new[]
            {
                new { name = "input_ids", shape = new[] { batch, sequence }, datatype = "INT64", data = ids },
                new { name = "attention_mask", shape = new[] { batch, sequence }, datatype = "INT64", data = mask },
            },
        };
    }
}
