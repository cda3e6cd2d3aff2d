using System.Buffers;
using System.Diagnostics;
using System.Text;
using HealthAI.Gateway.Limits;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>Preparing one request: parse, match, check, admit, and write what is sent, all before anything waits.</summary>
internal sealed partial class ConnectionForwarder
{
    /// <summary>Everything up to the first byte sent, without waiting: parse, match, check, admit, and write what is sent.</summary>
    internal Readiness Prepare(ForwardedClient client, in ReadOnlySequence<byte> buffer, CallerAdmission? admitted, out PreparedRequest request)
    {
        request = default;
        var span = client.Contiguous(buffer, _options.MaxRequestHeadBytes);
        switch (Http1RequestParser.TryParse(span, _options.MaxRequestHeadBytes, out var head))
        {
            case Http1HeadStatus.Incomplete:
                return Readiness.NeedMoreData;
            case Http1HeadStatus.Unsupported:
                return HandOverFor(out request, "request");
        }

        if (ExceedsKestrelHeadLimits(head))
        {
            return HandOverFor(out request, "limits");
        }

        var target = head.Target.Of(span);
        if (_routes.Match(head.Method, target[..head.PathLength]) is not { } route || _pools[route.Index] is not { } pool)
        {
            return HandOverFor(out request, "route");
        }

        // The route table's checks, as RoutePolicyMiddleware makes them: a chunked body counts as a body even when empty.
        if ((head.ContentLength > 0 || head.Chunked) && !IsSupported(head.ContentType.Of(span), route.Limits.ContentTypes))
        {
            return HandOverFor(out request, "limits");
        }

        var maxRequestBytes = MaxRequestBytes;
        var body = head.Chunked
            ? MeasureChunkedBody(client, buffer.Slice(head.HeadLength), route.Limits.MaxRequestBodyBytes)
            : MeasureBody(Math.Max(head.ContentLength, 0), buffer.Length - head.HeadLength, route.Limits.MaxRequestBodyBytes);
        if (body.HandOverReason is not null)
        {
            return HandOverFor(out request, body.HandOverReason);
        }

        if (head.HeadLength + body.Length > maxRequestBytes || (!body.IsComplete && buffer.Length >= maxRequestBytes))
        {
            // Too large to wait for whole: Kestrel's pipe stops reading at its request buffer limit.
            return HandOverFor(out request, "limits");
        }

        if (!body.IsComplete)
        {
            request = new PreparedRequest { HeadLength = head.HeadLength };
            return Readiness.NeedMoreData;
        }

        var bodyLength = body.Length;
        CallerAdmission? admission = null;
        var partition = new RateLimitPartitionKey(null, client.RemoteAddress);
        if (route.Authorization == RouteAuthorization.Anonymous)
        {
            // The pipeline would still authenticate a token sent to an anonymous route and audit its subject.
            if (head.Authorization.IsPresent)
            {
                return HandOverFor(out request, "anonymous-route-token");
            }
        }
        else
        {
            if (!head.Authorization.IsPresent)
            {
                return HandOverFor(out request, "unauthenticated");
            }

            admission = admitted ?? _admissions.TryGet(head.Authorization.Of(span));
            if (admission is null)
            {
                request = new PreparedRequest { Authorization = head.Authorization.Of(span).ToArray() };
                return Readiness.NeedAdmission;
            }

            switch (admission.IsAllowed(route.Index))
            {
                case null:
                    request = new PreparedRequest { Admission = admission, Route = route };
                    return Readiness.NeedAuthorization;
                case false:
                    return HandOverFor(out request, "forbidden");
            }

            if (admission.ClientId is not null)
            {
                partition = admission.PartitionKey;
            }
        }

        if (!pool.TryResolve(out var authority))
        {
            return HandOverFor(out request, "destination");
        }

        using (var lease = _limiter.Buckets.AttemptAcquire(partition))
        {
            if (!lease.IsAcquired)
            {
                return HandOverFor(out request, "rate-limited");
            }
        }

        Span<byte> traceParent = stackalloc byte[ForwardingTelemetry.TraceParentLength];
        var activity = _telemetry.StartForward(head.TraceParent.Of(span), route, traceParent);
        var added = new ForwardedRequestHeaders { DestinationAuthority = authority, ClientAddress = client.ClientAddress, Scheme = "http"u8, TraceParent = traceParent };
        client.EnsureSendCapacity((2 * head.HeadLength) + 512 + authority.Length + (int)bodyLength);
        var written = Http1RequestWriter.Write(span[..head.HeadLength], head, added, client.SendBuffer);
        if (written < 0 || written + bodyLength > client.SendBuffer.Length)
        {
            activity?.Dispose();
            return HandOverFor(out request, "request");
        }

        buffer.Slice(head.HeadLength, bodyLength).CopyTo(client.SendBuffer.AsSpan(written));
        request = new PreparedRequest
        {
            Route = route,
            Pool = pool,
            Admission = admission,
            Activity = activity,
            Method = head.Method,
            ConnectionClose = head.ConnectionClose,
            SendLength = written + (int)bodyLength,
            Consumed = buffer.GetPosition(head.HeadLength + bodyLength),
            RequestId = Encoding.ASCII.GetString(traceParent.Slice(3, 32)),
            Time = _timeProvider.GetUtcNow(),
            Started = _timeProvider.GetTimestamp(),
        };
        return Readiness.Ready;
    }

