using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>One endpoint under load. Implementations precompute their request bodies so the client costs little per request.</summary>
public interface ILoadTarget : IDisposable
{
    /// <summary>A short description for reports, e.g. <c>triton http1 /v2/models/distilbert-sst2/infer</c>.</summary>
    string Description { get; }

    /// <summary>Sends request number <paramref name="sequence"/> (it picks the corpus item) and says how it ended.</summary>
    ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Sends request number <paramref name="sequence"/> on behalf of virtual user <paramref name="user"/>. Targets that give
    /// users distinct identities (one bearer token per client application) pick the user's here; the rest ignore the user.
    /// </summary>
    ValueTask<RequestOutcome> SendAsync(int user, long sequence, CancellationToken cancellationToken) => SendAsync(sequence, cancellationToken);
}
