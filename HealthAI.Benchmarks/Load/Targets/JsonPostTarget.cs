using System.Net.Http.Headers;
using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>
/// POSTs a precomputed JSON body per corpus item and checks that a success answer carries the field the contract promises
/// (a 200 with the wrong body is a <c>bad-response</c>, not a success). With several bearer tokens (one per client
/// application), virtual user <c>u</c> sends as client <c>u mod N</c>, so users are spread over the clients round-robin.
/// </summary>
public sealed class JsonPostTarget : ILoadTarget
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _client;
    private readonly string _path;
    private readonly byte[][] _bodies;
    private readonly byte[] _requiredField;
    private readonly AuthenticationHeaderValue[] _authorizations;
    private readonly TimeSpan _timeout;

    public JsonPostTarget(
        HttpClient client,
        string path,
        IReadOnlyList<byte[]> bodies,
        string requiredField,
        TimeSpan timeout,
        string? bearerToken = null)
        : this(client, path, bodies, requiredField, timeout, bearerToken is null ? [] : [bearerToken])
    {
    }

    public JsonPostTarget(
        HttpClient client,
        string path,
        IReadOnlyList<byte[]> bodies,
        string requiredField,
        TimeSpan timeout,
        IReadOnlyList<string> bearerTokens)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bodies.Count);
        _client = client;
        _path = path;
        _bodies = [.. bodies];
        _requiredField = System.Text.Encoding.UTF8.GetBytes("\"" + requiredField + "\"");
        _timeout = timeout;
        _authorizations = [.. bearerTokens.Select(token => new AuthenticationHeaderValue("Bearer", token))];
        Description = $"{client.BaseAddress} POST {path} (HTTP/{client.DefaultRequestVersion})";
    }

    public string Description { get; }

    /// <summary>How many client identities the users are spread over (0: requests carry no token).</summary>
    public int Clients => _authorizations.Length;

    public ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken) => SendAsync(0, sequence, cancellationToken);

    public async ValueTask<RequestOutcome> SendAsync(int user, long sequence, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var content = new ByteArrayContent(_bodies[sequence % _bodies.Length]);
        content.Headers.ContentType = JsonType;
        using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = content, Version = _client.DefaultRequestVersion, VersionPolicy = _client.DefaultVersionPolicy };
        request.Headers.Authorization = _authorizations.Length == 0 ? null : _authorizations[user % _authorizations.Length];
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var outcome = HttpOutcomes.FromStatus(response);
            if (!outcome.IsSuccess)
            {
                return outcome;
            }

            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return body.AsSpan().IndexOf(_requiredField) >= 0 ? outcome : RequestOutcome.Failed("bad-response");
        }
        catch (Exception exception) when (HttpOutcomes.FromException(exception, cancellationToken) is { } outcome)
        {
            return outcome;
        }
    }

    public void Dispose() => _client.Dispose();
}
