using System.Buffers;
using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// The byte-level grammar shared by the head parsers (RFC 9110/9112), deliberately narrower than the RFCs: whatever is outside
/// it makes a parser answer Unsupported, and Kestrel's full stack takes over.
/// </summary>
internal static class Http1Syntax
{
    public const int MaxHeaderLines = 100;

    // RFC 9110 tchar.
    public static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // HTAB, SP and VCHAR: no CTLs (NUL, CR, LF...), no DEL, and no obs-text, whose meaning differs between parsers.
    public static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create([.. Range(0x21, 0x7E), (byte)'\t', (byte)' ']);

    // Responses come from our own services and pass to the client verbatim: obs-text is tolerated there.
    public static readonly SearchValues<byte> FieldValueOrObsTextBytes =
        SearchValues.Create([.. Range(0x21, 0x7E), (byte)'\t', (byte)' ', .. Range(0x80, 0xFF)]);

    // No '%': routing works on decoded, normalized paths, so anything that would need decoding goes to Kestrel.
    public static readonly SearchValues<byte> PathBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:@!$&'()*+,;="u8);

    // Visible ASCII but '#' (a fragment is never sent).
    public static readonly SearchValues<byte> QueryBytes = SearchValues.Create([.. Range(0x21, 0x22), .. Range(0x24, 0x7E)]);

    // A reg-name or IPv4 address (unreserved characters only), and the inside of an IPv6 literal.
    private static readonly SearchValues<byte> RegNameBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    private static readonly SearchValues<byte> IPv6LiteralBytes = SearchValues.Create("ABCDEFabcdef0123456789:."u8);

    /// <summary>
    /// A Host value of the plain form <c>host[:port]</c>: a reg-name or IPv4 address, or a bracketed IPv6 literal, and a port of
    /// digits. It is re-sent as X-Forwarded-Host, so anything else ("a:b", "[::1", "h:1:2") is left to Kestrel, which answers 400.
    /// </summary>
    public static bool IsPlainAuthority(ReadOnlySpan<byte> value)
    {
        int hostLength;
        if (!value.IsEmpty && value[0] == '[')
        {
            hostLength = value.IndexOf((byte)']') + 1;
            if (hostLength < 3 || value[1..(hostLength - 1)].ContainsAnyExcept(IPv6LiteralBytes))
            {
                return false;
            }
        }
        else
        {
            hostLength = value.IndexOf((byte)':') is var colon and >= 0 ? colon : value.Length;
            if (hostLength == 0 || value[..hostLength].ContainsAnyExcept(RegNameBytes))
            {
                return false;
            }
        }

        var port = value[hostLength..];
        return port.IsEmpty || (port.Length > 1 && port[0] == ':' && !port[1..].ContainsAnyExceptInRange((byte)'0', (byte)'9'));
    }

    /// <summary>
    /// Finds the CRLF-terminated line that starts at <paramref name="offset"/>. Parsed: <paramref name="lineLength"/> excludes the
    /// CRLF. Incomplete: no LF yet. Unsupported: a bare LF. (A bare CR inside the line is left to the byte classes, none of which
    /// admits CR.)
    /// </summary>
    public static Http1HeadStatus TryReadLine(ReadOnlySpan<byte> buffer, int offset, out int lineLength)
    {
        var lf = buffer[offset..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            lineLength = 0;
            return Http1HeadStatus.Incomplete;
        }

        lineLength = lf - 1;
        return lf > 0 && buffer[offset + lf - 1] == '\r' ? Http1HeadStatus.Parsed : Http1HeadStatus.Unsupported;
    }

    /// <summary>
    /// Splits "name:value" with the value's surrounding SP/HTAB trimmed (offsets relative to the line). False for obs-fold (a
    /// line starting with whitespace), a name outside tchar, whitespace before the colon, or a value byte outside
    /// <paramref name="valueBytes"/>.
    /// </summary>
    public static bool TryParseFieldLine(
        ReadOnlySpan<byte> line, SearchValues<byte> valueBytes, out int nameLength, out int valueStart, out int valueLength)
    {
        nameLength = line.IndexOfAnyExcept(TokenBytes);
        valueStart = 0;
        valueLength = 0;
        if (nameLength <= 0 || line[nameLength] != ':')
        {
            return false;
        }

        var value = line[(nameLength + 1)..];
        if (value.ContainsAnyExcept(valueBytes))
        {
            return false;
        }

        var leading = value.IndexOfAnyExcept((byte)' ', (byte)'\t');
        if (leading < 0)
        {
            valueStart = line.Length;
            return true;
        }

        valueStart = nameLength + 1 + leading;
        valueLength = value.LastIndexOfAnyExcept((byte)' ', (byte)'\t') - leading + 1;
        return true;
    }

    /// <summary>1-18 ASCII digits (leading zeros allowed): no sign, no whitespace, no hex, no list; 18 digits cannot overflow.</summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            length = (length * 10) + digit;
        }

        return true;
    }

    /// <summary>
    /// A Connection value: comma-separated elements, each (trimmed) "keep-alive" or "close", empty elements ignored. Sets
    /// <paramref name="close"/> when one is "close"; false for any other option, since the fast path cannot honour it.
    /// </summary>
    public static bool TryParseConnection(ReadOnlySpan<byte> value, ref bool close)
    {
        while (true)
        {
            var comma = value.IndexOf((byte)',');
            var element = TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (Ascii.EqualsIgnoreCase(element, "close"u8))
            {
                close = true;
            }
            else if (!element.IsEmpty && !Ascii.EqualsIgnoreCase(element, "keep-alive"u8))
            {
                return false;
            }

            if (comma < 0)
            {
                return true;
            }

            value = value[(comma + 1)..];
        }
    }

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)' ', (byte)'\t');
        return start < 0 ? default : value[start..(value.LastIndexOfAnyExcept((byte)' ', (byte)'\t') + 1)];
    }

    // Runs once per byte class, at type initialization.
    private static byte[] Range(int first, int last)
    {
        var bytes = new byte[last - first + 1];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(first + i);
        }

        return bytes;
    }
}
