namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>What the gateway adds to a forwarded request.</summary>
internal readonly ref struct ForwardedRequestHeaders
{
    /// <summary>"127.0.0.1:5081": the Host header sent on.</summary>
    public required ReadOnlySpan<byte> DestinationAuthority { get; init; }

    /// <summary>X-Forwarded-For.</summary>
    public required ReadOnlySpan<byte> ClientAddress { get; init; }

    /// <summary>X-Forwarded-Proto ("http").</summary>
    public required ReadOnlySpan<byte> Scheme { get; init; }

    /// <summary>The 55-byte W3C traceparent written as `traceparent`; empty to send none.</summary>
    public required ReadOnlySpan<byte> TraceParent { get; init; }
}

/// <summary>Writes the head of a request as it is sent on to a destination.</summary>
internal static class Http1RequestWriter
{
    /// <summary>
    /// Writes into <paramref name="destination"/>, from the client's buffer <paramref name="head"/>: its request line (same
    /// method and target, HTTP/1.1), "Host" naming the destination, every client field except those
    /// <see cref="Http1HeaderNames.IsDroppedFromRequest"/> drops (in order, "Name: value" with the value trimmed and the
    /// client's name case), "Transfer-Encoding: chunked" when the body is chunked (it is sent on as received), then
    /// X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host (the client's Host) and traceparent, and the blank line. Returns the
    /// bytes written, or -1 when the head does not fit.
    /// </summary>
    /// <exception cref="ArgumentException">An added value holds a byte that is not allowed in a field value (a caller bug).</exception>
    public static int Write(ReadOnlySpan<byte> head, in Http1RequestHead parsed, in ForwardedRequestHeaders added, Span<byte> destination)
    {
        // The added values come from the gateway itself, but a CR or LF among them would split the head: refuse it loudly.
        EnsureFieldValue(added.DestinationAuthority, nameof(added.DestinationAuthority));
        EnsureFieldValue(added.ClientAddress, nameof(added.ClientAddress));
        EnsureFieldValue(added.Scheme, nameof(added.Scheme));
        EnsureFieldValue(added.TraceParent, nameof(added.TraceParent));

        head = head[..parsed.HeadLength];
        var writer = new Http1HeadWriter(destination);

        // The parser accepted exactly "<method> <target> HTTP/1.1\r\n": the line goes on unchanged.
        writer.Write(head[..(head.IndexOf("\r\n"u8) + 2)]);
        writer.WriteField("Host"u8, added.DestinationAuthority);
        var fields = new Http1FieldLines(head);
        while (fields.MoveNext())
        {
            if (!Http1HeaderNames.IsDroppedFromRequest(Http1HeaderNames.Classify(fields.Name)))
            {
                writer.WriteField(fields.Name, fields.Value);
            }
        }

        if (parsed.Chunked)
        {
            writer.WriteField("Transfer-Encoding"u8, "chunked"u8);
        }

        writer.WriteField("X-Forwarded-For"u8, added.ClientAddress);
        writer.WriteField("X-Forwarded-Proto"u8, added.Scheme);
        writer.WriteField("X-Forwarded-Host"u8, parsed.Host.Of(head));
        if (!added.TraceParent.IsEmpty)
        {
            writer.WriteField("traceparent"u8, added.TraceParent);
        }

        writer.Write("\r\n"u8);
        return writer.BytesWritten;
    }

    private static void EnsureFieldValue(ReadOnlySpan<byte> value, string name)
    {
        if (value.ContainsAnyExcept(Http1Syntax.FieldValueBytes))
        {
            throw new ArgumentException("The value holds a byte that is not allowed in an HTTP field value.", name);
        }
    }
}
