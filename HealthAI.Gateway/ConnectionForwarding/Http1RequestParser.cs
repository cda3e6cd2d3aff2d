using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// A strict, allocation-free HTTP/1.1 request head parser for the gateway's connection-level fast path. It accepts only heads it
/// understands completely (one framing: Content-Length, "Transfer-Encoding: chunked" alone, or none; one Host; a path that
/// needs no decoding or normalization) and answers Unsupported for everything else, so that request smuggling, header injection
/// and path tricks are left to Kestrel's full stack, which rejects or normalizes them.
/// </summary>
internal static class Http1RequestParser
{
    // "HTTP/1.1" after the target's SP; a request line ends "<target> HTTP/1.1".
    private static ReadOnlySpan<byte> VersionSuffix => " HTTP/1.1"u8;

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/> (the bytes received so far; it may hold more than one request
    /// when the client pipelines). Incomplete only while the buffer is shorter than <paramref name="maxHeadBytes"/>; a head
    /// that does not end within <paramref name="maxHeadBytes"/> is Unsupported.
    /// </summary>
    public static Http1HeadStatus TryParse(ReadOnlySpan<byte> buffer, int maxHeadBytes, out Http1RequestHead head)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeadBytes);
        head = new Http1RequestHead
        {
            ContentLength = -1,
            Target = HeadSlice.Absent,
            ContentType = HeadSlice.Absent,
            Authorization = HeadSlice.Absent,
            Host = HeadSlice.Absent,
            TraceParent = HeadSlice.Absent,
        };

        var status = Parse(buffer.Length > maxHeadBytes ? buffer[..maxHeadBytes] : buffer, ref head);
        if (status == Http1HeadStatus.Incomplete && buffer.Length >= maxHeadBytes)
        {
            status = Http1HeadStatus.Unsupported;
        }

        if (status != Http1HeadStatus.Parsed)
        {
            // Never hand out half-filled fields.
            head = default;
        }

