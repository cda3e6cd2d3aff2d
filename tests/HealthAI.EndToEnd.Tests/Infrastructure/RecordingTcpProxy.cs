using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on loopback placed in front of a service. It copies bytes both ways untouched and watches what the service
/// RECEIVES: how often a marker (e.g. "POST /v1/classify") appears, and whether any canary string ever reaches it. Transport
/// agnostic, so it sees HTTP/1.1, h2c and gRPC alike.
/// </summary>
public sealed class RecordingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte[]> _watched;
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Task _acceptLoop;

    public RecordingTcpProxy(IPEndPoint upstream, IEnumerable<string> watchedStrings)
    {
        Upstream = upstream;
        _watched = watchedStrings.Select(Encoding.UTF8.GetBytes).ToList();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Upstream { get; set; }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Times each watched string was seen in bytes sent to the upstream service.</summary>
    public int HitsOf(string watched)
    {
        lock (_gate)
        {
            return _hits.GetValueOrDefault(watched);
        }
    }

    public void AddWatched(string watched)
    {
        lock (_gate)
        {
            _watched.Add(Encoding.UTF8.GetBytes(watched));
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var _client = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(Upstream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return; // upstream down: the caller sees the connection close, as it would without the proxy
        }

        var toUpstream = CopyAsync(client.GetStream(), upstream.GetStream(), watch: true);
        var toClient = CopyAsync(upstream.GetStream(), client.GetStream(), watch: false);
        await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        client.Close();
        upstream.Close();
        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool watch)
    {
        var buffer = new byte[64 * 1024];
        // The tail of the previous read, so a watched string split across reads is still found.
        var carry = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (watch)
                {
                    carry = Scan(carry, buffer.AsSpan(0, read));
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Either side closed; the other copy ends too.
        }
    }

    private byte[] Scan(byte[] carry, ReadOnlySpan<byte> chunk)
    {
        var window = new byte[carry.Length + chunk.Length];
        carry.CopyTo(window, 0);
        chunk.CopyTo(window.AsSpan(carry.Length));
        var longest = 0;
        lock (_gate)
        {
            foreach (var watched in _watched)
            {
                longest = Math.Max(longest, watched.Length);
                var span = window.AsSpan();
                var offset = 0;
                while (true)
                {
                    var at = span[offset..].IndexOf(watched);
                    if (at < 0)
                    {
                        break;
                    }

                    // Count a match only if it ends in the new chunk, so carried bytes are not counted twice.
                    if (offset + at + watched.Length > carry.Length)
                    {
                        var key = Encoding.UTF8.GetString(watched);
                        _hits[key] = _hits.GetValueOrDefault(key) + 1;
                    }

                    offset += at + 1;
                }
            }
        }

        var keep = Math.Min(window.Length, Math.Max(0, longest - 1));
        return window[^keep..];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
