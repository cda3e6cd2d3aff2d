using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Hosting;

/// <summary>Triton's model control modes (<c>--model-control-mode</c>).</summary>
public enum ModelControlMode
{
    None,
    Poll,
    Explicit,
}

/// <summary>The server's settings: section <c>InferenceServer</c>, filled from tritonserver-style flags by <see cref="ServerCommandLine"/>.</summary>
public sealed class InferenceServerOptions
{
    public const string SectionName = "InferenceServer";

    /// <summary>One or more Triton model repositories (<c>--model-repository</c>).</summary>
    public List<string> ModelRepositories { get; set; } = [];

    /// <summary>Address every listener binds (<c>--host</c>); containers use 0.0.0.0.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int HttpPort { get; set; } = 8000;
    public int GrpcPort { get; set; } = 8001;
    public int MetricsPort { get; set; } = 8002;

    public ModelControlMode ModelControlMode { get; set; } = ModelControlMode.None;

    /// <summary>Seconds between repository scans in poll mode (<c>--repository-poll-secs</c>).</summary>
    public int RepositoryPollSeconds { get; set; } = 15;

    /// <summary>When true (Triton's default) the server is ready only while every model it was asked to load is ready.</summary>
    public bool StrictReadiness { get; set; } = true;

    /// <summary>When true (Triton's default) a model that fails to load at start-up stops the server.</summary>
    public bool ExitOnError { get; set; } = true;

    /// <summary>Models to load at start-up in explicit mode (<c>--load-model</c>; <c>*</c> for all).</summary>
    public List<string> LoadModels { get; set; } = [];

    /// <summary>ONNX Runtime intra-op threads per session; 0 leaves it to the model's parameters or the runtime.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Which model <c>distilbert-sst2</c> gets when a repository has its config.pbtxt but no <c>1/model.onnx</c> yet
    /// (<c>--bundled-model-preset distilbert-base|tiny|none</c>); the generated file is kept for the next start.
    /// </summary>
    public string BundledModelPreset { get; set; } = "distilbert-base";

    /// <summary>The bound on every model queue, whatever its config says (back-pressure: requests beyond it get 503).</summary>
    public int MaxQueueSize { get; set; } = 4096;

    /// <summary>Largest gRPC message accepted; Triton allows INT32_MAX.</summary>
    public int GrpcMaxReceiveMessageBytes { get; set; } = int.MaxValue;

    /// <summary>Largest HTTP request body accepted, on either port.</summary>
    public long MaxRequestBodyBytes { get; set; } = int.MaxValue;
}

/// <summary>Checks the settings at start-up; every message names the configuration key (and the flag it comes from).</summary>
internal sealed class InferenceServerOptionsValidator : IValidateOptions<InferenceServerOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceServerOptions options)
    {
        var errors = new List<string>();
        const string Prefix = InferenceServerOptions.SectionName + ":";
        if (options.ModelRepositories.Count == 0)
        {
            errors.Add($"{Prefix}{nameof(options.ModelRepositories)} (--model-repository) is required.");
        }

        foreach (var repository in options.ModelRepositories)
        {
            if (!Directory.Exists(repository))
            {
                errors.Add($"{Prefix}{nameof(options.ModelRepositories)} (--model-repository): directory '{repository}' does not exist.");
            }
        }

        CheckPort(errors, Prefix + nameof(options.HttpPort), "--http-port", options.HttpPort);
        CheckPort(errors, Prefix + nameof(options.GrpcPort), "--grpc-port", options.GrpcPort);
        CheckPort(errors, Prefix + nameof(options.MetricsPort), "--metrics-port", options.MetricsPort);
        if (!System.Net.IPAddress.TryParse(options.Host, out _) && options.Host != "localhost")
        {
            errors.Add($"{Prefix}{nameof(options.Host)} (--host) must be an IP address or 'localhost', not '{options.Host}'.");
        }

        if (options.RepositoryPollSeconds < 1)
        {
            errors.Add($"{Prefix}{nameof(options.RepositoryPollSeconds)} (--repository-poll-secs) must be at least 1.");
        }

        if (options.BundledModelPreset is not ("distilbert-base" or "tiny" or "none"))
        {
            errors.Add($"{Prefix}{nameof(options.BundledModelPreset)} (--bundled-model-preset) must be distilbert-base, tiny or none.");
        }

        if (options.IntraOpThreads < 0)
        {
            errors.Add($"{Prefix}{nameof(options.IntraOpThreads)} (--intra-op-threads) must be 0 or more.");
        }

        if (options.MaxQueueSize < 1)
        {
            errors.Add($"{Prefix}{nameof(options.MaxQueueSize)} must be at least 1.");
        }

        if (options.GrpcMaxReceiveMessageBytes < 1024)
        {
            errors.Add($"{Prefix}{nameof(options.GrpcMaxReceiveMessageBytes)} must be at least 1024.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPort(List<string> errors, string key, string flag, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"{key} ({flag}) must be between 0 and 65535, not {port}.");
        }
    }
}
