using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load.Progress;

/// <summary>Shows a run as it goes: a live Spectre.Console line in a terminal, plain lines when output is redirected.</summary>
public interface IRunDisplay
{
    Task<(ConcurrencyResult Result, LoadRecorder Recorder)> RunAsync(
        ScenarioPlan plan, int users, Func<IProgress<LoadProgress>, Task<(ConcurrencyResult Result, LoadRecorder Recorder)>> run);

    void Skipped(ScenarioPlan plan, string reason);

    void Line(string text);

    /// <summary>The display that fits the current console.</summary>
    public static IRunDisplay ForConsole(bool forcePlain) =>
        forcePlain || Console.IsOutputRedirected || !Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive
            ? new PlainRunDisplay(Console.Out)
            : new SpectreRunDisplay();
}
