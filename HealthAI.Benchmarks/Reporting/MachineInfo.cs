using System.Runtime.InteropServices;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>The machine a run came from, so figures are never read without it.</summary>
public sealed record MachineInfo(string Os, string Cpu, int LogicalCores, double MemoryGiB, string Runtime, string MachineName)
{
    public static MachineInfo Current() => new(
        RuntimeInformation.OSDescription,
        CpuModel(),
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.FrameworkDescription,
        Environment.MachineName);

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
