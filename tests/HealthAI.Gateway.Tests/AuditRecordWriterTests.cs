using System.Buffers;
using System.Text;
using System.Text.Json;
using HealthAI.Gateway.Audit;

namespace HealthAI.Gateway.Tests;

/// <summary>The hand-written audit record JSON is byte for byte what the source-generated serializer writes.</summary>
public sealed class AuditRecordWriterTests
{
    public static TheoryData<AuditRecord> Records => new()
    {
        Record(),
        Record(r => r.Subject = null),
        Record(r => r.Scopes = []),
        Record(r => r.Scopes = ["notes.analyze", "models.read"]),
        Record(r => r.Entities = new Dictionary<string, int> { ["NAME"] = 2, ["DATE"] = 1, ["MRN"] = 0 }),
        Record(r => r.Entities = new Dictionary<string, int>()),
        // Every character the default encoder escapes, and some it does not.
        Record(r => r.Subject = "a\"b\\c<d>e&f'g+h`i\u0000j\u001fk\u007fl\u00e9m\u4e2dn\U0001F600o/p"),
        Record(r => r.Route = "route with spaces ~!@#$%^*()_=[]{}|;:,.?"),
        Record(r => r.Subject = ""),
        // Dates: every fraction length, none, and a non-zero offset.
        Record(r => r.Time = new DateTimeOffset(2026, 11, 22, 10, 55, 47, TimeSpan.Zero)),
        Record(r => r.Time = new DateTimeOffset(2026, 11, 22, 10, 55, 47, TimeSpan.Zero).AddTicks(1)),
        Record(r => r.Time = new DateTimeOffset(2026, 11, 22, 10, 55, 47, TimeSpan.Zero).AddTicks(1_000_000)),
        Record(r => r.Time = new DateTimeOffset(2026, 11, 22, 10, 55, 47, TimeSpan.Zero).AddTicks(1_234_560)),
        Record(r => r.Time = new DateTimeOffset(1999, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)).AddTicks(9_999_999)),
        // Numbers: zero, tiny, huge, negative, rounded latencies.
        Record(r => (r.LatencyMs, r.Status, r.Sequence) = (0, 0, 0)),
        Record(r => (r.LatencyMs, r.Sequence) = (0.001, long.MaxValue)),
        Record(r => r.LatencyMs = 1e-7),
        Record(r => r.LatencyMs = 123456789.123),
        Record(r => r.LatencyMs = -1.5),
        Record(r => r.LatencyMs = Math.Round(2.0 / 3.0, 3)),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void TheWrittenJson_IsTheSerializersExactly(AuditRecord record)
    {
        var written = new ArrayBufferWriter<byte>();

        AuditRecordWriter.Write(record, written);

        var expected = JsonSerializer.SerializeToUtf8Bytes(record, AuditJsonContext.Default.AuditRecord);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written.WrittenSpan));
    }

    [Fact]
    public void RandomRecords_AreTheSerializersExactly()
    {
        var random = new Random(22);
        var alphabet = "aZ09 \"\\<>&'+`/\u00e9\u4e2d\u0001-_.:".ToCharArray();
        var written = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 500; i++)
        {
            string Text() => new(random.GetItems(alphabet, random.Next(0, 12)));
            var record = Record(r =>
            {
                r.Sequence = random.NextInt64();
                r.Time = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero);
                r.Subject = random.Next(4) == 0 ? null : Text();
                r.Route = Text();
                r.Scopes = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Text())];
                r.LatencyMs = Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-3, 7)), 3);
                r.Status = random.Next(100, 600);
            });
            written.ResetWrittenCount();

            AuditRecordWriter.Write(record, written);

            var expected = JsonSerializer.SerializeToUtf8Bytes(record, AuditJsonContext.Default.AuditRecord);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written.WrittenSpan));
        }
    }

    /// <summary>A typical forwarded request's record, changed as a test needs (the audit trail's tests use it too).</summary>
    internal static AuditRecord Record(Action<AuditRecord>? change = null)
    {
        var record = new AuditRecord
        {
            Sequence = 42,
            Time = new DateTimeOffset(2026, 11, 22, 10, 55, 47, TimeSpan.Zero).AddTicks(627_552),
            RequestId = "44506d0b94263efa18a3645a73ebe758",
            Subject = "bench-client",
            Method = "POST",
            Route = "deidentify",
            Scopes = ["notes.deidentify"],
            Outcome = "success",
            Status = 200,
            LatencyMs = 0.93,
            PreviousHash = AuditChain.GenesisHash,
        };
        change?.Invoke(record);
        return record;
    }
}
