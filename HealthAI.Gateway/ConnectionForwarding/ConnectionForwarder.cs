using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using HealthAI.Gateway.Audit;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// Kestrel connection middleware that forwards plain HTTP/1.1 requests for the forwarded routes straight from the client's
/// connection to a pooled destination connection, skipping ASP.NET Core's per-request pipeline and HttpClient. It applies the
/// same policies as the pipeline, through the same services: bearer authentication and route authorization
/// (<see cref="CallerAdmissions"/>), the per-client token buckets, the route table's media types and body limits, the audit
/// trail, X-Forwarded-* and trace context.
/// </summary>
/// <remarks>
/// It serves only what it fully understands and would answer exactly as the pipeline does. Anything else (a request the strict
/// parser does not accept, another route, a body over its limit, a missing or rejected token, an exhausted bucket, HTTP/2,
/// an unresolved destination) hands the connection, from that request on, to Kestrel's HTTP stack, which answers it with the
/// pipeline's own status codes and ProblemDetails. A hand-over consumes nothing: the request is still in the pipe. It is installed
/// on plain-HTTP endpoints only (<c>AddGatewayConnectionForwarding</c>): Kestrel runs it outside an endpoint's TLS. Where the
/// gateway's own event loops carry those endpoints (<c>EventLoop/</c>), they call <see cref="Prepare"/> and
/// <see cref="CompleteAsync"/> themselves and this middleware lets their hand-overs pass.
/// </remarks>
internal sealed partial class ConnectionForwarder : IDisposable
{
    // A request (head and body) is waited for whole, so it must fit in what Kestrel's pipe buffers before it stops reading the
    // socket (Kestrel:Limits:MaxRequestBufferSize), and is held to 1 MB whatever that limit.
    private const long MaxBufferedRequestBytes = 1024 * 1024;

    private readonly ForwardedRouteTable _routes;
    private readonly DestinationConnectionPool?[] _pools;
    private readonly CallerAdmissions _admissions;
    private readonly ClientRateLimiter _limiter;
    private readonly AuditTrail _audit;
    private readonly ForwardingTelemetry _telemetry;
    private readonly ConnectionForwardingOptions _options;
    private readonly KestrelServerLimits _limits;
    private readonly ForwardedHeadersOptions _forwardedHeaders;
    private readonly bool _enabled;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConnectionForwarder> _logger;

    /// <summary>Whether it forwards at all: enabled, with forwarded routes, and no host allow-list.</summary>
    internal bool IsEnabled => _enabled;

    internal ConnectionForwardingOptions Options => _options;

    /// <summary>Kestrel's limits, which the client side of a forwarded connection keeps.</summary>
    internal KestrelServerLimits Limits => _limits;

    internal CallerAdmissions Admissions => _admissions;

    internal int RouteCount => _routes.Routes.Count;

    internal ForwardingTelemetry Telemetry => _telemetry;

    internal TimeProvider TimeProvider => _timeProvider;

    internal ILogger Logger => _logger;

    public ConnectionForwarder(
        ForwardedRouteTable routes,
        CallerAdmissions admissions,
        ClientRateLimiter limiter,
        AuditTrail audit,
        ForwardingTelemetry telemetry,
        IOptions<ConnectionForwardingOptions> options,
        IOptions<ReverseProxyOptions> proxy,
        IOptions<ForwardedHeadersOptions> forwardedHeaders,
        IOptions<HostFilteringOptions> hostFiltering,
        IOptions<KestrelServerOptions> kestrel,
        TimeProvider timeProvider,
        ILogger<ConnectionForwarder> logger)
    {
        _routes = routes;
        _admissions = admissions;
        _limiter = limiter;
        _audit = audit;
        _telemetry = telemetry;
        _options = options.Value;
        _limits = kestrel.Value.Limits;
        _forwardedHeaders = forwardedHeaders.Value;
        _timeProvider = timeProvider;
        _logger = logger;

        // Host filtering runs in the pipeline; with a host allow-list every request takes the pipeline.
        var allowedHosts = hostFiltering.Value.AllowedHosts;
        _enabled = _options.Enabled && routes.Routes.Count > 0 && (allowedHosts.Count == 0 || allowedHosts.Contains("*"));

        // One pool per cluster. A cluster whose HttpClient settings limit connections keeps to the pipeline's HttpClient,
        // which is where those settings apply.
        var pools = new Dictionary<string, DestinationConnectionPool?>(StringComparer.Ordinal);
        _pools = new DestinationConnectionPool?[routes.Routes.Count];
        foreach (var route in routes.Routes)
        {
            var clusterId = route.Cluster.Id;
            if (!pools.TryGetValue(clusterId, out var pool))
            {
                var config = proxy.Value.Clusters[clusterId];
                pool = config.HttpClient.MaxConnectionsPerServer is null
                    ? new DestinationConnectionPool(route.Cluster, _options, timeProvider)
                    : null;
                pools[clusterId] = pool;
            }

            _pools[route.Index] = pool;
        }
    }