        return status;
    }

    private static Http1HeadStatus Parse(ReadOnlySpan<byte> buffer, ref Http1RequestHead head)
    {
        var status = Http1Syntax.TryReadLine(buffer, 0, out var lineLength);
        if (status != Http1HeadStatus.Parsed)
        {
            return status;
        }

        if (!TryParseRequestLine(buffer[..lineLength], ref head))
        {
            return Http1HeadStatus.Unsupported;
        }

        var seen = SeenHeaders.None;
        var fields = new Http1FieldLineReader(buffer, lineLength + 2, Http1Syntax.FieldValueBytes);
        while (true)
        {
            switch (fields.Read(out var name, out var value))
            {
                case Http1FieldRead.Field when TryApplyHeader(buffer, name, value, ref head, ref seen):
                    continue;
                case Http1FieldRead.End:
                    head.HeadLength = fields.HeadLength;
                    head.RequestLineLength = lineLength;
                    head.FieldCount = fields.FieldCount;
                    return (seen & SeenHeaders.Host) != 0 && (seen & SeenHeaders.BothFramings) != SeenHeaders.BothFramings
                        ? Http1HeadStatus.Parsed
                        : Http1HeadStatus.Unsupported;
                case Http1FieldRead.Incomplete:
                    return Http1HeadStatus.Incomplete;
                default:
                    return Http1HeadStatus.Unsupported;
            }
        }
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, ref Http1RequestHead head)
    {
        if (!TryParseMethod(line, out head.Method, out var methodLength))
        {
            return false;
        }

        // The target admits no SP, so the first SP after the method ends it, and what follows must be exactly the version.
        var rest = line[(methodLength + 1)..];
        var targetLength = rest.IndexOf((byte)' ');
        if (targetLength <= 0 || !rest[targetLength..].SequenceEqual(VersionSuffix))
        {
            return false;
        }

        var target = rest[..targetLength];
        var pathLength = target.IndexOf((byte)'?');
        if (pathLength < 0)
        {
            pathLength = targetLength;
        }
        else if (target[(pathLength + 1)..].ContainsAnyExcept(Http1Syntax.QueryBytes))
        {
            return false;
        }

        if (!IsPlainPath(target[..pathLength]))
        {
            return false;
        }

        head.Target = new HeadSlice(methodLength + 1, targetLength);
        head.PathLength = pathLength;
        return true;
    }

    private static bool TryParseMethod(ReadOnlySpan<byte> line, out Http1Method method, out int length)
    {
        (method, length) = line switch
        {
            _ when line.StartsWith("GET "u8) => (Http1Method.Get, 3),
            _ when line.StartsWith("POST "u8) => (Http1Method.Post, 4),
            _ when line.StartsWith("HEAD "u8) => (Http1Method.Head, 4),
            _ when line.StartsWith("PUT "u8) => (Http1Method.Put, 3),
            _ when line.StartsWith("PATCH "u8) => (Http1Method.Patch, 5),
            _ when line.StartsWith("DELETE "u8) => (Http1Method.Delete, 6),
            _ when line.StartsWith("OPTIONS "u8) => (Http1Method.Options, 7),
            _ => (Http1Method.Get, 0),
        };
        return length > 0;
    }

    /// <summary>
    /// An origin-form path that routes the same before and after decoding and dot-segment removal: starts with '/', plain bytes
    /// only (no '%'), no empty segment ("//") and no "." or ".." segment.
    /// </summary>
    private static bool IsPlainPath(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty || path[0] != '/' || path.ContainsAnyExcept(Http1Syntax.PathBytes) || path.IndexOf("//"u8) >= 0)
        {
            return false;
        }

        for (var dot = path.IndexOf("/."u8); dot >= 0;)
        {
            var segment = path[(dot + 1)..];
            var end = segment.IndexOf((byte)'/');
            segment = end < 0 ? segment : segment[..end];
            if (segment.SequenceEqual("."u8) || segment.SequenceEqual(".."u8))
            {
                return false;
            }

            var next = path[(dot + 2)..].IndexOf("/."u8);
            dot = next < 0 ? -1 : dot + 2 + next;
        }

        return true;
    }

    private static bool TryApplyHeader(
        ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, HeadSlice value, ref Http1RequestHead head, ref SeenHeaders seen)
    {
        switch (Http1HeaderNames.Classify(name))
        {
            case Http1KnownHeader.Host:
                // The value is re-sent as X-Forwarded-Host: a plain authority only, never empty.
                return Once(ref seen, SeenHeaders.Host) && Http1Syntax.IsPlainAuthority(value.Of(buffer)) && Set(out head.Host, value);
            case Http1KnownHeader.ContentLength:
                return Once(ref seen, SeenHeaders.ContentLength)
                    && Http1Syntax.TryParseContentLength(value.Of(buffer), out head.ContentLength);
            case Http1KnownHeader.ContentType:
                return Once(ref seen, SeenHeaders.ContentType) && Set(out head.ContentType, value);
            case Http1KnownHeader.Authorization:
                return Once(ref seen, SeenHeaders.Authorization) && Set(out head.Authorization, value);
            case Http1KnownHeader.TraceParent:
                return Once(ref seen, SeenHeaders.TraceParent) && Set(out head.TraceParent, value);
            case Http1KnownHeader.Connection:
                return Http1Syntax.TryParseConnection(value.Of(buffer), ref head.ConnectionClose);
            case Http1KnownHeader.TransferEncoding:
                // Exactly one field, exactly "chunked": a list of codings, or chunked beside Content-Length (checked once the head
                // is complete), is framing two parsers could read differently, and Kestrel's to reject.
                return Once(ref seen, SeenHeaders.TransferEncoding) && Ascii.EqualsIgnoreCase(value.Of(buffer), "chunked"u8)
                    && (head.Chunked = true);
            case Http1KnownHeader.Expect or Http1KnownHeader.Upgrade or Http1KnownHeader.TE:
                // 100-continue and protocol switches are Kestrel's to handle.
                return false;
            default:
                return true;
        }
    }

    private static bool Once(ref SeenHeaders seen, SeenHeaders header)
    {
        if ((seen & header) != 0)
        {
            return false;
        }

        seen |= header;
        return true;
    }

    private static bool Set(out HeadSlice field, HeadSlice value)
    {
        field = value;
        return true;
    }

    [Flags]
    private enum SeenHeaders
    {
        None = 0,
        Host = 1,
        ContentLength = 2,
        ContentType = 4,
        Authorization = 8,
        TraceParent = 16,
        TransferEncoding = 32,
        BothFramings = ContentLength | TransferEncoding,
    }
}
