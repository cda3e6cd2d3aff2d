namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>How requests travel. gRPC is HTTP/2 without TLS (prior knowledge), as Triton's port 8001 speaks it.</summary>
public enum TransportProtocol
{
    Http1,
    Http2,
    Grpc,

    /// <summary>No transport: the in-process ONNX Runtime ceiling (scenario o). Not a --protocols value.</summary>
    InProcess,
}
