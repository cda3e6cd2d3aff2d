using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Load.Targets;

namespace HealthAI.Benchmarks.Load;

/// <summary>One scenario on one protocol, ready to run (or carrying the reason it cannot).</summary>
public sealed record ScenarioPlan(
    string Id,
    string Title,
    TransportProtocol Protocol,
    bool Batching,
    Uri? BaseAddress,
    Func<int, ILoadTarget>? CreateTarget,
    string? SkippedReason = null);

/// <summary>The study's scenarios (a)-(e) and what each needs to run.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<string> KnownIds { get; } = ["a", "b", "c", "d", "e", "o"];

    public const string InProcessTitle = "in-process ONNX Runtime, no HTTP, no batching (ceiling)";

    /// <summary>The ONNX file of the bundled model inside a model repository.</summary>
    public static string ModelFile(string repository) =>
        Path.Combine(repository, HealthAI.ModelBuilder.BundledModel.ModelName, HealthAI.ModelBuilder.BundledModel.Version, HealthAI.ModelBuilder.BundledModel.ModelFileName);

    /// <summary>
    /// The plans for the chosen scenarios; <c>bearerTokens</c> holds one token per client identity for the gateway scenarios
    /// (users spread over them round-robin), or null when there is none.
    /// </summary>
    public static IReadOnlyList<ScenarioPlan> Plan(LoadSettings settings, IReadOnlyList<string> corpus, IReadOnlyList<string>? bearerTokens)
    {
        var plans = new List<ScenarioPlan>();
        var urls = settings.Urls;
        foreach (var id in settings.Scenarios)
        {
            switch (id)
            {
                case "a":
                    plans.AddRange(Direct(settings, corpus, "a", "inference server direct, no batching", urls.Triton, urls.TritonGrpc, "--triton-url", false));
                    break;
                case "b":
                    plans.AddRange(Direct(settings, corpus, "b", "inference server direct, dynamic batching", urls.TritonBatching, urls.TritonBatchingGrpc, "--triton-batching-url", true));
                    break;
                case "c":
                    plans.AddRange(Gateway(settings, corpus, "c", "gateway pipeline with token, no batching", urls.Gateway, "--gateway-url", false, bearerTokens));
                    break;
                case "d":
                    plans.AddRange(Gateway(settings, corpus, "d", "gateway pipeline with token, dynamic batching", urls.GatewayBatching, "--gateway-batching-url", true, bearerTokens));
                    break;
                case "e":
                    plans.AddRange(Http(settings, "e-deid", "deid alone (POST /v1/deidentify)", urls.Deid, "--deid-url", false,
                        (client, _) => new JsonPostTarget(client, "/v1/deidentify", [.. corpus.Select(RequestBodies.Deidentify)], "text", settings.Timeout)));
                    plans.AddRange(Http(settings, "e-tokenizer", "tokenizer alone (POST /v1/tokenize)", urls.Tokenizer, "--tokenizer-url", false,
                        (client, _) => new JsonPostTarget(client, "/v1/tokenize", [.. corpus.Select(t => RequestBodies.Tokenize(t, settings.MaxSequenceLength))], "inputIds", settings.Timeout)));
                    break;
                case "o":
                    plans.Add(settings.ModelRepository is null
                        ? new ScenarioPlan("o", InProcessTitle, TransportProtocol.InProcess, false, null, null, "no model repository")
                        : new ScenarioPlan("o", InProcessTitle, TransportProtocol.InProcess, false, null, _ =>
                            new InProcessOrtTarget(ModelFile(settings.ModelRepository), corpus, settings.MaxSequenceLength)));
                    break;
                default:
                    throw new ArgumentException($"Unknown scenario '{id}'; known: {string.Join(", ", KnownIds)}.");
            }
        }

        return plans;
    }

    private static IEnumerable<ScenarioPlan> Direct(
        LoadSettings settings, IReadOnlyList<string> corpus, string id, string title, Uri? http, Uri? grpc, string flag, bool batching)
    {
        var path = $"/v2/models/{RequestBodies.ModelName}/infer";
        foreach (var protocol in settings.Protocols)
        {
            if (protocol == TransportProtocol.Grpc)
            {
                yield return grpc is null
                    ? new ScenarioPlan(id, title, protocol, batching, null, null, $"no gRPC address ({flag.Replace("-url", "-grpc-url", StringComparison.Ordinal)} or --start-system)")
                    : new ScenarioPlan(id, title, protocol, batching, grpc, users =>
                        new GrpcInferTarget(HttpClients.Create(grpc, protocol, users), [.. corpus.Select(t => RequestBodies.KServeGrpc(t, settings.MaxSequenceLength))], settings.Timeout));
                continue;
            }

            yield return Plan(id, title, protocol, batching, http, flag, users =>
                new JsonPostTarget(HttpClients.Create(http!, protocol, users), path, [.. corpus.Select(t => RequestBodies.KServeJson(t, settings.MaxSequenceLength))], "outputs", settings.Timeout));
        }
    }

    private static IEnumerable<ScenarioPlan> Gateway(
        LoadSettings settings, IReadOnlyList<string> corpus, string id, string title, Uri? url, string flag, bool batching, IReadOnlyList<string>? tokens)
    {
        if (tokens is null || tokens.Count == 0)
        {
            yield return new ScenarioPlan(id, title, TransportProtocol.Http1, batching, url, null, "no bearer token (--token or --jwt-signing-key)");
            yield break;
        }

        foreach (var plan in Http(settings, id, title, url, flag, batching, (client, _) =>
            new JsonPostTarget(client, "/v1/notes/analyze", [.. corpus.Select(RequestBodies.Analyze)], "label", settings.Timeout, tokens)))
        {
            yield return plan;
        }
    }

    private static IEnumerable<ScenarioPlan> Http(
        LoadSettings settings, string id, string title, Uri? url, string flag, bool batching, Func<HttpClient, int, ILoadTarget> create)
    {
        foreach (var protocol in settings.Protocols.Where(p => p != TransportProtocol.Grpc))
        {
            yield return Plan(id, title, protocol, batching, url, flag, users => create(HttpClients.Create(url!, protocol, users), users));
        }
    }

    private static ScenarioPlan Plan(string id, string title, TransportProtocol protocol, bool batching, Uri? url, string flag, Func<int, ILoadTarget> create) =>
        url is null
            ? new ScenarioPlan(id, title, protocol, batching, null, null, $"no address ({flag} or --start-system)")
            : new ScenarioPlan(id, title, protocol, batching, url, create);
}
