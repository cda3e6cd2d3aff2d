using HealthAI.Gateway.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Tests;

/// <summary>
/// The audit writer on its own, without a host: it sleeps when the queue is empty and a request has to wake it, so these tests
/// make it go idle before each record.
/// </summary>
public sealed class AuditTrailTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("healthai-audit-trail").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", null)]
    [InlineData("\n\r\n\n", null)]
    [InlineData("only", "only")]
    [InlineData("first\nsecond\n", "second")]
    [InlineData("first\r\nsecond\r\n\r\n\n", "second")]
    public async Task ReadLastLine_FindsTheLastNonEmptyLine(string content, string? expected)
    {
        var path = Path.Combine(_directory, "tail.jsonl");
        await File.WriteAllTextAsync(path, content, Ct);

        Assert.Equal(expected, await AuditTrail.ReadLastLineAsync(path, Ct));
    }

    [Theory]
    [InlineData(100_000, 40)]
    [InlineData(3, 200_000)]
    public async Task ReadLastLine_ReadsFromTheEnd_WhateverTheLengthsOfTheFileAndOfItsLastLine(int lines, int lastLineLength)
    {
        var path = Path.Combine(_directory, "long.jsonl");
        var last = "{\"seq\":" + new string('7', lastLineLength) + "}";
        await using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < lines; i++)
            {
                await writer.WriteLineAsync($"{{\"seq\":{i},\"route\":\"deidentify\"}}");
            }

            await writer.WriteLineAsync(last);
        }

        Assert.Equal(last, await AuditTrail.ReadLastLineAsync(path, Ct));
    }

    [Fact]
    public async Task IdleWriter_IsWokenByEachRecord_AndTheChainHolds()
    {
        var trail = CreateTrail(out var path);
        await trail.StartAsync(Ct);
        using var guard = HangGuard();
        const int Records = 50;
        for (var i = 0; i < Records; i++)
        {
            await trail.AppendAsync(Record(i));
            await trail.FlushAsync(guard.Token);
            // Long enough for the writer to find the queue empty and go to sleep before the next record.
            await Task.Delay(2, Ct);
        }

        await trail.StoppedAsync(guard.Token);

        await AssertChainAsync(path, Records);
    }

    [Fact]
    public async Task RecordsFromManyRequestsAtOnce_AreAllWritten_WhileTheWriterKeepsGoingIdle()
    {
        var trail = CreateTrail(out var path);
        await trail.StartAsync(Ct);
        using var guard = HangGuard();
        const int Writers = 8;
        const int PerWriter = 200;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await trail.AppendAsync(Record(writer * PerWriter + i));
                if (i % 16 == 0)
                {
                    await Task.Yield();
                }
            }
        }, Ct)));

        await trail.FlushAsync(guard.Token);
        Assert.Equal(Writers * PerWriter, trail.Written);
        await trail.StoppedAsync(guard.Token);

        await AssertChainAsync(path, Writers * PerWriter);
    }

    [Fact]
    public async Task Shutdown_WakesAnIdleWriter()
    {
        var trail = CreateTrail(out _);
        await trail.StartAsync(Ct);
        await trail.AppendAsync(Record(0));
        using var guard = HangGuard();
        await trail.FlushAsync(guard.Token);
        await Task.Delay(10, Ct);

        await trail.StoppedAsync(guard.Token);

        Assert.Equal(1, trail.Written);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task AssertChainAsync(string path, long records)
    {
        using var reader = new StreamReader(path);
        var verdict = await AuditChain.VerifyAsync(reader, Ct);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.Equal(records, verdict.LastSequence);
    }

    // Turns a writer that never wakes into a failed test rather than a hung run.
    private static CancellationTokenSource HangGuard()
    {
        var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        return guard;
    }

    private AuditTrail CreateTrail(out string path)
    {
        path = Path.Combine(_directory, $"{Guid.NewGuid():N}.jsonl");
        // No batch delay: the writer looks at the queue again as soon as it has written, so it goes idle as often as it can.
        var options = Options.Create(new AuditOptions { FilePath = path, BatchDelay = TimeSpan.Zero });
        return new AuditTrail(options, TimeProvider.System, NullLogger<AuditTrail>.Instance);
    }

    // Records told apart by time and request id; the trail numbers and chains them itself.
    private static AuditRecord Record(int index) => AuditRecordWriterTests.Record(record => (record.Time, record.RequestId) =
        (DateTimeOffset.UnixEpoch.AddSeconds(index), index.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)));
}
