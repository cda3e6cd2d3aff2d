using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>One client connection's state while the connection-level forwarder serves it on Kestrel's transport: its pipes and its timer.</summary>
internal sealed class ClientConnection : ForwardedClient
{
    public ClientConnection(ConnectionContext context, IPAddress remoteAddress)
        : base(remoteAddress)
    {
        Context = context;
        // One timer for the connection's whole life, re-armed for each wait; it also fires when the client goes away.
        Timeout = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed);
        CloseRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
    }

    public ConnectionContext Context { get; }

    public PipeReader Input => Context.Transport.Input;

    public PipeWriter Output => Context.Transport.Output;

    public CancellationTokenSource Timeout { get; }

    /// <summary>Fires when the server asks connections to finish (graceful shutdown).</summary>
    public CancellationToken CloseRequested { get; }

    public override void Dispose()
    {
        Timeout.Dispose();
        base.Dispose();
    }
}
