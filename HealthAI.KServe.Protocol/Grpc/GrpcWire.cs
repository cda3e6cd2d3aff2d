using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace HealthAI.KServe.Protocol.Grpc;

/// <summary>
/// The gRPC over HTTP/2 wire rules both HealthAI sides share (grpc/doc/PROTOCOL-HTTP2.md): a message is a 5-byte prefix
/// (compressed flag, big-endian uint32 length) followed by the message; the status travels in trailers.
/// </summary>
public static class GrpcWire
{
    /// <summary>Length of the message prefix.</summary>
    public const int MessagePrefixLength = 5;

    /// <summary>Content type of gRPC with protobuf.</summary>
    public const string ContentType = "application/grpc";

    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Default receive limit (4 MiB) as grpc-dotnet has it; Triton raises its own to INT32_MAX.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Writes the 5-byte prefix of an uncompressed message of <paramref name="length"/> bytes.</summary>
    public static void WritePrefix(Span<byte> destination, int length, bool compressed = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    /// <summary>
    /// Reads a prefix from the start of <paramref name="buffer"/>. Returns false while fewer than 5 bytes are buffered.
    /// The length is unsigned on the wire; a value above <see cref="int.MaxValue"/> comes back as <see cref="long"/>.
    /// </summary>
    public static bool TryReadPrefix(ReadOnlySequence<byte> buffer, out bool compressed, out long length)
    {
        compressed = false;
        length = 0;
        if (buffer.Length < MessagePrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[MessagePrefixLength];
        buffer.Slice(0, MessagePrefixLength).CopyTo(prefix);
        compressed = prefix[0] != 0;
        length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        return true;
    }

    /// <summary>
    /// Parses a <c>grpc-timeout</c> value: at most 8 digits and a unit (H, M, S, m, u, n). Returns false when malformed.
    /// </summary>
    public static bool TryParseTimeout(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length is < 2 or > 9
            || !long.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout != TimeSpan.MinValue;
    }

    /// <summary>Formats a timeout for <c>grpc-timeout</c>, choosing the finest unit that fits in 8 digits.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        const long MaxDigits = 99_999_999;
        long micros = ticks / 10;
        if (micros <= MaxDigits)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        long millis = ticks / TimeSpan.TicksPerMillisecond;
        if (millis <= MaxDigits)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        long seconds = ticks / TimeSpan.TicksPerSecond;
        return seconds <= MaxDigits
            ? seconds.ToString(CultureInfo.InvariantCulture) + "S"
            : Math.Min(ticks / TimeSpan.TicksPerHour, MaxDigits).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Percent-encodes a status message as the spec asks (bytes outside 0x20-0x7E and '%').</summary>
    public static string EncodeMessage(string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        var builder = new System.Text.StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a percent-encoded <c>grpc-message</c>; malformed escapes are kept as they are.</summary>
    public static string DecodeMessage(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
