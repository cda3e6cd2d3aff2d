using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Tests;

public sealed class ServerOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void InlineScheduling_ReachesTheSocketTransport_OnByDefault(string? configured, bool expected)
    {
        var settings = GatewayApp.DefaultSettings(null, null, null);
        if (configured is not null)
        {
            settings["Gateway:Server:InlineScheduling"] = configured;
        }

        using var app = new GatewayApp(settings);

        var transport = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(expected, transport.UnsafePreferInlineScheduling);
    }
}
