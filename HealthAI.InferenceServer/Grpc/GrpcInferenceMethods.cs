using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Http;
using HealthAI.InferenceServer.Repository;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Health;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Grpc;

/// <summary>One unary method: how to parse its request and what to do with it.</summary>
public sealed record GrpcMethod(Func<ReadOnlySequence<byte>, IMessage> Parse, Func<IMessage, CancellationToken, Task<IMessage>> Invoke);

/// <summary>The methods of <c>inference.GRPCInferenceService</c> and <c>grpc.health.v1.Health/Check</c>.</summary>
public sealed class GrpcInferenceMethods
{
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);

    public GrpcInferenceMethods(InferenceService inference, ModelManager models, ServerStatus status)
    {
        Add<ServerLiveRequest>(GrpcMethods.ServerLive, ServerLiveRequest.Parser, (_, _) => new ServerLiveResponse { Live = status.IsLive });
        Add<ServerReadyRequest>(GrpcMethods.ServerReady, ServerReadyRequest.Parser, (_, _) => new ServerReadyResponse { Ready = status.IsReady });
        Add<ModelReadyRequest>(GrpcMethods.ModelReady, ModelReadyRequest.Parser,
            (r, _) => new ModelReadyResponse { Ready = models.IsReady(r.Name, r.Version) });
        Add<ServerMetadataRequest>(GrpcMethods.ServerMetadata, ServerMetadataRequest.Parser, (_, _) =>
            new ServerMetadataResponse { Name = ServerStatus.ServerName, Version = ServerStatus.ServerVersion, Extensions = { ServerStatus.Extensions } });
        Add<ModelMetadataRequest>(GrpcMethods.ModelMetadata, ModelMetadataRequest.Parser, (r, _) => ToProto(ModelDescriptions.Metadata(models, r.Name, r.Version)));
        Add<ModelConfigRequest>(GrpcMethods.ModelConfig, ModelConfigRequest.Parser,
            (r, _) => new ModelConfigResponse { Config = models.Resolve(r.Name, r.Version).Config });
        Add<ModelStatisticsRequest>(GrpcMethods.ModelStatistics, ModelStatisticsRequest.Parser,
            (r, _) => ToProto(ModelDescriptions.Statistics(models, r.Name, r.Version)));
        Add<HealthCheckRequest>(GrpcMethods.HealthCheck, HealthCheckRequest.Parser, (r, _) => r.Service is "" or GrpcMethods.InferenceService
            ? new HealthCheckResponse { Status = status.IsReady ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing }
            : throw new GrpcCallException(GrpcStatusCode.NotFound, $"unknown service '{r.Service}'"));
        _methods[GrpcMethods.ModelInfer] = new GrpcMethod(
            static bytes => ModelInferRequest.Parser.ParseFrom(bytes),
            async (message, cancellationToken) =>
            {
                var request = GrpcTensorCodec.ToRequest((ModelInferRequest)message);
                var result = await inference.InferAsync(request, cancellationToken);
                return GrpcTensorCodec.ToResponse(result);
            });
        _methods[GrpcMethods.RepositoryModelLoad] = new GrpcMethod(
            static bytes => RepositoryModelLoadRequest.Parser.ParseFrom(bytes),
            async (message, cancellationToken) =>
            {
                await models.LoadAsync(((RepositoryModelLoadRequest)message).ModelName, cancellationToken);
                return new RepositoryModelLoadResponse();
            });
        _methods[GrpcMethods.RepositoryModelUnload] = new GrpcMethod(
            static bytes => RepositoryModelUnloadRequest.Parser.ParseFrom(bytes),
            async (message, cancellationToken) =>
            {
                await models.UnloadAsync(((RepositoryModelUnloadRequest)message).ModelName, cancellationToken);
                return new RepositoryModelUnloadResponse();
            });
        Add<RepositoryIndexRequest>(GrpcMethods.RepositoryIndex, RepositoryIndexRequest.Parser, (r, _) =>
        {
            var response = new RepositoryIndexResponse();
            foreach (var entry in models.Models)
            {
                if (entry.Versions.Count > 0)
                {
                    response.Models.AddRange(entry.Versions.Select(v => new RepositoryIndexResponse.Types.ModelIndex
                    { Name = entry.Name, Version = v.VersionText, State = "READY" }));
                }
                else if (!r.Ready)
                {
                    response.Models.Add(new RepositoryIndexResponse.Types.ModelIndex
                    { Name = entry.Name, State = entry.State.ToString().ToUpperInvariant(), Reason = entry.Reason });
                }
            }

            return response;
        });
    }

    public bool TryGet(string path, [NotNullWhen(true)] out GrpcMethod? method) => _methods.TryGetValue(path, out method);

    private void Add<TRequest>(string path, MessageParser<TRequest> parser, Func<TRequest, CancellationToken, IMessage> handle)
        where TRequest : IMessage<TRequest> =>
        _methods[path] = new GrpcMethod(bytes => parser.ParseFrom(bytes), (message, ct) => Task.FromResult(handle((TRequest)message, ct)));

    private static ModelMetadataResponse ToProto(ModelMetadataBody body)
    {
        var response = new ModelMetadataResponse { Name = body.Name, Platform = body.Platform, Versions = { body.Versions } };
        response.Inputs.AddRange(body.Inputs.Select(ToProto));
        response.Outputs.AddRange(body.Outputs.Select(ToProto));
        return response;
    }

    private static ModelMetadataResponse.Types.TensorMetadata ToProto(TensorMetadataBody t) =>
        new() { Name = t.Name, Datatype = t.Datatype, Shape = { t.Shape } };

    private static ModelStatisticsResponse ToProto(StatisticsBody body)
    {
        var response = new ModelStatisticsResponse();
        foreach (var m in body.ModelStats)
        {
            var stats = new KServe.Protocol.Inference.ModelStatistics
            {
                Name = m.Name,
                Version = m.Version,
                LastInference = (ulong)m.LastInference,
                InferenceCount = (ulong)m.InferenceCount,
                ExecutionCount = (ulong)m.ExecutionCount,
                InferenceStats = new InferStatistics
                {
                    Success = D(m.InferenceStats.Success),
                    Fail = D(m.InferenceStats.Fail),
                    Queue = D(m.InferenceStats.Queue),
                    ComputeInput = D(m.InferenceStats.ComputeInput),
                    ComputeInfer = D(m.InferenceStats.ComputeInfer),
                    ComputeOutput = D(m.InferenceStats.ComputeOutput),
                    CacheHit = D(m.InferenceStats.CacheHit),
                    CacheMiss = D(m.InferenceStats.CacheMiss),
                },
            };
            stats.BatchStats.AddRange(m.BatchStats.Select(b => new InferBatchStatistics
            {
                BatchSize = (ulong)b.BatchSize,
                ComputeInput = D(b.ComputeInput),
                ComputeInfer = D(b.ComputeInfer),
                ComputeOutput = D(b.ComputeOutput),
            }));
            response.ModelStats.Add(stats);
        }

        return response;
    }

    private static StatisticDuration D(DurationBody d) => new() { Count = (ulong)d.Count, Ns = (ulong)d.Ns };
}