    /// <summary>The middleware: serves the connection while it can, then hands it to <paramref name="next"/>.</summary>
    public async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        // TLS needs no check here: the middleware runs outside an endpoint's TLS, and is installed on plain-HTTP endpoints only.
        if (!_enabled || connection.RemoteEndPoint is not IPEndPoint { Address: var address } || IsKnownProxy(address))
        {
            await next(connection);
            return;
        }

        ConnectionStep step;
        using (var client = new ClientConnection(connection, address))
        {
            // Graceful shutdown: an idle connection stops waiting for its next request.
            using var closeRequested = client.CloseRequested.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), client.Input);
            do
            {
                step = await ForwardNextAsync(client);
            }
            while (step == ConnectionStep.Continue);
        }

        if (step == ConnectionStep.HandOver)
        {
            await next(connection);
        }
    }

    // Pooled state machines: every request suspends here (waiting for the client, then the destination), and a fresh box per
    // suspension would be the largest allocation per forwarded request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ConnectionStep> ForwardNextAsync(ClientConnection client)
    {
        var input = client.Input;
        client.ResetBodyScan();
        client.Timeout.CancelAfter(_limits.KeepAliveTimeout);
        var receiving = false;
        var bodySince = 0L;
        CallerAdmission? admitted = null;
        PreparedRequest request;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(client.Timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Idle or request timeout, or the client is gone.
                return ConnectionStep.Close;
            }

            var buffer = result.Buffer;
            if (result.IsCanceled || client.CloseRequested.IsCancellationRequested)
            {
                input.AdvanceTo(buffer.Start);
                return buffer.IsEmpty ? ConnectionStep.Close : HandOver("shutdown");
            }

            if (!receiving && !buffer.IsEmpty)
            {
                receiving = true;
                client.Timeout.CancelAfter(_limits.RequestHeadersTimeout);
            }

            var readiness = Prepare(client, buffer, admitted, out request);
            switch (readiness)
            {
                case Readiness.Ready:
                    input.AdvanceTo(request.Consumed);
                    return await ExchangeAsync(client, request);
                case Readiness.NeedMoreData:
                    if (request.HeadLength > 0)
                    {
                        // The head is in; the body must keep up Kestrel's minimum data rate after its grace period.
                        bodySince = bodySince == 0 ? _timeProvider.GetTimestamp() : bodySince;
                        ArmBodyTimeout(client, buffer.Length - request.HeadLength, bodySince);
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        return ConnectionStep.Close;
                    }

                    continue;
                case Readiness.NeedAdmission:
                    input.AdvanceTo(buffer.Start);
                    admitted = await _admissions.AdmitAsync(request.Authorization!, _routes.Routes.Count);
                    if (admitted is null)
                    {
                        return HandOver("unauthenticated");
                    }

                    continue;
                case Readiness.NeedAuthorization:
                    input.AdvanceTo(buffer.Start);
                    admitted = request.Admission;
                    if (!await _admissions.AuthorizeAsync(request.Admission!, request.Route!))
                    {
                        return HandOver("forbidden");
                    }

                    continue;
                default:
                    input.AdvanceTo(buffer.Start);
                    return HandOver(request.HandOverReason!);
            }
        }
    }

    /// <summary>Closes the idle destination connections.</summary>
    public void Dispose()
    {
        foreach (var pool in _pools)
        {
            pool?.Dispose();
        }
    }

    private void ArmBodyTimeout(ClientConnection client, long bodyBytes, long bodySince) =>
        client.Timeout.CancelAfter(BodyTimeLeft(bodyBytes, bodySince));

    /// <summary>
    /// How long a request body that started arriving at <paramref name="bodySince"/> may still take: Kestrel's minimum data rate
    /// after its grace period, or the request headers timeout without one. At least 1 ms.
    /// </summary>
    internal TimeSpan BodyTimeLeft(long bodyBytes, long bodySince)
    {
        if (_limits.MinRequestBodyDataRate is not { } rate)
        {
            return _limits.RequestHeadersTimeout;
        }

        var allowed = rate.GracePeriod + TimeSpan.FromSeconds(bodyBytes / rate.BytesPerSecond) - _timeProvider.GetElapsedTime(bodySince);
        return allowed > TimeSpan.Zero ? allowed : TimeSpan.FromMilliseconds(1);
    }

    private ConnectionStep HandOver(string reason)
    {
        _telemetry.RecordHandover(reason);
        return ConnectionStep.HandOver;
    }

    internal bool IsKnownProxy(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var proxy in _forwardedHeaders.KnownProxies)
        {
            if (proxy.Equals(address))
            {
                return true;
            }
        }

        foreach (var network in _forwardedHeaders.KnownIPNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
