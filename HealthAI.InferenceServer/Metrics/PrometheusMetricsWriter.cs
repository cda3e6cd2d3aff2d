using System.Diagnostics;
using System.Globalization;
using System.Text;
using HealthAI.InferenceServer.Repository;
using HealthAI.InferenceServer.Scheduling;

namespace HealthAI.InferenceServer.Metrics;

/// <summary>
/// Prometheus text exposition with Triton's metric names and labels (<c>model</c>, <c>version</c>, <c>reason</c> on failures),
/// plus process CPU utilization and host memory. Labels carry model names and versions only.
/// </summary>
public sealed class PrometheusMetricsWriter(ModelManager models, TimeProvider timeProvider)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly object _cpuGate = new();
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastCpuTimestamp = timeProvider.GetTimestamp();
    private double _lastUtilization;

    public string Render()
    {
        var versions = models.Models.SelectMany(m => m.Versions).ToList();
        var text = new StringBuilder(4096);
        Counter(text, "nv_inference_request_success", "Number of successful inference requests, all batch sizes", versions, s => s.Success.Count);
        text.Append("# HELP nv_inference_request_failure Number of failed inference requests, all batch sizes\n# TYPE nv_inference_request_failure counter\n");
        foreach (var v in versions)
        {
            foreach (var reason in Enum.GetValues<FailureReason>())
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"nv_inference_request_failure{{model=\"{Escape(v.Name)}\",reason=\"{reason.ToString().ToUpperInvariant()}\",version=\"{v.VersionText}\"}} {v.Statistics.Failures(reason)}\n");
            }
        }

        Counter(text, "nv_inference_count", "Number of inferences performed (does not include cached requests)", versions, s => s.InferenceCount);
        Counter(text, "nv_inference_exec_count", "Number of model executions performed (does not include cached requests)", versions, s => s.ExecutionCount);
        Counter(text, "nv_inference_request_duration_us", "Cumulative inference request duration in microseconds (includes cached requests)", versions, s => s.Request.Nanoseconds / 1000);
        Counter(text, "nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds (includes cached requests)", versions, s => s.Queue.Nanoseconds / 1000);
        Counter(text, "nv_inference_compute_input_duration_us", "Cumulative compute input duration in microseconds (does not include cached requests)", versions, s => s.ComputeInput.Nanoseconds / 1000);
        Counter(text, "nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds (does not include cached requests)", versions, s => s.ComputeInfer.Nanoseconds / 1000);
        Counter(text, "nv_inference_compute_output_duration_us", "Cumulative inference compute output duration in microseconds (does not include cached requests)", versions, s => s.ComputeOutput.Nanoseconds / 1000);
        Series(text, "nv_inference_pending_request_count", "gauge", "Instantaneous number of pending requests awaiting execution per-model.", versions, s => s.PendingRequests);

        text.Append(CultureInfo.InvariantCulture,
            $"# HELP nv_cpu_utilization CPU utilization rate [0.0 - 1.0]\n# TYPE nv_cpu_utilization gauge\nnv_cpu_utilization {CpuUtilization():0.######}\n");
        var (total, available) = HostMemory();
        text.Append(CultureInfo.InvariantCulture,
            $"# HELP nv_cpu_memory_total_bytes CPU total memory (RAM), in bytes\n# TYPE nv_cpu_memory_total_bytes gauge\nnv_cpu_memory_total_bytes {total}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"# HELP nv_cpu_memory_used_bytes CPU used memory (RAM), in bytes\n# TYPE nv_cpu_memory_used_bytes gauge\nnv_cpu_memory_used_bytes {total - available}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"# HELP process_resident_memory_bytes Resident memory of this server process, in bytes\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {Environment.WorkingSet}\n");
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, List<ModelVersion> versions, Func<ModelVersionStatistics, long> value) =>
        Series(text, name, "counter", help, versions, value);

    private static void Series(StringBuilder text, string name, string type, string help, List<ModelVersion> versions, Func<ModelVersionStatistics, long> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var v in versions)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{model=\"{Escape(v.Name)}\",version=\"{v.VersionText}\"}} {value(v.Statistics)}\n");
        }
    }

    /// <summary>This process's share of all cores since the previous scrape (Triton reports the host's; a container sees itself).</summary>
    private double CpuUtilization()
    {
        lock (_cpuGate)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var now = timeProvider.GetTimestamp();
            var wall = timeProvider.GetElapsedTime(_lastCpuTimestamp, now);
            if (wall > TimeSpan.FromMilliseconds(50))
            {
                _lastUtilization = Math.Clamp((cpu - _lastCpu) / (wall * Environment.ProcessorCount), 0, 1);
                _lastCpu = cpu;
                _lastCpuTimestamp = now;
            }

            return _lastUtilization;
        }
    }

    private static (long Total, long Available) HostMemory()
    {
        long total = 0, available = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    total = ParseKilobytes(line);
                }
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    available = ParseKilobytes(line);
                }
            }
        }
        catch (IOException)
        {
            var info = GC.GetGCMemoryInfo();
            total = info.TotalAvailableMemoryBytes;
            available = Math.Max(0, total - info.MemoryLoadBytes);
        }
        catch (UnauthorizedAccessException)
        {
            var info = GC.GetGCMemoryInfo();
            total = info.TotalAvailableMemoryBytes;
            available = Math.Max(0, total - info.MemoryLoadBytes);
        }

        return (total, available);
    }

    private static long ParseKilobytes(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
