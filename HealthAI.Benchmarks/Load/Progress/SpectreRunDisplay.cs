using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Reporting;
using Spectre.Console;

namespace HealthAI.Benchmarks.Load.Progress;

/// <summary>A live status line per run in an interactive terminal, then a summary line that stays.</summary>
public sealed class SpectreRunDisplay : IRunDisplay
{
    public async Task<(ConcurrencyResult Result, LoadRecorder Recorder)> RunAsync(
        ScenarioPlan plan, int users, Func<IProgress<LoadProgress>, Task<(ConcurrencyResult Result, LoadRecorder Recorder)>> run)
    {
        var label = PlainRunDisplay.Label(plan, users);
        var outcome = await AnsiConsole.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(label), context =>
                run(SynchronousProgress.Create(p => context.Status(Markup.Escape(PlainRunDisplay.Describe(label, p))))));
        var colour = outcome.Result.Errors == 0 ? "green" : "yellow";
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(label)}[/] {Markup.Escape(PlainRunDisplay.Summary(outcome.Result))}");
        return outcome;
    }

    public void Skipped(ScenarioPlan plan, string reason) =>
        AnsiConsole.MarkupLine($"[grey][[{plan.Id} {LoadSession.ProtocolName(plan.Protocol)}]] skipped: {Markup.Escape(reason)}[/]");

    public void Line(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
}
