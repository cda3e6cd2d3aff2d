using System.Buffers;
using System.Diagnostics;
using System.Text;
using HealthAI.Gateway.Limits;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>Preparing one request: parse, match, check, admit, and write what is sent, all before anything waits.</summary>
internal sealed partial class ConnectionForwarder
{
    /// <summary>Everything up to the first byte sent, without waiting: parse, match, check, admit, and write what is sent.</summary>
    private Readiness Prepare(ClientConnection client, in ReadOnlySequence<byte> buffer, CallerAdmission? admitted, out PreparedRequest request)
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

        var target = head.Target.Of(span);
        if (_routes.Match(head.Method, target[..head.PathLength]) is not { } route || _pools[route.Index] is not { } pool)
        {
            return HandOverFor(out request, "route");
        }

        var contentLength = Math.Max(head.ContentLength, 0);
        if ((contentLength > 0 && (contentLength > route.Limits.MaxRequestBodyBytes || !IsSupported(head.ContentType.Of(span), route.Limits.ContentTypes)))
            || head.HeadLength + contentLength > Math.Min(MaxBufferedRequestBytes, _limits.MaxRequestBufferSize ?? MaxBufferedRequestBytes))
        {
            return HandOverFor(out request, "limits");
        }

        if (buffer.Length < head.HeadLength + contentLength)
        {
            request = new PreparedRequest { HeadLength = head.HeadLength };
            return Readiness.NeedMoreData;
        }

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
        var activity = ForwardingTelemetry.StartForward(head.TraceParent.Of(span), route, traceParent);
        var added = new ForwardedRequestHeaders { DestinationAuthority = authority, ClientAddress = client.ClientAddress, Scheme = "http"u8, TraceParent = traceParent };
        client.EnsureSendCapacity((2 * head.HeadLength) + 512 + authority.Length + (int)contentLength);
        var written = Http1RequestWriter.Write(span[..head.HeadLength], head, added, client.SendBuffer);
        if (written < 0 || written + contentLength > client.SendBuffer.Length)
        {
            activity?.Dispose();
            return HandOverFor(out request, "request");
        }

        buffer.Slice(head.HeadLength, contentLength).CopyTo(client.SendBuffer.AsSpan(written));
        request = new PreparedRequest
        {
            Route = route,
            Pool = pool,
            Admission = admission,
            Activity = activity,
            Method = head.Method,
            ConnectionClose = head.ConnectionClose,
            SendLength = written + (int)contentLength,
            Consumed = buffer.GetPosition(head.HeadLength + contentLength),
            RequestId = Encoding.ASCII.GetString(traceParent.Slice(3, 32)),
            Time = _timeProvider.GetUtcNow(),
            Started = _timeProvider.GetTimestamp(),
        };
        return Readiness.Ready;
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

    private enum Readiness
    {
        Ready,
        NeedMoreData,
        NeedAdmission,
        NeedAuthorization,
        HandOver,
    }

    private enum ConnectionStep
    {
        Continue,
        HandOver,
        Close,
    }

    private struct PreparedRequest
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
