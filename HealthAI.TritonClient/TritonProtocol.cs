namespace HealthAI.TritonClient;

/// <summary>How the client talks to the server.</summary>
public enum TritonProtocol
{
    /// <summary>HTTP/1.1 or HTTP/2 with the binary tensor data extension: JSON header, raw tensor bytes after it. The default.</summary>
    HttpBinary,

    /// <summary>Plain KServe v2 JSON: tensors as JSON arrays. Readable, slow; FP16/BF16 cannot go this way.</summary>
    HttpJson,

    /// <summary>gRPC (<c>inference.GRPCInferenceService</c>) over HTTP/2, h2c or TLS, tensors in raw contents.</summary>
    Grpc,
}
