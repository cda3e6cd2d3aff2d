using Microsoft.AspNetCore.Server.Kestrel.Core;
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

    [Fact]
    public void KestrelLimits_AreReadFromConfiguration()
    {
        var settings = GatewayApp.DefaultSettings(null, null, null);
        settings["Kestrel:Limits:KeepAliveTimeout"] = "00:00:42";
        settings["Kestrel:Limits:MaxRequestHeaderCount"] = "20";
        settings["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = "100";
        settings["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = "00:00:07";
        using var app = new GatewayApp(settings);

        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(42), limits.KeepAliveTimeout);
        Assert.Equal(20, limits.MaxRequestHeaderCount);
        Assert.Equal(100, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(7), limits.MinRequestBodyDataRate.GracePeriod);
    }

    [Fact]
    public void AKestrelLimitThatCannotBeRead_StopsStartUp_NamingItsKey()
    {
        var settings = GatewayApp.DefaultSettings(null, null, null);
        settings["Kestrel:Limits:KeepAliveTimeout"] = "forever";
        using var app = new GatewayApp(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value);
        Assert.Contains("Kestrel:Limits:KeepAliveTimeout", error.ToString(), StringComparison.Ordinal);
    }
}