    /// <summary>The largest request (head and body) waited for whole: Kestrel's request buffer limit, at most 1 MB.</summary>
    internal int MaxRequestBytes => (int)Math.Min(MaxBufferedRequestBytes, _limits.MaxRequestBufferSize ?? MaxBufferedRequestBytes);

    /// <summary>
    /// Kestrel's head limits (<c>KestrelServerOptions.Limits</c>), which an operator may set below the forwarder's own: a head over them goes to
    /// Kestrel for its 414 or 431. The field bytes counted include each line's CRLF, at least what Kestrel counts.
    /// </summary>
    private bool ExceedsKestrelHeadLimits(in Http1RequestHead head) =>
        head.RequestLineLength + 2 > _limits.MaxRequestLineSize
        || head.HeadLength - head.RequestLineLength - 4 > _limits.MaxRequestHeadersTotalSize
        || head.FieldCount > _limits.MaxRequestHeaderCount;

    // A Content-Length body: complete once that many bytes are in.
    private static RequestBody MeasureBody(long contentLength, long received, long maxBodyBytes) =>
        contentLength > maxBodyBytes
            ? new RequestBody(contentLength, false, "limits")
            : new RequestBody(contentLength, received >= contentLength, null);

    /// <summary>
    /// A chunked body: its length on the wire once the last chunk is in. The scan resumes where the previous read left it, so a
    /// body that trickles in costs no more than one that arrives whole. Broken framing and trailer fields go to Kestrel, whose
    /// answer (400) or handling the pipeline keeps; decoded data over the route's limit goes there too, for its 413.
    /// </summary>
    private static RequestBody MeasureChunkedBody(ForwardedClient client, in ReadOnlySequence<byte> received, long maxBodyBytes)
    {
        ref var scanner = ref client.BodyScanner;
        // Nothing scanned yet, or the scan so far: Done or InvalidData stick (an earlier read may have ended the body).
        var status = scanner.Scan(default, out _);
        if (status == OperationStatus.NeedMoreData)
        {
            foreach (var segment in received.Slice(client.BodyScanned))
            {
                status = scanner.Scan(segment.Span, out var consumed);
                client.BodyScanned += consumed;
                if (status != OperationStatus.NeedMoreData)
                {
                    break;
                }
            }
        }

        var length = client.BodyScanned;
        return (status, scanner) switch
        {
            (OperationStatus.InvalidData, _) or (_, { HasTrailerFields: true }) => new RequestBody(length, false, "request"),
            (_, { DataBytes: var data }) when data > maxBodyBytes => new RequestBody(length, false, "limits"),
            _ => new RequestBody(length, status == OperationStatus.Done, null),
        };
    }

    private static Readiness HandOverFor(out PreparedRequest request, string reason)
    {
        request = new PreparedRequest { HandOverReason = reason };
        return Readiness.HandOver;
    }

    // The route table's media-type check (RoutePolicyMiddleware) on the raw header value.
    private static bool IsSupported(ReadOnlySpan<byte> contentType, List<string> supported)
    {
        if (contentType.IsEmpty || contentType.Length > 256)
        {
            return false;
        }

        Span<char> chars = stackalloc char[contentType.Length];
        Encoding.Latin1.GetChars(contentType, chars);
        return RoutePolicyMiddleware.IsSupported(chars, supported);
    }

    /// <summary>A request body's length on the wire, whether all of it is in, or why the pipeline must take the request.</summary>
    private readonly record struct RequestBody(long Length, bool IsComplete, string? HandOverReason);

    internal enum Readiness
    {
        Ready,
        NeedMoreData,
        NeedAdmission,
        NeedAuthorization,
        HandOver,
    }

    internal enum ConnectionStep
    {
        Continue,
        HandOver,
        Close,
    }

    internal struct PreparedRequest
    {
        public ConnectionRoute? Route;
        public DestinationConnectionPool? Pool;
        public CallerAdmission? Admission;
        public Activity? Activity;
        public Http1Method Method;
        public bool ConnectionClose;
        public int SendLength;
        public int HeadLength;
        public SequencePosition Consumed;
        public string? RequestId;
        public DateTimeOffset Time;
        public long Started;
        public byte[]? Authorization;
        public string? HandOverReason;
    }
}
