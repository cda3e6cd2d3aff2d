using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Runtime;

[Collection(SystemCollection.Name)]
public sealed class GatewayRuntimeTests(SystemFixture system)
{
    // The fixture starts the gateway without the variable, so this shows the gateway's own start-up set it in time: the
    // runtime starts one socket event thread per core only when completions run inline on them, and a single one otherwise.
    [Fact]
    public void The_gateway_process_completes_socket_operations_on_one_event_thread_per_core()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.ProcessorCount > 1, "needs /proc and more than one core to tell the modes apart");
        Assert.SkipWhen(Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is not null,
            "the test environment sets the variable for every process, so the gateway's own setting cannot be told apart");

        var threadNames = Directory.EnumerateDirectories($"/proc/{system.Gateway.Id}/task")
            .Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'))
            .ToList();

        Assert.Equal(Environment.ProcessorCount, threadNames.Count(name => name == ".NET Sockets"));
    }
}
