using HealthAI.Gateway.ConnectionForwarding;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

// The forwarder's behaviour tests run on the gateway's event-loop transport (the default, in their own classes) and again here
// on Kestrel's socket transport, where the forwarder is connection middleware: both must give the same answers.

public sealed class ConnectionForwardingOnKestrelTransportTests : ConnectionForwardingTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}

public sealed class ChunkedRequestForwardingOnKestrelTransportTests : ChunkedRequestForwardingTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}

public sealed class InterimResponseOnKestrelTransportTests : InterimResponseTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}

public sealed class KestrelHeadLimitsOnKestrelTransportTests : KestrelHeadLimitsTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}

public sealed class HttpsEndpointOnKestrelTransportTests : HttpsEndpointTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}

public sealed class ExchangeEdgeOnKestrelTransportTests : ExchangeEdgeTests
{
    protected override ForwardingTransport Transport => ForwardingTransport.Kestrel;
}
