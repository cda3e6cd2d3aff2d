using System.Diagnostics;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

internal static class Signals
{
    /// <summary>Sends SIGTERM through the system's kill(1), as an orchestrator would.</summary>
    public static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
    }
}
