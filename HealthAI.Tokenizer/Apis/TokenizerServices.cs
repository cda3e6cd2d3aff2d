using HealthAI.Tokenizer.Classification;
using HealthAI.Tokenizer.Tokenization;
using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Apis;

/// <summary>What the tokenizer endpoints need, bound with [AsParameters].</summary>
public sealed class TokenizerServices(
    TokenizerHost host, IOptions<TokenizerOptions> options, TextClassifier classifier, ILogger<TokenizerServices> logger)
{
    public TokenizerHost Host { get; } = host;

    public IOptions<TokenizerOptions> Options { get; } = options;

    public TextClassifier Classifier { get; } = classifier;

    public ILogger<TokenizerServices> Logger { get; } = logger;
}
