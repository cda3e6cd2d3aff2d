using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Load.Targets;

namespace HealthAI.Benchmarks.Tests;

public class CliTests
{
    [Fact]
    public void LoadDefaultsReproduceTheStudyGrid()
    {
        var settings = BenchmarkCli.TryParse(["load"], out var errors);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal(["a", "b", "c", "d", "e", "o"], settings.Scenarios);
        Assert.Equal(HealthAI.ModelBuilder.ModelPreset.DistilBertBase, settings.ModelPreset);
        Assert.Equal([10, 50, 100], settings.Users);
        Assert.Equal([TransportProtocol.Http1], settings.Protocols);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Phase.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Phase.Warmup);
        Assert.Null(settings.Phase.PacingInterval);
    }

    [Fact]
    public void SoakDefaultsToOneHundredUsersThroughTheGatewayForAMinute()
    {
        var settings = BenchmarkCli.TryParse(["soak", "--duration", "10m", "--pid", "12", "34"], out var errors);

        Assert.Empty(errors);
        Assert.Equal([100], settings!.Users);
        Assert.Equal(["c"], settings.Scenarios);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Phase.Duration);
        Assert.Equal([12, 34], settings.WatchPids);
        Assert.Equal(0.10, settings.MaxMemoryGrowth);
    }

    [Theory]
    [InlineData(new[] { "load" }, 1)]
    [InlineData(new[] { "soak" }, 10)]
    [InlineData(new[] { "soak", "--users", "25" }, 3)]
    [InlineData(new[] { "soak", "--users", "5" }, 1)]
    [InlineData(new[] { "soak", "--clients", "4" }, 4)]
    [InlineData(new[] { "load", "--clients", "2", "--jwt-signing-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, 2)]
    public void ClientsDefaultToOneForLoadAndOnePerTenUsersForASoak(string[] args, int clients)
    {
        var settings = BenchmarkCli.TryParse(args, out var errors);

        Assert.Empty(errors);
        Assert.Equal(clients, settings!.Clients);
    }

    [Fact]
    public void ClientCountsThatCannotBeHonouredAreRejected()
    {
        Assert.Null(BenchmarkCli.TryParse(["soak", "--clients", "0"], out var zero));
        Assert.Contains(zero, e => e.StartsWith("--clients:", StringComparison.Ordinal));
        Assert.Null(BenchmarkCli.TryParse(["load", "--clients", "3", "--token", "abc"], out var oneToken));
        Assert.Contains(oneToken, e => e.Contains("single --token", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryOptionIsBound()
    {
        var settings = BenchmarkCli.TryParse(
            ["load", "-s", "A,b", "-u", "1,2", "-p", "http2,grpc", "--warmup", "500ms", "-n", "100", "--rate-per-user", "4",
             "--triton-url", "http://127.0.0.1:8000", "--triton-grpc-url", "http://127.0.0.1:8001", "--gateway-url", "http://127.0.0.1:5080",
             "--jwt-signing-key", Convert.ToBase64String(new byte[32]), "--out", "x", "--timeout", "2s", "--plain"],
            out var errors);

        Assert.Empty(errors);
        Assert.Equal(["a", "b"], settings!.Scenarios);
        Assert.Equal([1, 2], settings.Users);
        Assert.Equal([TransportProtocol.Http2, TransportProtocol.Grpc], settings.Protocols);
        Assert.Equal(100, settings.Phase.Requests);
        Assert.Null(settings.Phase.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Phase.PacingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Phase.Warmup);
        Assert.Equal(new Uri("http://127.0.0.1:8001"), settings.Urls.TritonGrpc);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Timeout);
        Assert.True(settings.PlainOutput);
    }

    [Theory]
    [InlineData("--scenarios", "z", "--scenarios: unknown scenario 'z'")]
    [InlineData("--users", "0", "--users: '0'")]
    [InlineData("--protocols", "http3", "--protocols: 'http3'")]
    [InlineData("--duration", "soon", "--duration: 'soon'")]
    [InlineData("--gateway-url", "ftp://x", "--gateway-url: 'ftp://x'")]
    [InlineData("--jwt-signing-key", "c2hvcnQ=", "--jwt-signing-key")]
    [InlineData("--rate-per-user", "-1", "--rate-per-user")]
    public void BadValuesGiveAnErrorNamingTheOption(string option, string value, string expected)
    {
        var settings = BenchmarkCli.TryParse(["load", option, value], out var errors);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ConflictingOrMissingCombinationsAreRejected()
    {
        Assert.Null(BenchmarkCli.TryParse(["load", "--duration", "5s", "--requests", "10"], out var both));
        Assert.Contains(both, e => e.Contains("one or the other", StringComparison.Ordinal));
        Assert.Null(BenchmarkCli.TryParse(["load", "--model-preset", "huge"], out var preset));
        Assert.Contains(preset, e => e.StartsWith("--model-preset", StringComparison.Ordinal));
        Assert.Null(BenchmarkCli.TryParse(["load", "--protocols", "inprocess"], out var inProcess));
        Assert.Contains(inProcess, e => e.StartsWith("--protocols", StringComparison.Ordinal));
        Assert.Equal(HealthAI.ModelBuilder.ModelPreset.Tiny, BenchmarkCli.TryParse(["load", "--start-system", "--model-preset", "tiny"], out _)!.ModelPreset);
        Assert.Null(BenchmarkCli.TryParse(["load", "--no-such-flag"], out var unknown));
        Assert.NotEmpty(unknown);
    }

    [Fact]
    public void OnlyLoadAndSoakAreTakenFromBenchmarkDotNet()
    {
        Assert.True(BenchmarkCli.Handles(["load"]));
        Assert.True(BenchmarkCli.Handles(["soak", "--duration", "5s"]));
        Assert.False(BenchmarkCli.Handles(["--filter", "*Tokenizer*"]));
        Assert.False(BenchmarkCli.Handles([]));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5", 1_500)]
    public void DurationsParseAsTyped(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    [InlineData("NaNs")]
    public void NonsenseDurationsAreRejected(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
