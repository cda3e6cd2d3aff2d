using HealthAI.InferenceServer.Hosting;

namespace HealthAI.InferenceServer.Tests;

public class ServerCommandLineTests
{
    [Fact]
    public void Maps_tritonserver_flags_to_configuration_keys()
    {
        Assert.True(ServerCommandLine.TryParse(
            ["--model-repository", "/a", "--model-repository=/b", "--http-port", "0", "--grpc-port=9", "--metrics-port", "7",
             "--model-control-mode", "explicit", "--load-model", "m", "--strict-readiness", "false", "--exit-on-error",
             "--repository-poll-secs", "3", "--intra-op-threads", "2", "--host", "0.0.0.0"],
            out var commandLine, out var error), error);

        var s = commandLine.Settings;
        Assert.Equal("/a", s["InferenceServer:ModelRepositories:0"]);
        Assert.Equal("/b", s["InferenceServer:ModelRepositories:1"]);
        Assert.Equal("0", s["InferenceServer:HttpPort"]);
        Assert.Equal("9", s["InferenceServer:GrpcPort"]);
        Assert.Equal("7", s["InferenceServer:MetricsPort"]);
        Assert.Equal("explicit", s["InferenceServer:ModelControlMode"]);
        Assert.Equal("m", s["InferenceServer:LoadModels:0"]);
        Assert.Equal("false", s["InferenceServer:StrictReadiness"]);
        Assert.Equal("true", s["InferenceServer:ExitOnError"]);
        Assert.Equal("3", s["InferenceServer:RepositoryPollSeconds"]);
        Assert.Equal("2", s["InferenceServer:IntraOpThreads"]);
        Assert.Equal("0.0.0.0", s["InferenceServer:Host"]);
    }

    [Theory]
    [InlineData(new[] { "--model-repository", "m", "--grpc-infer-allocation-pool-size", "8" }, "Unknown flag '--grpc-infer-allocation-pool-size'")]
    [InlineData(new[] { "--http-port", "eighty" }, "'--http-port' needs an integer")]
    [InlineData(new[] { "--model-control-mode", "sometimes" }, "none, poll or explicit")]
    [InlineData(new[] { "stray" }, "Unexpected argument 'stray'")]
    [InlineData(new[] { "--http-port" }, "'--http-port' needs a value")]
    public void Rejects_bad_command_lines_naming_the_flag(string[] args, string expected)
    {
        Assert.False(ServerCommandLine.TryParse(args, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
