using System.Net;
using System.Text;
using System.Text.Json;
using HealthAI.InferenceServer.Hosting;
using HealthAI.InferenceServer.Repository;

namespace HealthAI.InferenceServer.Tests;

public sealed class ModelControlTests
{
    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private const string OneRow = """{"inputs":[{"name":"INPUT0","shape":[1,1],"datatype":"INT64","data":[5]}]}""";

    [Fact]
    public async Task Poll_mode_picks_up_a_changed_config_and_a_new_version_while_in_flight_requests_finish_on_the_old_one()
    {
        using var repository = new TestRepository().WithModel("slow", TestRepository.Slow, 1);
        using var backend = new RecordingBackend();
        await using var server = await InferenceServerHost.StartAsync(
            ["--model-repository", repository.Root, "--model-control-mode", "poll", "--repository-poll-secs", "3600"],
            builder => builder.Services.AddSingleton<Execution.IModelBackend>(backend));
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        var models = server.Services.GetRequiredService<ModelManager>();

        backend.Block();
        var inFlight = http.PostAsync("/v2/models/slow/infer", Body(OneRow));
        await backend.Started.WaitAsync(TimeSpan.FromSeconds(20));

        File.WriteAllText(Path.Combine(repository.Root, "slow", "config.pbtxt"), TestRepository.Slow.Replace("max_batch_size: 4", "max_batch_size: 2", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(repository.Root, "slow", "2"));
        await models.PollAsync(CancellationToken.None);

        var metadata = JsonDocument.Parse(await http.GetStringAsync("/v2/models/slow")).RootElement;
        Assert.Equal(["2"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var config = JsonDocument.Parse(await http.GetStringAsync("/v2/models/slow/config")).RootElement;
        Assert.Equal(2, config.GetProperty("max_batch_size").GetInt32());

        backend.Unblock();
        using var oldResponse = await inFlight;
        Assert.Equal(HttpStatusCode.OK, oldResponse.StatusCode);
        Assert.Equal("1", JsonDocument.Parse(await oldResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("model_version").GetString());
        using var newResponse = await http.PostAsync("/v2/models/slow/infer", Body(OneRow));
        Assert.Equal("2", JsonDocument.Parse(await newResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("model_version").GetString());

        // A broken edit keeps the last good version serving.
        File.WriteAllText(Path.Combine(repository.Root, "slow", "config.pbtxt"), "max_batch_size: {");
        await models.PollAsync(CancellationToken.None);
        using var stillServing = await http.PostAsync("/v2/models/slow/infer", Body(OneRow));
        Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
    }

    [Fact]
    public async Task Explicit_mode_loads_and_unloads_on_request()
    {
        using var repository = new TestRepository().WithModel("simple", TestRepository.Simple);
        await using var server = await InferenceServerHost.StartAsync(
            ["--model-repository", repository.Root, "--model-control-mode", "explicit"]);
        using var http = new HttpClient { BaseAddress = server.HttpAddress };

        using (var notLoaded = await http.GetAsync("/v2/models/simple/ready"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notLoaded.StatusCode);
        }

        using (var load = await http.PostAsync("/v2/repository/models/simple/load", null))
        {
            Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        }

        using (var infer = await http.PostAsync("/v2/models/simple/infer", Body(OneRow)))
        {
            Assert.Equal(HttpStatusCode.OK, infer.StatusCode);
        }

        using (var unload = await http.PostAsync("/v2/repository/models/simple/unload", Body("{}")))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }

        using var afterUnload = await http.PostAsync("/v2/models/simple/infer", Body(OneRow));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, afterUnload.StatusCode);
        var index = JsonDocument.Parse(await (await http.PostAsync("/v2/repository/index", null)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("UNAVAILABLE", index[0].GetProperty("state").GetString());

        using var missing = await http.PostAsync("/v2/repository/models/nothing/load", null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task While_draining_readiness_is_false_and_inference_is_still_answered()
    {
        using var repository = new TestRepository().WithModel("simple", TestRepository.Simple);
        await using var server = await InferenceServerHost.StartAsync(["--model-repository", repository.Root]);
        using var http = new HttpClient { BaseAddress = server.HttpAddress };

        // What the host's stopping hook does first on SIGTERM (ServiceDefaults' DrainOnShutdownService); internal there.
        var state = server.Services.GetRequiredService<HealthAI.ServiceDefaults.Health.ShutdownState>();
        typeof(HealthAI.ServiceDefaults.Health.ShutdownState)
            .GetMethod("BeginDraining", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .Invoke(state, null);

        using (var ready = await http.GetAsync("/v2/health/ready"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, ready.StatusCode);
        }

        // Kestrel bounds what still arrives; a 503 would fail the callers a graceful shutdown exists to spare.
        using var answered = await http.PostAsync("/v2/models/simple/infer", Body(OneRow));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var live = await http.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Strict_readiness_is_false_while_a_model_failed_and_exit_on_error_stops_start_up()
    {
        using var repository = new TestRepository().WithModel("simple", TestRepository.Simple).WithModel("broken", TestRepository.Broken);
        await using (var server = await InferenceServerHost.StartAsync(["--model-repository", repository.Root, "--exit-on-error=false"]))
        {
            using var http = new HttpClient { BaseAddress = server.HttpAddress };
            using var ready = await http.GetAsync("/v2/health/ready");
            Assert.Equal(HttpStatusCode.BadRequest, ready.StatusCode);
            using var health = await http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => InferenceServerHost.StartAsync(["--model-repository", repository.Root]));
        Assert.Contains("broken", ex.Message, StringComparison.Ordinal);
    }
}
