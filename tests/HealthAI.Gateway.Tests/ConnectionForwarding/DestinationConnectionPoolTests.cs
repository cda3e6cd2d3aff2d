using System.Net.Sockets;
using HealthAI.Gateway.ConnectionForwarding;
using HealthAI.Gateway.Forwarding;
using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Which idle destination connection a request gets. These tests are synchronous on purpose: the pool goes by the calling
/// thread, which an await could change between arranging and renting.
/// </summary>
public sealed class DestinationConnectionPoolTests : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public void Rent_PrefersAConnectionWhoseReadsCompleteOnTheCallingThread_ThenTheMostRecent()
    {
        var pool = CreatePool();
        var thread = Environment.CurrentManagedThreadId;
        var elsewhere = Idle(pool, completionThread: thread + 1);
        var here = Idle(pool, completionThread: thread);
        var newest = Idle(pool, completionThread: thread + 2);

        Assert.Same(here, Rent(pool));
        Assert.Same(newest, Rent(pool));
        Assert.Same(elsewhere, Rent(pool));
        Assert.True(here.Reused);
    }

    [Fact]
    public void Rent_LooksOnlyNearTheTopOfTheIdleStack()
    {
        var pool = CreatePool();
        var thread = Environment.CurrentManagedThreadId;
        var buried = Idle(pool, completionThread: thread);
        DestinationConnection newest = buried;
        for (var i = 0; i < 32; i++)
        {
            newest = Idle(pool, completionThread: 0);
        }

        Assert.Same(newest, Rent(pool));
        // One fewer on top of it, and it is within reach again.
        Assert.Same(buried, Rent(pool));
    }

    [Fact]
    public void Rent_PassesOverAPreferredConnectionThatIdledTooLong()
    {
        var clock = new ManualClock();
        var pool = CreatePool(clock);
        var thread = Environment.CurrentManagedThreadId;
        var stale = Idle(pool, completionThread: thread);
        clock.Advance(TimeSpan.FromSeconds(61));
        var fresh = Idle(pool, completionThread: thread + 1);

        Assert.Same(fresh, Rent(pool));
        Assert.Throws<ObjectDisposedException>(() => stale.Socket.Available);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rent_PassesOverAnIdleConnectionWithBytesToReadOrClosedByTheDestination(bool closed)
    {
        // Bytes after an answer's end would be read as the next request's answer: another client's.
        var pool = CreatePool();
        var thread = Environment.CurrentManagedThreadId;
        var (quiet, _) = ConnectedIdle(pool, thread);
        var (spoiled, destinationSide) = ConnectedIdle(pool, thread);
        if (closed)
        {
            destinationSide.Shutdown(SocketShutdown.Send);
        }
        else
        {
            destinationSide.Send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nSTALE"u8);
        }

        Assert.True(spoiled.Socket.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead), "the bytes never arrived");
        Assert.Same(quiet, Rent(pool));
        Assert.Throws<ObjectDisposedException>(() => spoiled.Socket.Available);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private static DestinationConnection Rent(DestinationConnectionPool pool)
    {
        var rented = pool.RentAsync(CancellationToken.None);
        return rented.IsCompletedSuccessfully ? rented.Result : throw new Xunit.Sdk.XunitException("an idle connection is handed out without waiting");
    }

    private DestinationConnection Idle(DestinationConnectionPool pool, int completionThread) => ConnectedIdle(pool, completionThread).Connection;

    // A connection with a real peer on loopback, returned idle to the pool: the pool's check polls it.
    private (DestinationConnection Connection, Socket DestinationSide) ConnectedIdle(DestinationConnectionPool pool, int completionThread)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(listener.LocalEndPoint!);
        var destinationSide = listener.Accept();
        _owned.Add(destinationSide);
        var connection = new DestinationConnection(socket) { CompletionThread = completionThread };
        _owned.Add(connection);
        pool.Return(connection);
        return (connection, destinationSide);
    }

    private DestinationConnectionPool CreatePool(TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var cluster = new ForwardedCluster("deid", new Uri("http://127.0.0.1:9"), invoker, TimeSpan.FromSeconds(5), new ServiceEndpointResolver(configuration));
        var pool = new DestinationConnectionPool(cluster, new ConnectionForwardingOptions(), clock ?? TimeProvider.System);
        _owned.Add(invoker);
        _owned.Add(pool);
        return pool;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
