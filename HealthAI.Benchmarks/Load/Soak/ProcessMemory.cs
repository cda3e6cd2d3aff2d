using System.Globalization;

namespace HealthAI.Benchmarks.Load.Soak;

/// <summary>Resident set size of a process, read from <c>/proc/&lt;pid&gt;/status</c> (VmRSS) on Linux.</summary>
public class ProcessMemory
{
    /// <summary>RSS in bytes, or null when the process is gone or the platform has no /proc.</summary>
    public virtual long? RssBytes(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return ParseKilobytes(line.AsSpan("VmRSS:".Length)) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process: the soak reports it as unknown.
        }

        return null;
    }

    internal static long? ParseKilobytes(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.EndsWith("kB", StringComparison.Ordinal))
        {
            value = value[..^2].TrimEnd();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes : null;
    }
}
