using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using HealthAI.Gateway.ConnectionForwarding;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Trace context through the connection-level forwarder: a recorded server span when spans are recorded, none when they are
/// only propagated, and the caller's trace carried to the destination either way. Activity listeners are process-wide, so
/// every assertion picks this test's trace id.
/// </summary>
public sealed class ForwardingTraceTests : ForwardingDestinations
{
    [Fact]
    public async Task With_spans_recorded_the_forwarder_records_a_server_span_that_is_the_destinations_parent()
    {
        var capture = new SpanCapture();
        await using var gateway = await StartGatewayAsync(Deid, services: services =>
            services.AddSingleton<BaseProcessor<Activity>>(capture));
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        using var response = await SendAsync(gateway, traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await capture.WaitForAsync(traceId, Ct);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("forward deidentify", span.OperationName);
        Assert.Equal("00f067aa0ba902b7", span.ParentSpanId.ToHexString());
        Assert.Equal("deidentify", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal($"00-{traceId}-{span.SpanId.ToHexString()}-01", Assert.Single(Deid.Requests).Headers["traceparent"]);
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task With_spans_only_propagated_no_activity_is_made_and_the_trace_still_reaches_the_destination()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var started = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ForwardingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.TraceId.ToHexString() == traceId)
                {
                    started.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await StartGatewayAsync(Deid);

        using var response = await SendAsync(gateway, traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(started);
        var sent = Assert.Single(Deid.Requests).Headers["traceparent"];
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", sent);
        Assert.DoesNotContain("00f067aa0ba902b7", sent, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(KestrelGateway gateway, string traceId)
    {
        using var client = gateway.CreateClient(TestTokens.Create());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/deidentify")
        {
            Content = new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        return await client.SendAsync(request, Ct);
    }

    private sealed class SpanCapture : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public override void OnEnd(Activity data) => _ended.Enqueue(data);

        // The span ends just after the answer's last byte: wait for it, bounded.
        public async Task<Activity> WaitForAsync(string traceId, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 500; i++)
            {
                if (_ended.FirstOrDefault(a => a.Source.Name == ForwardingTelemetry.Name && a.TraceId.ToHexString() == traceId) is { } span)
                {
                    return span;
                }

                await Task.Delay(10, cancellationToken);
            }

            throw new TimeoutException("The forwarder's span did not end within 5 s.");
        }
    }
}
