using System.Net;
using System.Reflection;
using System.Text;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using HealthAI.ServiceDefaults.Health;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Tests;

/// <summary>With a drain delay, readiness drops at SIGTERM but inference is served until the delay has passed.</summary>
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

    [Fact]
    public void New_inference_is_refused_once_the_drain_delay_has_passed()
    {
        var clock = new ManualClock();
        var state = new ShutdownState();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var admission = new ShutdownAdmission(state, Options.Create(new DrainOptions { DrainDelay = TimeSpan.FromSeconds(5) }), lifetime, clock);
        Assert.False(admission.RefusesNewInference);

        lifetime.StopApplication();
        BeginDraining(state);
        Assert.False(admission.RefusesNewInference);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(admission.RefusesNewInference);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(admission.RefusesNewInference);
    }

    [Fact]
    public void Without_a_drain_delay_new_inference_is_refused_as_soon_as_draining_begins()
    {
        var state = new ShutdownState();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var admission = new ShutdownAdmission(state, Options.Create(new DrainOptions()), lifetime, new ManualClock());
        Assert.False(admission.RefusesNewInference);
        BeginDraining(state);
        Assert.True(admission.RefusesNewInference);
    }

    // What ServiceDefaults' stopping hook does first on SIGTERM; internal there.
    private static void BeginDraining(ShutdownState state) =>
        typeof(ShutdownState).GetMethod("BeginDraining", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(state, null);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
