namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>Writes the head of a destination's response as it is sent on to the client.</summary>
internal static class Http1ResponseWriter
{
    /// <summary>
    /// <see cref="WriteHead"/> never writes more than the parsed head's length plus this, so a destination span of that size
    /// always fits: one SP when the status line had no reason, one SP per field line the destination wrote "Name:value", and
    /// "Connection: close\r\n".
    /// </summary>
    public const int MaxGrowth = 1 + Http1Syntax.MaxHeaderLines + 19;

    /// <summary>
    /// Writes into <paramref name="destination"/>, from the destination's buffer <paramref name="head"/>: "HTTP/1.1 code
    /// reason" (the destination's code and reason), its fields in order except the hop-by-hop ones (Transfer-Encoding is kept,
    /// as "Transfer-Encoding: chunked", only when the framing is chunked), "Connection: close" when
    /// <paramref name="addConnectionClose"/>, and the blank line. Returns the bytes written, or -1 when the head does not fit.
    /// </summary>
    public static int WriteHead(ReadOnlySpan<byte> head, in Http1ResponseHead parsed, bool addConnectionClose, Span<byte> destination)
    {
        head = head[..parsed.HeadLength];
        var writer = new Http1HeadWriter(destination);

        // "HTTP/1.x NNN" was validated by the parser: the three digits go on as they came, under our own version.
        writer.Write("HTTP/1.1 "u8);
        writer.Write(head[9..12]);
        writer.Write(" "u8);
        writer.Write(Http1ResponseParser.ReasonPhrase(head));
        writer.Write("\r\n"u8);

        var fields = new Http1FieldLines(head);
        while (fields.MoveNext())
        {
            var known = Http1HeaderNames.Classify(fields.Name);
            if (known == Http1KnownHeader.TransferEncoding && parsed.Framing == Http1BodyFraming.Chunked)
            {
                writer.Write("Transfer-Encoding: chunked\r\n"u8);
            }
            else if (!Http1HeaderNames.IsDroppedFromResponse(known))
            {
                writer.WriteField(fields.Name, fields.Value);
            }
        }

        if (addConnectionClose)
        {
            writer.Write("Connection: close\r\n"u8);
        }

        writer.Write("\r\n"u8);
        return writer.BytesWritten;
    }
}
