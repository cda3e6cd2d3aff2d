using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// Writes an audit record's JSON by hand, byte for byte what <see cref="AuditJsonContext"/> writes (same member order, nulls
/// left out, the serializer's default escaping, date and number forms), at a fraction of the serializer's cost: the audit
/// writer seals one record per request on a thread that shares the gateway's few cores with the requests.
/// </summary>
internal static class AuditRecordWriter
{
    // Printable ASCII that the serializer's default encoder leaves as it is: not '"', '\\', nor the HTML-sensitive
    // characters it escapes (& ' + < > `). Any other value is escaped by the serializer's own encoder.
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    // The longest number or date written: a long (20), a double's shortest round-trip form (24), an ISO 8601 date (33).
    private const int MaxScalarBytes = 64;

    /// <summary>Appends the record's JSON object (no newline) to <paramref name="output"/>.</summary>
    public static void Write(AuditRecord record, IBufferWriter<byte> output)
    {
        Raw(output, "{\"seq\":"u8);
        Number(output, record.Sequence);
        Raw(output, ",\"time\":\""u8);
        Time(output, record.Time);
        Raw(output, "\",\"requestId\":"u8);
        String(output, record.RequestId);
        if (record.Subject is { } subject)
        {
            Raw(output, ",\"subject\":"u8);
            String(output, subject);
        }

        Raw(output, ",\"method\":"u8);
        String(output, record.Method);
        Raw(output, ",\"route\":"u8);
        String(output, record.Route);
        Raw(output, ",\"scopes\":["u8);
        for (var i = 0; i < record.Scopes.Count; i++)
        {
            if (i > 0)
            {
                Raw(output, ","u8);
            }

            String(output, record.Scopes[i]);
        }

        Raw(output, "],\"outcome\":"u8);
        String(output, record.Outcome);
        Raw(output, ",\"status\":"u8);
        Number(output, record.Status);
        Raw(output, ",\"latencyMs\":"u8);
        Number(output, record.LatencyMs);
        if (record.Entities is { } entities)
        {
            Raw(output, ",\"entities\":{"u8);
            var first = true;
            foreach (var (type, count) in entities)
            {
                Raw(output, first ? ""u8 : ","u8);
                String(output, type);
                Raw(output, ":"u8);
                Number(output, count);
                first = false;
            }

            Raw(output, "}"u8);
        }

        Raw(output, ",\"prev\":"u8);
        String(output, record.PreviousHash);
        Raw(output, "}"u8);
    }

    private static void Raw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private static void String(IBufferWriter<byte> output, string value)
    {
        if (value.AsSpan().ContainsAnyExcept(Plain))
        {
            // Rare (a subject or route with non-ASCII or HTML-sensitive characters): the serializer's encoder decides.
            Raw(output, "\""u8);
            Raw(output, JsonEncodedText.Encode(value).EncodedUtf8Bytes);
            Raw(output, "\""u8);
            return;
        }

        var span = output.GetSpan(value.Length + 2);
        span[0] = (byte)'"';
        Encoding.ASCII.GetBytes(value, span[1..]);
        span[value.Length + 1] = (byte)'"';
        output.Advance(value.Length + 2);
    }

    private static void Number(IBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(MaxScalarBytes), out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void Number(IBufferWriter<byte> output, double value)
    {
        value.TryFormat(output.GetSpan(MaxScalarBytes), out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    // ISO 8601 as the serializer writes it: the round-trip form with the fraction's trailing zeros (and a bare '.') dropped.
    private static void Time(IBufferWriter<byte> output, DateTimeOffset time)
    {
        var span = output.GetSpan(MaxScalarBytes);
        time.TryFormat(span, out var written, "O", CultureInfo.InvariantCulture);
        const int FractionStart = 20; // after "yyyy-MM-ddTHH:mm:ss."
        const int FractionDigits = 7;
        var kept = FractionDigits;
        while (kept > 0 && span[FractionStart + kept - 1] == (byte)'0')
        {
            kept--;
        }

        var cut = kept == 0 ? FractionDigits + 1 : FractionDigits - kept;
        span[(FractionStart + FractionDigits)..written].CopyTo(span[(FractionStart + FractionDigits - cut)..]);
        output.Advance(written - cut);
    }
}
