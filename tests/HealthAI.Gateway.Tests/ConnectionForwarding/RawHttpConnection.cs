using System.Net.Sockets;
using System.Text;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// A client socket that writes requests byte for byte (pipelined, malformed) and reads HTTP/1.1 answers one at a time. It frames
/// answers with its own simple reader, not the gateway's wire layer (which <see cref="RawHttp1Connection"/> exercises on purpose),
/// so a forwarder test never checks the gateway's output with the gateway's own code.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly TcpClient _client = new();
    private readonly MemoryStream _pending = new();
    private NetworkStream _stream = null!;

    public static async Task<RawHttpConnection> OpenAsync(Uri address, CancellationToken cancellationToken)
    {
        var connection = new RawHttpConnection();
        await connection._client.ConnectAsync(address.Host, address.Port, cancellationToken);
        connection._stream = connection._client.GetStream();
        return connection;
    }

    public Task SendAsync(string request, CancellationToken cancellationToken) =>
        _stream.WriteAsync(Encoding.Latin1.GetBytes(request), cancellationToken).AsTask();

    /// <summary>Reads one answer: status, headers (names lower-cased) and the body, de-chunked.</summary>
    public async Task<RawResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var headEnd = await FillUntilAsync(data => IndexOf(data, "\r\n\r\n"u8), cancellationToken);
        var head = Encoding.Latin1.GetString(Take(headEnd + 4)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var count = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            await FillUntilAsync(data => data.Length >= count ? count : -1, cancellationToken);
            body.Write(Take(count));
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var lineEnd = await FillUntilAsync(data => IndexOf(data, "\r\n"u8), cancellationToken);
                var size = Convert.ToInt32(Encoding.Latin1.GetString(Take(lineEnd + 2)).Trim().Split(';')[0], 16);
                await FillUntilAsync(data => data.Length >= size + 2 ? size + 2 : -1, cancellationToken);
                body.Write(Take(size + 2).AsSpan(0, size));
                if (size == 0)
                {
                    break;
                }
            }
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>True when the server closed the connection (a read returns nothing).</summary>
    public async Task<bool> IsClosedByServerAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1];
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<int> FillUntilAsync(Func<byte[], int> found, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var at = found(_pending.ToArray());
            if (at >= 0)
            {
                return at;
            }

            var read = await _stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The server closed the connection mid-answer.");
            }

            _pending.Write(buffer, 0, read);
        }
    }

    private byte[] Take(int count)
    {
        var all = _pending.ToArray();
        _pending.SetLength(0);
        _pending.Write(all, count, all.Length - count);
        return all[..count];
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> value) => data.AsSpan().IndexOf(value);

    public void Dispose() => _client.Dispose();
}

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
