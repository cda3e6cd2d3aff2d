using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.TritonClient.Grpc;
using HealthAI.TritonClient.Http;
using HealthAI.TritonClient.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthAI.TritonClient;

/// <summary>
/// The <see cref="ITritonClient"/> over one of the three transports. It owns what every transport shares: the deadline of each
/// call (a timer on the injected <see cref="TimeProvider"/>), retries of idempotent calls, one Activity per call and logging.
/// </summary>
public sealed class TritonClient : ITritonClient
{
    private readonly ITritonTransport _transport;
    private readonly TritonClientSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _protocolName;

    /// <summary>
    /// Creates a client over <paramref name="httpClient"/>, which must reach <see cref="TritonClientSettings.Endpoint"/> (HTTP
    /// protocols) or <see cref="TritonClientSettings.GrpcEndpoint"/> (gRPC; the handler must allow HTTP/2). The client does not
    /// dispose it. Applications register the client with <c>builder.AddTritonClient(...)</c> instead.
    /// </summary>
    public TritonClient(HttpClient httpClient, TritonClientSettings settings, TimeProvider? timeProvider = null, ILogger<TritonClient>? logger = null)
        : this(CreateTransport(httpClient, settings), settings, timeProvider, logger)
    {
    }

    /// <summary>
    /// Creates a gRPC client over any <see cref="IGrpcUnaryInvoker"/> (e.g. one backed by Grpc.Net.Client);
    /// <paramref name="settings"/> must say <see cref="TritonProtocol.Grpc"/>.
    /// </summary>
    public TritonClient(IGrpcUnaryInvoker grpcInvoker, TritonClientSettings settings, TimeProvider? timeProvider = null, ILogger<TritonClient>? logger = null)
        : this(new GrpcTritonTransport(grpcInvoker ?? throw new ArgumentNullException(nameof(grpcInvoker))), RequireGrpc(settings), timeProvider, logger)
    {
    }

    private TritonClient(ITritonTransport transport, TritonClientSettings settings, TimeProvider? timeProvider, ILogger? logger)
    {
        _transport = transport;
        _settings = settings;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _protocolName = TritonTelemetry.ProtocolName(settings.Protocol);
    }

    /// <inheritdoc />
    public TritonProtocol Protocol => _settings.Protocol;

    /// <inheritdoc />
    public Task<InferResult> InferAsync(InferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Inputs.Count == 0)
        {
            throw new ArgumentException("An inference request needs at least one input.", nameof(request));
        }

