using System.Diagnostics;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Telemetry;

/// <summary>
/// The client's ActivitySource. One client span per call carries the operation, model, version, batch size and protocol:
/// ids and counts only, never tensor contents. ServiceDefaults listens to every <c>HealthAI.*</c> source.
/// </summary>
public static class TritonTelemetry
{
    /// <summary>Name of the ActivitySource.</summary>
    public const string ActivitySourceName = "HealthAI.TritonClient";

    public const string OperationTag = "triton.operation";
    public const string ModelNameTag = "triton.model.name";
    public const string ModelVersionTag = "triton.model.version";
    public const string BatchSizeTag = "triton.batch_size";
    public const string ProtocolTag = "triton.protocol";
    public const string StatusTag = "rpc.grpc.status_code";
    public const string HttpStatusTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(TritonTelemetry).Assembly.GetName().Version?.ToString());

    internal static Activity? Start(string operation, TritonProtocol protocol, string? modelName, string? modelVersion, long? batchSize)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"triton {operation}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationTag, operation);
            activity.SetTag(ProtocolTag, ProtocolName(protocol));
            activity.SetTag("rpc.system", protocol == TritonProtocol.Grpc ? "grpc" : "http");
            if (modelName is not null)
            {
                activity.SetTag(ModelNameTag, modelName);
            }

            if (modelVersion is not null)
            {
                activity.SetTag(ModelVersionTag, modelVersion);
            }

            if (batchSize is { } batch)
            {
                activity.SetTag(BatchSizeTag, batch);
            }
        }

        return activity;
    }

    internal static void RecordFailure(Activity? activity, TritonException exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Status.ToString());
        activity.SetTag(ErrorTypeTag, exception.Status.ToString());
        activity.SetTag(StatusTag, (int)exception.Status);
        if (exception.HttpStatus is { } http)
        {
            activity.SetTag(HttpStatusTag, (int)http);
        }
    }

    internal static void RecordSuccess(Activity? activity) => activity?.SetTag(StatusTag, (int)GrpcStatusCode.OK);

    internal static string ProtocolName(TritonProtocol protocol) => protocol switch
    {
        TritonProtocol.HttpBinary => "http-binary",
        TritonProtocol.HttpJson => "http-json",
        _ => "grpc",
    };
}
