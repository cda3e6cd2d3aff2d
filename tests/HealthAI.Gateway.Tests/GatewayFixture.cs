namespace HealthAI.Gateway.Tests;

/// <summary>Fake deid, tokenizer and triton on loopback and one gateway in front of them, shared by a test class.</summary>
public class GatewayFixture : IAsyncLifetime
{
    public FakeBackend Deid { get; private set; } = null!;
    public FakeBackend Tokenizer { get; private set; } = null!;
    public FakeBackend Triton { get; private set; } = null!;
    public GatewayApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Deid = await FakeBackend.StartAsync(FakeServices.Deid);
        Tokenizer = await FakeBackend.StartAsync(FakeServices.Tokenizer);
        Triton = await FakeBackend.StartAsync(FakeServices.Triton);
        App = new GatewayApp(GatewayApp.DefaultSettings(Deid, Tokenizer, Triton));
        _ = App.Server;
    }

    /// <summary>Puts every fake back to its honest behaviour and zeroes the counters.</summary>
    public void ResetFakes()
    {
        Deid.Reset(FakeServices.Deid);
        Tokenizer.Reset(FakeServices.Tokenizer);
        Triton.Reset(FakeServices.Triton);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Deid.DisposeAsync();
        await Tokenizer.DisposeAsync();
        await Triton.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
