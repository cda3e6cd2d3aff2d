using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Load.Progress;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load;

/// <summary>Runs every planned scenario at every concurrency, one after another, and gathers the results.</summary>
public sealed class LoadSession(LoadRunner runner, IRunDisplay display)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(
        IReadOnlyList<ScenarioPlan> plans, LoadSettings settings, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        foreach (var plan in plans)
        {
            var protocol = ProtocolName(plan.Protocol);
            if (plan.CreateTarget is null)
            {
                display.Skipped(plan, plan.SkippedReason!);
                results.Add(new ScenarioResult(plan.Id, plan.Title, protocol, plan.Batching, plan.BaseAddress?.ToString(), [], plan.SkippedReason));
                continue;
            }

            // One request first: a scenario whose service is not there is reported as not ready, not measured as errors.
            using (var probe = plan.CreateTarget(1))
            {
                var outcome = await probe.SendAsync(0, cancellationToken);
                if (!outcome.IsSuccess)
                {
                    var reason = $"target not ready: the first request to {plan.BaseAddress?.ToString() ?? "it"} ended with {outcome.ErrorKind}";
                    display.Skipped(plan, reason);
                    results.Add(new ScenarioResult(plan.Id, plan.Title, protocol, plan.Batching, plan.BaseAddress?.ToString(), [], reason));
                    continue;
                }
            }

            var runs = new List<ConcurrencyResult>();
            foreach (var users in settings.Users)
            {
                using var target = plan.CreateTarget(users);
                var (result, _) = await display.RunAsync(plan, users, progress => runner.RunAsync(target, users, settings.Phase, progress, cancellationToken));
                runs.Add(result);
            }

            results.Add(new ScenarioResult(plan.Id, plan.Title, protocol, plan.Batching, plan.BaseAddress?.ToString(), runs));
        }

        return results;
    }

    public static string ProtocolName(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Http1 => "http1",
        TransportProtocol.Http2 => "http2",
        TransportProtocol.Grpc => "grpc",
        TransportProtocol.InProcess => "in-process",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };
}
