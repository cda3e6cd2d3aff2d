using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using HealthAI.Gateway.Logging;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// The single writer of the audit chain. Requests hand records to a bounded queue without touching the disk; one dedicated
/// thread numbers, chains and seals them in order (so the chain has exactly one head) and writes whatever has queued up as one
/// batch: one write per sink per batch, however many requests finished meanwhile.
/// </summary>
/// <remarks>
/// Nothing is dropped. When the queue is full a request waits for room (back-pressure) instead of losing its record, and the
/// queue is only closed once the server has stopped (<see cref="StoppedAsync"/>, after in-flight requests finished), then
/// drained to the sinks before shutdown completes. On start-up the chain resumes from the file's last line.
/// </remarks>
public sealed class AuditTrail(IOptions<AuditOptions> options, TimeProvider timeProvider, ILogger<AuditTrail> logger) : IHostedLifecycleService
{
    // Upper bound of one batch, so a long backlog is written in bounded chunks (memory) while the loop keeps up.
    private const int MaxBatchRecords = 1024;

    private readonly AuditOptions _options = options.Value;
    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private FileStream? _file;
    private Stream? _stdout;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _writer = Task.CompletedTask;
    private long _enqueued;
    private long _written;
    private long _sequence;
    private string _head = AuditChain.GenesisHash;

    // 1 while the writer sleeps on an empty queue; whoever takes it back to 0 releases the writer (WakeWriterIfIdle).
    private int _writerIdle;
    private readonly object _wakeGate = new();
    private bool _wakeReleased;

