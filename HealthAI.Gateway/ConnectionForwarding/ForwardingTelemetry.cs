using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// Trace context, the request id and metrics for requests forwarded at the connection level, where ASP.NET Core's hosting
/// diagnostics never see them.
/// </summary>
internal sealed class ForwardingTelemetry
{
    /// <summary>The activity source and meter name (matched by the service defaults' <c>HealthAI.*</c>).</summary>
    public const string Name = "HealthAI.Gateway.ConnectionForwarding";

    /// <summary>The length of a version-00 W3C <c>traceparent</c> value.</summary>
    public const int TraceParentLength = 55;

    private static readonly ActivitySource Source = new(Name);
    private static readonly SearchValues<byte> LowerHex = SearchValues.Create("0123456789abcdef"u8);

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _handovers;
    private readonly bool _recordsSpans;

    /// <param name="meters">The host's meter factory.</param>
    /// <param name="recording">
    /// From the service defaults: when spans are only propagated, no activity is made (an unrecorded one would be created, made
    /// current and stopped on every request for nothing: this class writes the trace context itself). Absent: spans are made
    /// whenever the source has listeners.
    /// </param>
    public ForwardingTelemetry(IMeterFactory meters, TraceRecording? recording = null)
    {
        _recordsSpans = recording?.Enabled ?? true;
        var meter = meters.Create(Name);
        _duration = meter.CreateHistogram<double>("healthai.gateway.connection_forwarding.duration", "s",
            "Requests forwarded at the connection level, from the complete request to the last byte of the answer.");
        _handovers = meter.CreateCounter<long>("healthai.gateway.connection_forwarding.handovers", "{connection}",
            "Connections handed to ASP.NET Core's pipeline, by reason.");
    }

    /// <summary>
    /// Starts the server activity when spans are recorded and something listens, and writes the <c>traceparent</c> to send on:
    /// a child of the caller's trace when it sent a valid one, else a new trace. The trace id doubles as the request id, as in the pipeline.
    /// </summary>
    public Activity? StartForward(ReadOnlySpan<byte> incoming, ConnectionRoute route, Span<byte> traceParent)
    {
        if (_recordsSpans && Source.HasListeners())
        {
            ActivityContext.TryParse(incoming.IsEmpty ? null : Encoding.ASCII.GetString(incoming), null, isRemote: true, out var parent);
            if (Source.StartActivity(route.ActivityName, ActivityKind.Server, parent) is { } activity)
            {
                activity.SetTag("http.route", route.RouteId);
                Encoding.ASCII.GetBytes(activity.Id.AsSpan(0, TraceParentLength), traceParent);
                return activity;
            }
        }

        // Nothing records: keep the caller's trace id and flags with a fresh parent id, or start an unsampled trace.
        "00-"u8.CopyTo(traceParent);
        if (IsValid(incoming))
        {
            incoming.Slice(3, 32).CopyTo(traceParent[3..]);
            incoming.Slice(52, 3).CopyTo(traceParent[52..]);
        }
        else
        {
            WriteTraceId(traceParent.Slice(3, 32));
            "-00"u8.CopyTo(traceParent[52..]);
        }

        traceParent[35] = (byte)'-';
        WriteSpanId(traceParent.Slice(36, 16));
        return null;
    }

    public void RecordForwarded(string routeId, int status, TimeSpan elapsed)
    {
        if (_duration.Enabled)
        {
            _duration.Record(elapsed.TotalSeconds, new("http.route", routeId), new("http.response.status_code", status));
        }
    }

    public void RecordHandover(string reason)
    {
        if (_handovers.Enabled)
        {
            _handovers.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    // version 00, lowercase hex ids that are not all zeros, and flags.
    private static bool IsValid(ReadOnlySpan<byte> value) =>
        value.Length == TraceParentLength && value.StartsWith("00-"u8) && value[35] == '-' && value[52] == '-'
        && IsLowerHex(value.Slice(3, 32)) && IsLowerHex(value.Slice(36, 16)) && IsLowerHex(value.Slice(53, 2))
        && value.Slice(3, 32).ContainsAnyExcept((byte)'0') && value.Slice(36, 16).ContainsAnyExcept((byte)'0');

    private static bool IsLowerHex(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept(LowerHex);

    // Random ids without Activity's id types, which format each id as a string and parse it back: random enough for trace ids
    // (Activity's own generator is no stronger), and no call into OpenSSL.
    private static void WriteTraceId(Span<byte> destination) => WriteRandomHex(stackalloc byte[16], destination);

    private static void WriteSpanId(Span<byte> destination) => WriteRandomHex(stackalloc byte[8], destination);

    private static void WriteRandomHex(Span<byte> id, Span<byte> destination)
    {
        Random.Shared.NextBytes(id);
        if (!id.ContainsAnyExcept((byte)0))
        {
            id[^1] = 1; // all zeros is the invalid id
        }

        Convert.TryToHexStringLower(id, destination, out _);
    }
}