        var retry = _settings.RetryInference && !IsSequenceRequest(request);
        return ExecuteAsync(
            "infer", request.ModelName, request.ModelVersion, request.BatchSize, request.Id, retry,
            request.Timeout ?? _settings.InferenceTimeout, request,
            static (t, r, call) => t.InferAsync(r, call), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default) =>
        Read("server-live", null, null, 0, static (t, _, call) => t.ServerLiveAsync(call), cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default) =>
        Read("server-ready", null, null, 0, static (t, _, call) => t.ServerReadyAsync(call), cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsModelReadyAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        return Read("model-ready", modelName, modelVersion, (modelName, modelVersion),
            static (t, s, call) => t.ModelReadyAsync(s.modelName, s.modelVersion, call), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ServerMetadataResponse> GetServerMetadataAsync(CancellationToken cancellationToken = default) =>
        Read("server-metadata", null, null, 0, static (t, _, call) => t.ServerMetadataAsync(call), cancellationToken);

    /// <inheritdoc />
    public Task<ModelMetadataResponse> GetModelMetadataAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        return Read("model-metadata", modelName, modelVersion, (modelName, modelVersion),
            static (t, s, call) => t.ModelMetadataAsync(s.modelName, s.modelVersion, call), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelConfig> GetModelConfigAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        return Read("model-config", modelName, modelVersion, (modelName, modelVersion),
            static (t, s, call) => t.ModelConfigAsync(s.modelName, s.modelVersion, call), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelStatisticsResponse> GetModelStatisticsAsync(string? modelName = null, string? modelVersion = null, CancellationToken cancellationToken = default) =>
        Read("model-statistics", modelName, modelVersion, (modelName, modelVersion),
            static (t, s, call) => t.ModelStatisticsAsync(s.modelName, s.modelVersion, call), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RepositoryIndexResponse.Types.ModelIndex>> GetRepositoryIndexAsync(bool readyOnly = false, CancellationToken cancellationToken = default) =>
        Read("repository-index", null, null, readyOnly, static (t, ready, call) => t.RepositoryIndexAsync(ready, call), cancellationToken);

    /// <inheritdoc />
    public Task LoadModelAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        // Loading twice reloads: not idempotent in effect, so no retry.
        return ExecuteAsync("repository-load", modelName, null, null, null, false, _settings.Timeout, modelName,
            static async (t, name, call) => { await t.LoadModelAsync(name, call); return true; }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UnloadModelAsync(string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        return ExecuteAsync("repository-unload", modelName, null, null, null, false, _settings.Timeout, modelName,
            static async (t, name, call) => { await t.UnloadModelAsync(name, call); return true; }, cancellationToken);
    }

    private Task<T> Read<T, TState>(string operation, string? modelName, string? modelVersion, TState state,
        Func<ITritonTransport, TState, CallContext, Task<T>> call, CancellationToken cancellationToken) =>
        ExecuteAsync(operation, modelName, modelVersion, null, null, true, _settings.Timeout, state, call, cancellationToken);

    private async Task<T> ExecuteAsync<T, TState>(
        string operation,
        string? modelName,
        string? modelVersion,
        long? batchSize,
        string? requestId,
        bool retry,
        TimeSpan timeout,
        TState state,
        Func<ITritonTransport, TState, CallContext, Task<T>> call,
        CancellationToken cancellationToken)
    {
        using var activity = _settings.DisableTracing ? null : TritonTelemetry.Start(operation, _settings.Protocol, modelName, modelVersion, batchSize);
        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = _timeProvider.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await Task.Delay(Backoff(attempt), _timeProvider, linked.Token);
                }

                var remaining = timeout - _timeProvider.GetElapsedTime(started);
                var result = await call(_transport, state, new CallContext(operation, remaining, linked.Token));
                TritonTelemetry.RecordSuccess(activity);
                return result;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Log.DeadlineExceeded(_logger, operation, modelName, _protocolName, timeout, requestId);
                var exceeded = new TritonException(operation, GrpcStatusCode.DeadlineExceeded, null,
                    $"The client deadline of {timeout} passed.", modelName, requestId, ex);
                TritonTelemetry.RecordFailure(activity, exceeded);
                throw exceeded;
            }
            catch (TritonException ex) when (retry && ex.IsTransient && attempt < _settings.MaxRetries && !linked.IsCancellationRequested)
            {
                Log.Retrying(_logger, operation, modelName, _protocolName, attempt + 1, ex.Status);
            }
            catch (TritonException ex)
            {
                Log.CallFailed(_logger, operation, modelName, _protocolName, ex.Status, (int?)ex.HttpStatus, ex.IsTransient, requestId);
                TritonTelemetry.RecordFailure(activity, ex);
                throw;
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        // Exponential with full jitter in [0.5, 1.5) of the nominal delay, so clients that failed together do not retry together.
        var nominal = _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
#pragma warning disable CA5394 // jitter needs no cryptographic randomness
        return TimeSpan.FromMilliseconds(nominal * (0.5 + Random.Shared.NextDouble()));
#pragma warning restore CA5394
    }

    private static bool IsSequenceRequest(InferRequest request) =>
        request.HasParameters && (request.Parameters.ContainsKey("sequence_id") || request.Parameters.ContainsKey("sequence_start"));

    private static TritonClientSettings RequireGrpc(TritonClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Protocol == TritonProtocol.Grpc
            ? settings
            : throw new ArgumentException($"A client over an {nameof(IGrpcUnaryInvoker)} needs {nameof(TritonClientSettings.Protocol)} = Grpc.", nameof(settings));
    }

    private static ITritonTransport CreateTransport(HttpClient httpClient, TritonClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Protocol == TritonProtocol.Grpc)
        {
            var address = settings.GrpcEndpoint ?? throw new ArgumentException(
                $"{nameof(TritonClientSettings.GrpcEndpoint)} is required for the gRPC protocol.", nameof(settings));
            return new GrpcTritonTransport(new HttpClientGrpcInvoker(httpClient, address, settings.MaxSendMessageSize, settings.MaxReceiveMessageSize));
        }

        var endpoint = settings.Endpoint ?? throw new ArgumentException(
            $"{nameof(TritonClientSettings.Endpoint)} is required for the HTTP protocols.", nameof(settings));
        return new HttpTritonTransport(httpClient, endpoint, settings.Protocol == TritonProtocol.HttpBinary,
            settings.MaxSendMessageSize, settings.MaxReceiveMessageSize);
    }
}
