using System.Text;
using HealthAI.OnnxRuntime.Native;

namespace HealthAI.OnnxRuntime;

/// <summary>ORT's logging severities (<c>OrtLoggingLevel</c>).</summary>
public enum OrtLoggingLevel
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

/// <summary>
/// The ORT environment: loads the native library and owns ORT's process-wide state (logging, default thread pools).
/// Sessions keep their environment alive until they are disposed, so disposing an environment early is safe.
/// Most code uses <see cref="Instance"/>, which lives as long as the process.
/// </summary>
public sealed class OrtEnv : IDisposable
{
    private static readonly Lazy<OrtEnv> SharedInstance = new(() => new OrtEnv("healthai", OrtLoggingLevel.Warning, shared: true));

    private readonly bool _shared;

    private OrtEnv(string logId, OrtLoggingLevel loggingLevel, bool shared)
    {
        OrtApi.EnsureInitialized();
        _shared = shared;
        Handle = new OrtEnvHandle();
        unsafe
        {
            var id = Encoding.UTF8.GetBytes(logId + "\0");
            nint env;
            fixed (byte* idPointer = id)
            {
                OrtApi.Check(OrtApi.CreateEnv((int)loggingLevel, idPointer, &env));
            }

            Handle.Attach(env);
        }
    }

    /// <summary>The process-wide environment (log id "healthai", warnings and above). Disposing it does nothing.</summary>
    public static OrtEnv Instance => SharedInstance.Value;

    /// <summary>The loaded library's version string, e.g. "1.30.0".</summary>
    public static string RuntimeVersion
    {
        get
        {
            OrtApi.EnsureInitialized();
            return OrtApi.RuntimeVersion;
        }
    }

    /// <summary>The C API version in use (the newest both the library and this binding know).</summary>
    public static uint ApiVersion
    {
        get
        {
            OrtApi.EnsureInitialized();
            return OrtApi.ApiVersion;
        }
    }

    internal OrtEnvHandle Handle { get; }

    /// <summary>Creates an environment of its own. ORT shares one environment per process underneath, reference counted.</summary>
    public static OrtEnv Create(string logId = "healthai", OrtLoggingLevel loggingLevel = OrtLoggingLevel.Warning)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logId);
        return new OrtEnv(logId, loggingLevel, shared: false);
    }

    /// <summary>Loads a model file into a new session on this environment.</summary>
    public InferenceSession CreateSession(string modelPath, SessionOptions? options = null) =>
        new(this, modelPath, options ?? new SessionOptions());

    public void Dispose()
    {
        if (!_shared)
        {
            Handle.Dispose();
        }
    }
}
