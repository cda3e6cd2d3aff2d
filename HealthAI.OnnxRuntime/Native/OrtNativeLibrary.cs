using System.Reflection;
using System.Runtime.InteropServices;

namespace HealthAI.OnnxRuntime.Native;

/// <summary>
/// Finds and loads ONNX Runtime's shared library. The npm build of ORT ships <c>libonnxruntime.so.1</c> with no unversioned
/// symlink, so the plain <c>DllImport("onnxruntime")</c> probing would never find it; look next to the binaries first.
/// </summary>
internal static class OrtNativeLibrary
{
    /// <summary>Environment variable that points at a specific ONNX Runtime library file (tests, containers, a newer ORT).</summary>
    public const string PathVariable = "HEALTHAI_ONNXRUNTIME_LIBRARY";

    public static string FileName =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll"
        : OperatingSystem.IsMacOS() ? "libonnxruntime.1.dylib"
        : "libonnxruntime.so.1";

    public static nint Load()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates())
        {
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        // Last resort: the platform loader's own search (LD_LIBRARY_PATH, ldconfig cache).
        if (NativeLibrary.TryLoad(FileName, Assembly.GetExecutingAssembly(), DllImportSearchPath.SafeDirectories, out var system))
        {
            return system;
        }

        throw new DllNotFoundException(
            $"ONNX Runtime's native library '{FileName}' was not found (looked in: {string.Join(", ", tried)}, then the system search path). "
            + "Build the project that references HealthAI.OnnxRuntime (its build fetches the library from npm onnxruntime-node@1.30.0 "
            + $"and copies it next to the binaries), or set {PathVariable} to the library's full path.");
    }

    private static IEnumerable<string> Candidates()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
        }

        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var assemblyDirectory = Path.GetDirectoryName(typeof(OrtNativeLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, FileName);
        }
    }
}
