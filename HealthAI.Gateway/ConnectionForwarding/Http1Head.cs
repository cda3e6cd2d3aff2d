namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>What a head parser made of the bytes received so far.</summary>
internal enum Http1HeadStatus
{
    /// <summary>The head is not complete yet (and still within the size limit): read more bytes and parse again.</summary>
    Incomplete,

    /// <summary>A complete head that the fast path fully understands.</summary>
    Parsed,

    /// <summary>Anything else: the caller hands the connection to Kestrel's full HTTP stack, which answers it properly.</summary>
    Unsupported,
}

/// <summary>The request methods the fast path forwards; any other method is Unsupported.</summary>
internal enum Http1Method
{
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

/// <summary>How the end of a response body is found.</summary>
internal enum Http1BodyFraming
{
    /// <summary>No body (a response to HEAD, 204 or 304).</summary>
    None,

    /// <summary>Exactly <see cref="Http1ResponseHead.ContentLength"/> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding: find the end with <see cref="ChunkedBodyScanner"/>.</summary>
    Chunked,

    /// <summary>Everything until the destination closes the connection.</summary>
    UntilClose,
}

/// <summary>A slice of a head buffer; Start is -1 when the header was absent.</summary>
internal readonly record struct HeadSlice(int Start, int Length)
{
    public static HeadSlice Absent => new(-1, 0);

    public bool IsPresent => Start >= 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> head) => IsPresent ? head.Slice(Start, Length) : default;
}

/// <summary>
/// A request head parsed in place: offsets into the caller's buffer, no copies. Only filled in when the parser said Parsed.
/// </summary>
internal struct Http1RequestHead
{
    /// <summary>Bytes up to and including the blank line's CRLF; the body (if any) starts here.</summary>
    public int HeadLength;

    /// <summary>Bytes of the request line, its CRLF excluded.</summary>
    public int RequestLineLength;

    /// <summary>How many field lines the head holds.</summary>
    public int FieldCount;

    public Http1Method Method;

    /// <summary>The whole origin-form request-target (path and query).</summary>
    public HeadSlice Target;

    /// <summary>Bytes of <see cref="Target"/> before '?' (all of it when there is no query).</summary>
    public int PathLength;

    /// <summary>The Content-Length value, or -1 when the header is absent (then the request has no body unless it is chunked).</summary>
    public long ContentLength;

    /// <summary>"Transfer-Encoding: chunked" (and no Content-Length): the body's end is found with <see cref="ChunkedBodyScanner"/>.</summary>
    public bool Chunked;

    /// <summary>Header values, with surrounding whitespace trimmed.</summary>
    public HeadSlice ContentType;

    public HeadSlice Authorization;

    public HeadSlice Host;

    public HeadSlice TraceParent;

    /// <summary>The client sent "Connection: close": answer this request, then close.</summary>
    public bool ConnectionClose;
}

/// <summary>A response head parsed in place: what the forwarder needs to find the end of the body and keep the connection.</summary>
internal struct Http1ResponseHead
{
    /// <summary>Bytes up to and including the blank line's CRLF.</summary>
    public int HeadLength;

    public int StatusCode;

    public Http1BodyFraming Framing;

    /// <summary>Meaningful when <see cref="Framing"/> is <see cref="Http1BodyFraming.ContentLength"/>.</summary>
    public long ContentLength;

    /// <summary>"Connection: close", or an HTTP/1.0 response: the destination connection cannot be reused.</summary>
    public bool ConnectionClose;
}