    /// <summary>Records written so far (tests and shutdown use it to know the queue is drained).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Queues one record. Completes at once while the queue has room; when it is full, completes once the writer has made room,
    /// so a burst slows requests down rather than losing audit records.
    /// </summary>
    public ValueTask AppendAsync(AuditRecord record)
    {
        Interlocked.Increment(ref _enqueued);
        if (!_queue.Writer.TryWrite(record))
        {
            return WaitForRoomAsync(record);
        }

        WakeWriterIfIdle();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until every record queued before the call has been written.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Written < target)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Opens the sinks (resuming the chain from the file) and starts the writer; a sink that cannot open stops start-up.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.File)
        {
            _file = await OpenFileAsync(cancellationToken);
        }

        _stdout = _options.Stdout ? Console.OpenStandardOutput() : null;
        // A thread of its own rather than a thread-pool loop: under load it sleeps between batches instead of being woken by
        // each record and spinning in the pool for more work, which on a few cores took CPU from the requests themselves.
        _writer = _writerStopped.Task;
        new Thread(RunWriter) { IsBackground = true, Name = "HealthAI audit writer" }.Start();
    }

    /// <summary>Runs after every hosted service, the server included, has stopped: closes the queue and writes what is left.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        WakeWriterIfIdle();
        try
        {
            await _writer.WaitAsync(cancellationToken);
        }
        finally
        {
            if (_writer.IsCompleted)
            {
                _file?.Dispose();
                _stdout?.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing: requests still in flight while the server stops must be audited, so the queue stays open until <see cref="StoppedAsync"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask WaitForRoomAsync(AuditRecord record)
    {
        try
        {
            await _queue.Writer.WriteAsync(record, CancellationToken.None);
            WakeWriterIfIdle();
        }
        catch (ChannelClosedException)
        {
            // Only reachable if a request outlives the server's shutdown; say so rather than pretend it was written.
            Interlocked.Decrement(ref _enqueued);
            Log.AuditRecordAfterShutdown(logger, record.Route, record.Status);
        }
    }

    private void RunWriter()
    {
        try
        {
            WriteLoop();
            _writerStopped.TrySetResult();
        }
        catch (Exception ex)
        {
            _writerStopped.TrySetException(ex);
        }
    }

    private void WriteLoop()
    {
        var batch = new ArrayBufferWriter<byte>(64 * 1024);
        var scratch = new ArrayBufferWriter<byte>(1024);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = _queue.Reader;
        while (WaitForRecords(reader))
        {
            if (_options.BatchDelay > TimeSpan.Zero && reader.Count < MaxBatchRecords)
            {
                Pause(_options.BatchDelay);
            }

            batch.ResetWrittenCount();
            var count = 0;
            while (count < MaxBatchRecords && reader.TryRead(out var record))
            {
                record.Sequence = ++_sequence;
                record.PreviousHash = _head;
                _head = AuditChain.Seal(record, scratch, batch, sha256);
                count++;
            }

            Write(_file, "file", batch.WrittenSpan);
            Write(_stdout, "stdout", batch.WrittenSpan);
            Interlocked.Add(ref _written, count);
        }
    }

    // True when records are queued; blocks while the queue is empty and open; false once it is closed and drained. The
    // channel's own WaitToReadAsync would be completed through a thread-pool work item, and the worker woken for it then spins
    // for more work (about 4% of the gateway's CPU under rounds of 64 requests): the request that finds the writer idle wakes
    // it directly.
    private bool WaitForRecords(ChannelReader<AuditRecord> reader)
    {
        while (!reader.TryPeek(out _))
        {
            if (reader.Completion.IsCompleted)
            {
                return false;
            }

            // Idle is published before the queue is looked at again, so a record queued meanwhile is either seen here or
            // its request sees the flag and wakes the writer.
            Interlocked.Exchange(ref _writerIdle, 1);
            if (reader.TryPeek(out _) || reader.Completion.IsCompleted)
            {
                if (Interlocked.Exchange(ref _writerIdle, 0) == 0)
                {
                    // A request took the flag first and releases the writer: take that release so that none is left over.
                    AwaitRelease();
                }

                continue;
            }

            AwaitRelease();
        }

        return true;
    }

    // Called after each record is queued (and once the queue is closed): the barrier orders the queueing before the read of
    // the flag, as the writer's exchange orders its flag before its second look at the queue.
    private void WakeWriterIfIdle()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _writerIdle) != 0 && Interlocked.Exchange(ref _writerIdle, 0) != 0)
        {
            lock (_wakeGate)
            {
                _wakeReleased = true;
                Monitor.Pulse(_wakeGate);
            }
        }
    }

    private void AwaitRelease()
    {
        lock (_wakeGate)
        {
            while (!_wakeReleased)
            {
                Monitor.Wait(_wakeGate);
            }

            _wakeReleased = false;
        }
    }

    // A plain sleep on the real clock (a timed wait, no spinning); a substituted clock is honoured through its own delay.
    private void Pause(TimeSpan delay)
    {
        if (ReferenceEquals(timeProvider, TimeProvider.System))
        {
            Thread.Sleep(delay);
        }
        else
        {
            Task.Delay(delay, timeProvider).GetAwaiter().GetResult();
        }
    }

    // Synchronous on purpose: this loop is the only writer, the file is unbuffered (batches are the buffer) and a write of a
    // few kilobytes to the page cache costs less than the async machinery around it.
    private void Write(Stream? sink, string name, ReadOnlySpan<byte> lines)
    {
        if (sink is null)
        {
            return;
        }

        try
        {
            sink.Write(lines);
            sink.Flush();
        }
        catch (IOException ex)
        {
            Log.AuditSinkFailed(logger, name, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The file's last non-empty line, read from the end: a file of millions of records opens as fast as a short one (read from
    /// the start, a 1.6 GB file kept the gateway from starting for longer than its start-up probes wait).
    /// </summary>
    internal static async Task<string?> ReadLastLineAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.Asynchronous);
        var length = file.Length;
        for (var window = 64L * 1024; ; window *= 2)
        {
            var start = Math.Max(0, length - window);
            var tail = new byte[length - start];
            file.Position = start;
            await file.ReadExactlyAsync(tail, cancellationToken);
            var end = tail.AsSpan().LastIndexOfAnyExcept((byte)'\n', (byte)'\r');
            if (end >= 0)
            {
                var newline = tail.AsSpan(0, end).LastIndexOf((byte)'\n');
                if (newline >= 0 || start == 0)
                {
                    return System.Text.Encoding.UTF8.GetString(tail, newline + 1, end - newline);
                }
            }
            else if (start == 0)
            {
                return null;
            }
        }
    }

    private async Task<FileStream> OpenFileAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(_options.FilePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            var last = await ReadLastLineAsync(path, cancellationToken);
            if (last is not null && AuditChain.TryOpen(last, out var recordJson, out var hash))
            {
                using var document = JsonDocument.Parse(recordJson);
                _sequence = document.RootElement.GetProperty("seq").GetInt64();
                _head = hash;
                Log.AuditChainResumed(logger, path, _sequence);
            }
        }

        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }
}
