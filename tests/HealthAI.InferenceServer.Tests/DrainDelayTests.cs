using System.Net;
using System.Text;
using HealthAI.InferenceServer.Hosting;

namespace HealthAI.InferenceServer.Tests;

/// <summary>A real host stop with a drain delay: readiness drops at once, inference is still answered.</summary>
public sealed class DrainDelayTests
{
    private const string OneRow = """{"inputs":[{"name":"INPUT0","shape":[1,1],"datatype":"INT64","data":[5]}]}""";

    [Fact]
    public async Task During_the_drain_delay_readiness_is_false_and_inference_is_still_served()
    {
        using var repository = new TestRepository().WithModel("simple", TestRepository.Simple);
        // Stopped (once) by the test itself, then disposed without a second stop.
        var server = await InferenceServerHost.StartAsync(["--model-repository", repository.Root],
            builder => builder.Configuration["HealthAI:Shutdown:DrainDelay"] = "00:01:00");
        using var http = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(20) };

        // The host stops as on SIGTERM; cancelling its token later cuts the minute-long delay short.
        using var cutShort = new CancellationTokenSource();
        var stopping = server.App.StopAsync(cutShort.Token);
        try
        {
            for (var i = 0; i < 200 && (await http.GetAsync("/v2/health/ready")).StatusCode == HttpStatusCode.OK; i++)
            {
                await Task.Delay(50);
            }

            using (var ready = await http.GetAsync("/v2/health/ready"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, ready.StatusCode);
            }

            using var served = await http.PostAsync("/v2/models/simple/infer", new StringContent(OneRow, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            using var live = await http.GetAsync("/v2/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            await cutShort.CancelAsync();
            await stopping;
            await server.App.DisposeAsync();
        }
    }
}
