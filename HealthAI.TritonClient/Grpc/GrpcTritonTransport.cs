using Google.Protobuf;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient.Grpc;

/// <summary>
/// The Triton API over <c>inference.GRPCInferenceService</c>. Inputs travel in <c>raw_input_contents</c> (wrapped, not copied, until
/// the message is written); outputs are read from <c>raw_output_contents</c>, or from typed contents when a server sends those.
/// </summary>
internal sealed class GrpcTritonTransport(IGrpcUnaryInvoker invoker) : ITritonTransport
{
    public async Task<bool> ServerLiveAsync(CallContext call) =>
        (await Call<ServerLiveRequest, ServerLiveResponse>(GrpcMethods.ServerLive, new ServerLiveRequest(), call, null, null)).Live;

    public async Task<bool> ServerReadyAsync(CallContext call)
    {
        try
        {
            return (await Call<ServerReadyRequest, ServerReadyResponse>(GrpcMethods.ServerReady, new ServerReadyRequest(), call, null, null)).Ready;
        }
        catch (TritonException ex) when (ex.Status == GrpcStatusCode.Unavailable && ex.InnerException is GrpcCallException { InnerException: null })
        {
            // A draining server answers UNAVAILABLE: that is "not ready", not a failure of the probe.
            return false;
        }
    }

    public async Task<bool> ModelReadyAsync(string modelName, string? modelVersion, CallContext call)
    {
        try
        {
            var request = new ModelReadyRequest { Name = modelName, Version = modelVersion ?? string.Empty };
            return (await Call<ModelReadyRequest, ModelReadyResponse>(GrpcMethods.ModelReady, request, call, modelName, null)).Ready;
        }
        catch (TritonException ex) when (ex.Status is GrpcStatusCode.NotFound or GrpcStatusCode.InvalidArgument)
        {
            return false;
        }
    }

    public Task<ServerMetadataResponse> ServerMetadataAsync(CallContext call) =>
        Call<ServerMetadataRequest, ServerMetadataResponse>(GrpcMethods.ServerMetadata, new ServerMetadataRequest(), call, null, null);

    public Task<ModelMetadataResponse> ModelMetadataAsync(string modelName, string? modelVersion, CallContext call) =>
        Call<ModelMetadataRequest, ModelMetadataResponse>(GrpcMethods.ModelMetadata,
            new ModelMetadataRequest { Name = modelName, Version = modelVersion ?? string.Empty }, call, modelName, null);

    public async Task<ModelConfig> ModelConfigAsync(string modelName, string? modelVersion, CallContext call) =>
        (await Call<ModelConfigRequest, ModelConfigResponse>(GrpcMethods.ModelConfig,
            new ModelConfigRequest { Name = modelName, Version = modelVersion ?? string.Empty }, call, modelName, null)).Config
        ?? new ModelConfig();

    public Task<ModelStatisticsResponse> ModelStatisticsAsync(string? modelName, string? modelVersion, CallContext call) =>
        Call<ModelStatisticsRequest, ModelStatisticsResponse>(GrpcMethods.ModelStatistics,
            new ModelStatisticsRequest { Name = modelName ?? string.Empty, Version = modelVersion ?? string.Empty }, call, modelName, null);

    public async Task<IReadOnlyList<RepositoryIndexResponse.Types.ModelIndex>> RepositoryIndexAsync(bool readyOnly, CallContext call) =>
        (await Call<RepositoryIndexRequest, RepositoryIndexResponse>(GrpcMethods.RepositoryIndex,
            new RepositoryIndexRequest { Ready = readyOnly }, call, null, null)).Models;

    public Task LoadModelAsync(string modelName, CallContext call) =>
        Call<RepositoryModelLoadRequest, RepositoryModelLoadResponse>(GrpcMethods.RepositoryModelLoad,
            new RepositoryModelLoadRequest { ModelName = modelName }, call, modelName, null);

    public Task UnloadModelAsync(string modelName, CallContext call) =>
        Call<RepositoryModelUnloadRequest, RepositoryModelUnloadResponse>(GrpcMethods.RepositoryModelUnload,
            new RepositoryModelUnloadRequest { ModelName = modelName }, call, modelName, null);

    public async Task<InferResult> InferAsync(InferRequest request, CallContext call)
    {
        var message = GrpcInferMapper.ToMessage(request);
        var response = await Call<ModelInferRequest, ModelInferResponse>(GrpcMethods.ModelInfer, message, call, request.ModelName, request.Id);
        try
        {
            return GrpcInferMapper.FromMessage(response);
        }
        catch (FormatException ex)
        {
            throw new TritonException(call.Operation, GrpcStatusCode.Internal, null, ex.Message, request.ModelName, request.Id, ex);
        }
    }

    private async Task<TResponse> Call<TRequest, TResponse>(string method, TRequest request, CallContext call, string? modelName, string? requestId)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new()
    {
        try
        {
            return await invoker.UnaryAsync<TRequest, TResponse>(method, request, call.Deadline, call.CancellationToken);
        }
        catch (GrpcCallException ex)
        {
            throw new TritonException(call.Operation, ex.Status, null, ex.StatusMessage, modelName, requestId, ex);
        }
    }
}
