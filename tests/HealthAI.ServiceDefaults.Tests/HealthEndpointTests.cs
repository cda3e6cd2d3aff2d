using System.Net;
using HealthAI.ServiceDefaults.Health;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Alive_and_health_answer_in_production()
    {
        var (app, _) = await TestHosts.StartServiceAsync(_ => { });
        await using var _app = app;
        var client = app.GetTestClient();

        var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);
        var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Readiness_drops_while_draining_but_liveness_stays()
    {
        var (app, _) = await TestHosts.StartServiceAsync(_ => { });
        await using var _app = app;
        var client = app.GetTestClient();

        app.Services.GetRequiredService<ShutdownState>().BeginDraining();

        var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
