using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// A strict, allocation-free parser of the response heads the destinations send back: one unambiguous framing or Unsupported
/// (which the caller treats as a bad destination, since our own services never send such heads).
/// </summary>
internal static class Http1ResponseParser
{
    // "HTTP/1.x NNN": version, SP, three digits.
    private const int StatusLinePrefixLength = 12;

    /// <summary>
    /// Parses the response head at the start of <paramref name="buffer"/>. <paramref name="requestWasHead"/>: the request was
    /// HEAD, so the response has no body whatever its headers say. Incomplete only while the buffer is shorter than
    /// <paramref name="maxHeadBytes"/>.
    /// </summary>
    public static Http1HeadStatus TryParse(ReadOnlySpan<byte> buffer, bool requestWasHead, int maxHeadBytes, out Http1ResponseHead head)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeadBytes);
        head = default;
        var status = Parse(buffer.Length > maxHeadBytes ? buffer[..maxHeadBytes] : buffer, requestWasHead, ref head);
        if (status == Http1HeadStatus.Incomplete && buffer.Length >= maxHeadBytes)
        {
            status = Http1HeadStatus.Unsupported;
        }

        if (status != Http1HeadStatus.Parsed)
        {
            head = default;
        }

        return status;
    }

    /// <summary>The reason phrase of a parsed head's status line (possibly empty).</summary>
    public static ReadOnlySpan<byte> ReasonPhrase(ReadOnlySpan<byte> head)
    {
        var line = head[..head.IndexOf("\r\n"u8)];
        return line.Length > StatusLinePrefixLength ? line[(StatusLinePrefixLength + 1)..] : default;
    }

    private static Http1HeadStatus Parse(ReadOnlySpan<byte> buffer, bool requestWasHead, ref Http1ResponseHead head)
    {
        var status = Http1Syntax.TryReadLine(buffer, 0, out var lineLength);
        if (status != Http1HeadStatus.Parsed)
        {
            return status;
        }

        if (!TryParseStatusLine(buffer[..lineLength], ref head))
        {
            return Http1HeadStatus.Unsupported;
        }

        var transferEncodings = 0;
        var contentLengths = 0;
        var fields = new Http1FieldLineReader(buffer, lineLength + 2, Http1Syntax.FieldValueOrObsTextBytes);
        while (true)
        {
            switch (fields.Read(out var name, out var slice))
            {
                case Http1FieldRead.End:
                    head.HeadLength = fields.HeadLength;
                    return TrySetFraming(ref head, requestWasHead, transferEncodings, contentLengths)
                        ? Http1HeadStatus.Parsed
                        : Http1HeadStatus.Unsupported;
                case Http1FieldRead.Incomplete:
                    return Http1HeadStatus.Incomplete;
                case Http1FieldRead.Unsupported:
                    return Http1HeadStatus.Unsupported;
            }

            var value = slice.Of(buffer);
            switch (Http1HeaderNames.Classify(name))
            {
                case Http1KnownHeader.TransferEncoding when !Ascii.EqualsIgnoreCase(value, "chunked"u8):
                    return Http1HeadStatus.Unsupported;
                case Http1KnownHeader.TransferEncoding:
                    transferEncodings++;
                    break;
                case Http1KnownHeader.ContentLength when !Http1Syntax.TryParseContentLength(value, out head.ContentLength):
                    return Http1HeadStatus.Unsupported;
                case Http1KnownHeader.ContentLength:
                    contentLengths++;
                    break;
                case Http1KnownHeader.Connection when !Http1Syntax.TryParseConnection(value, ref head.ConnectionClose):
                    return Http1HeadStatus.Unsupported;
                default:
                    break;
            }
        }
    }

    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, ref Http1ResponseHead head)
    {
        if (line.Length < StatusLinePrefixLength)
        {
            return false;
        }

        if (line.StartsWith("HTTP/1.0 "u8))
        {
            // HTTP/1.0 has no persistent connections unless negotiated, which the gateway never does.
            head.ConnectionClose = true;
        }
        else if (!line.StartsWith("HTTP/1.1 "u8))
        {
            return false;
        }

        var code = 0;
        foreach (var b in line[9..StatusLinePrefixLength])
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            code = (code * 10) + (int)digit;
        }

        // An interim answer (100 Continue, 103 Early Hints) parses, with no body, for the caller to drop; 101 would switch
        // protocols, which the fast path never asks for (it sends no Upgrade).
        if (code is < 100 or 101 or > 599)
        {
            return false;
        }

        head.StatusCode = code;
        var reason = line[StatusLinePrefixLength..];
        return reason.IsEmpty
            || (reason[0] == ' ' && !reason[1..].ContainsAnyExcept(Http1Syntax.FieldValueOrObsTextBytes));
    }

    // RFC 9112 section 6.3, narrowed: a request-dependent empty body, else exactly one of chunked and Content-Length, else
    // until close. Transfer-Encoding with Content-Length is the classic smuggling vector and is refused outright.
    private static bool TrySetFraming(ref Http1ResponseHead head, bool requestWasHead, int transferEncodings, int contentLengths)
    {
        if (transferEncodings > 1 || contentLengths > 1 || (transferEncodings == 1 && contentLengths == 1))
        {
            return false;
        }

        if (requestWasHead || head.StatusCode is < 200 or 204 or 304)
        {
            head.Framing = Http1BodyFraming.None;
        }
        else if (transferEncodings == 1)
        {
            head.Framing = Http1BodyFraming.Chunked;
        }
        else
        {
            head.Framing = contentLengths == 1 ? Http1BodyFraming.ContentLength : Http1BodyFraming.UntilClose;
        }

        if (head.Framing != Http1BodyFraming.ContentLength)
        {
            head.ContentLength = 0;
        }

        return true;
    }
}
