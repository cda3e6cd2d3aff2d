using System.Collections.Concurrent;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using HealthAI.InferenceServer.ModelConfiguration;
using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol.Inference;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Repository;

/// <summary>
/// Loads, reloads and unloads the models of the repositories, and resolves a request's model and version. Control operations
/// run one at a time; requests never block on them: a reload swaps in the new versions, then drains the old ones so requests
/// already queued on them finish there.
/// </summary>
public sealed class ModelManager(
    IOptions<InferenceServerOptions> options,
    IEnumerable<IModelBackend> backends,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ModelEntry> _models = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly List<Task> _draining = [];
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelManager>();
    private readonly InferenceServerOptions _options = options.Value;

    /// <summary>Every model the server knows, in name order.</summary>
    public IReadOnlyList<ModelEntry> Models => [.. _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>True when every model the server was asked to load is ready (Triton's strict readiness).</summary>
    public bool AllModelsReady => _models.Values.All(m => m.State == ModelState.Ready);

    /// <summary>Loads what the control mode says to load at start-up; returns the names that failed.</summary>
    public async Task<IReadOnlyList<string>> LoadStartupModelsAsync(CancellationToken cancellationToken)
    {
        var found = ModelRepositoryScanner.Scan(_options.ModelRepositories);
        if (_options.ModelControlMode == ModelControlMode.Explicit && !_options.LoadModels.Contains("*"))
        {
            found = [.. found.Where(m => _options.LoadModels.Contains(m.Name))];
            foreach (var missing in _options.LoadModels.Except(found.Select(f => f.Name)))
            {
                var entry = _models.GetOrAdd(missing, name => new ModelEntry(name, ""));
                entry.State = ModelState.Unavailable;
                entry.Reason = $"model '{missing}' is not in the model repository";
            }
        }

        var failed = new List<string>();
        foreach (var model in found)
        {
            if (!await LoadCoreAsync(model, cancellationToken))
            {
                failed.Add(model.Name);
            }
        }

        failed.AddRange(_models.Values.Where(m => m.State == ModelState.Unavailable && m.Directory.Length == 0).Select(m => m.Name));
        return failed;
    }

    /// <summary>Explicit mode: loads (or reloads) one model. Other modes refuse, as Triton does.</summary>
    public async Task LoadAsync(string name, CancellationToken cancellationToken)
    {
        EnsureExplicit("load");
        var model = ModelRepositoryScanner.Scan(_options.ModelRepositories).FirstOrDefault(m => m.Name == name)
            ?? throw InferenceException.InvalidArg($"failed to load '{name}', failed to poll from model repository");
        if (!await LoadCoreAsync(model, cancellationToken))
        {
            throw InferenceException.InvalidArg($"load failed for model '{name}': {_models[name].Reason}");
        }
    }

    /// <summary>Explicit mode: unloads a model; queued and running requests finish first.</summary>
    public async Task UnloadAsync(string name, CancellationToken cancellationToken)
    {
        EnsureExplicit("unload");
        await _control.WaitAsync(cancellationToken);
        try
        {
            if (!_models.TryGetValue(name, out var entry))
            {
                throw InferenceException.InvalidArg($"failed to unload '{name}', model is not loaded");
            }

            var old = entry.Versions;
            entry.State = ModelState.Unloading;
            entry.Versions = [];
            await DrainAsync(old, cancellationToken);
            entry.State = ModelState.Unavailable;
            entry.Reason = "unloaded";
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Poll mode: loads new models, reloads changed ones and unloads those that disappeared.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var found = ModelRepositoryScanner.Scan(_options.ModelRepositories);
        foreach (var model in found)
        {
            var fingerprint = ModelRepositoryScanner.Fingerprint(model.Path);
            if (!_models.TryGetValue(model.Name, out var entry) || entry.Fingerprint != fingerprint)
            {
                await LoadCoreAsync(model, cancellationToken);
            }
        }

        foreach (var gone in _models.Values.Where(m => found.All(f => f.Name != m.Name)).ToList())
        {
            await _control.WaitAsync(cancellationToken);
            try
            {
                var old = gone.Versions;
                gone.Versions = [];
                _models.TryRemove(gone.Name, out _);
                StartDraining(old);
            }
            finally
            {
                _control.Release();
            }
        }
    }

    /// <summary>
    /// The version a request goes to: the one asked for, else the highest ready one. Throws NOT_FOUND / UNAVAILABLE as Triton.
    /// </summary>
    public ModelVersion Resolve(string name, string? version)
    {
        if (!_models.TryGetValue(name, out var entry))
        {
            throw InferenceException.NotFound($"Request for unknown model: '{name}' is not found");
        }

        var versions = entry.Versions;
        if (versions.Count == 0)
        {
            throw InferenceException.Unavailable($"Request for unknown model: '{name}' has no available versions");
        }

        if (string.IsNullOrEmpty(version))
        {
            return versions[^1];
        }

        if (!long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw InferenceException.InvalidArg($"failed to parse model version '{version}' of model '{name}'");
        }

        return versions.FirstOrDefault(v => v.Version == number)
            ?? throw InferenceException.NotFound($"Request for unknown model: '{name}' version {number} is not found");
    }

    /// <summary>True when the model (and version, if given) is loaded and ready.</summary>
    public bool IsReady(string name, string? version)
    {
        try
        {
            Resolve(name, version);
            return true;
        }
        catch (InferenceException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Drains every model: queued and running requests finish unless <paramref name="cancellationToken"/> fires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var all = _models.Values.SelectMany(m => m.Versions).ToList();
        foreach (var entry in _models.Values)
        {
            entry.Versions = [];
            entry.State = ModelState.Unavailable;
            entry.Reason = "server is stopping";
        }

        await DrainAsync(all, cancellationToken);
        Task[] draining;
        lock (_draining)
        {
            draining = [.. _draining];
        }

        await Task.WhenAll(draining).WaitAsync(cancellationToken);
    }

    private async Task<bool> LoadCoreAsync(ModelDirectory model, CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            var entry = _models.GetOrAdd(model.Name, name => new ModelEntry(name, model.Path));
            entry.Directory = model.Path;
            entry.Fingerprint = ModelRepositoryScanner.Fingerprint(model.Path);
            var previous = entry.Versions;
            if (previous.Count == 0)
            {
                entry.State = ModelState.Loading;
            }

            try
            {
                var loaded = LoadVersions(model);
                entry.Versions = loaded;
                entry.State = ModelState.Ready;
                entry.Reason = "";
                StartDraining(previous);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failing model never takes the rest of the repository down; the old versions (if any) keep serving.
                entry.State = previous.Count > 0 ? ModelState.Ready : ModelState.Unavailable;
                entry.Reason = ex is InferenceException or PbtxtException or InvalidDataException or IOException
                    ? ex.Message
                    : $"{ex.GetType().Name}: {ex.Message}";
                Log.ModelLoadFailed(_logger, model.Name, entry.Reason);
                return false;
            }
        }
        finally
        {
            _control.Release();
        }
    }

    private List<ModelVersion> LoadVersions(ModelDirectory model)
    {
        var loaded = ModelConfigLoader.Load(model.Path);
        foreach (var unknown in loaded.UnknownFields)
        {
            Log.UnknownConfigField(_logger, Path.Combine(model.Path, ModelConfigLoader.FileName), unknown.Line, unknown.Column, unknown.Path);
        }

        var config = loaded.Config;
        var backend = backends.FirstOrDefault(b => b.Supports(config))
            ?? throw new InferenceException(TritonErrorKind.Unsupported,
                $"model '{model.Name}': no backend serves platform '{config.Platform}' / backend '{config.Backend}' on this server");
        var selected = ModelRepositoryScanner.SelectVersions(config.VersionPolicy, ModelRepositoryScanner.AvailableVersions(model.Path));
        if (selected.Count == 0)
        {
            throw new InvalidDataException($"model '{model.Name}': at least one version must be available under the version policy");
        }

        var versions = new List<ModelVersion>();
        try
        {
            foreach (var version in selected)
            {
                versions.Add(LoadVersion(model, config, backend, version));
            }
        }
        catch
        {
            foreach (var version in versions)
            {
                _ = version.Scheduler.DisposeAsync().AsTask();
            }

            throw;
        }

        return versions;
    }

    private ModelVersion LoadVersion(ModelDirectory model, ModelConfig config, IModelBackend backend, long version)
    {
        var directory = Path.Combine(model.Path, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var context = new ModelLoadContext(model.Name, version, config.Clone(), directory);
        var instances = new List<IModelInstance>();
        try
        {
            foreach (var group in config.InstanceGroup)
            {
                for (var i = 0; i < group.Count; i++)
                {
                    instances.Add(backend.CreateInstance(context, instances.Count));
                }
            }
        }
        catch
        {
            instances.ForEach(i => i.Dispose());
            throw;
        }

        BatchingPolicy batching;
        QueuePolicySettings queuePolicy;
        PrioritySettings priorities;
        try
        {
            batching = config.DynamicBatching is { } dynamic
                ? new BatchingPolicy(true, config.MaxBatchSize, [.. dynamic.PreferredBatchSize.Distinct().Order()],
                    TimeSpan.FromMicroseconds(dynamic.MaxQueueDelayMicroseconds), dynamic.PreserveOrdering, RaggedBatching.From(config))
                : BatchingPolicy.Unbatched with { Ragged = RaggedBatching.From(config) };
            queuePolicy = QueuePolicySettings.From(config.DynamicBatching?.DefaultQueuePolicy, _options.MaxQueueSize);
            priorities = PrioritySettings.From(config.DynamicBatching, _options.MaxQueueSize);
        }
        catch (InvalidDataException ex)
        {
            instances.ForEach(i => i.Dispose());
            throw new InvalidDataException($"model '{model.Name}': {ex.Message}", ex);
        }

        var scheduler = new ModelScheduler(model.Name, version, batching, queuePolicy, instances,
            [.. config.Output.Select(o => o.Name)], new ModelVersionStatistics(), timeProvider, loggerFactory.CreateLogger<ModelScheduler>(),
            priorities);
        Log.ModelLoaded(_logger, model.Name, version, config.Backend.Length > 0 ? config.Backend : config.Platform, instances.Count, config.MaxBatchSize);
        return new ModelVersion(model.Name, version, config, scheduler);
    }

    private void StartDraining(IReadOnlyList<ModelVersion> old)
    {
        if (old.Count == 0)
        {
            return;
        }

        var task = DrainAsync(old, CancellationToken.None);
        lock (_draining)
        {
            _draining.RemoveAll(t => t.IsCompleted);
            _draining.Add(task);
        }
    }

    private async Task DrainAsync(IReadOnlyList<ModelVersion> versions, CancellationToken cancellationToken)
    {
        foreach (var version in versions)
        {
            await version.Scheduler.DrainAsync(cancellationToken);
            Log.ModelUnloaded(_logger, version.Name, version.Version);
        }
    }

    private void EnsureExplicit(string operation)
    {
        if (_options.ModelControlMode != ModelControlMode.Explicit)
        {
            throw new InferenceException(TritonErrorKind.Unavailable,
                $"explicit model {operation} is not allowed if model control mode is not EXPLICIT");
        }
    }
}
