using HealthAI.Tokenizer.Tokenization;
using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Apis;

/// <summary>What the tokenizer endpoints need, bound with [AsParameters].</summary>
public sealed class TokenizerServices(TokenizerHost host, IOptions<TokenizerOptions> options, ILogger<TokenizerServices> logger)
{
    public TokenizerHost Host { get; } = host;

    public TokenizerOptions Options { get; } = options.Value;

    public ILogger<TokenizerServices> Logger { get; } = logger;
}
