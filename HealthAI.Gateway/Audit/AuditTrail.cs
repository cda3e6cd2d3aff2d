using System.Threading.Channels;
using HealthAI.Gateway.Logging;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// The single writer of the audit chain. Requests enqueue records without waiting on disk; one background loop numbers,
/// chains, seals and writes them in order, so the chain has exactly one head. On start-up it resumes from the file's last line.
/// </summary>
public sealed class AuditTrail : BackgroundService
{
    private readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AuditOptions _options;
    private readonly ILogger<AuditTrail> _logger;
    private long _enqueued;
    private long _written;
    private long _sequence;
    private string _head = AuditChain.GenesisHash;

    public AuditTrail(IOptions<AuditOptions> options, ILogger<AuditTrail> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Records written so far (tests and shutdown use it to know the queue is drained).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues one record; never blocks the request.</summary>
    public void Append(AuditRecord record)
    {
        Interlocked.Increment(ref _enqueued);
        _queue.Writer.TryWrite(record);
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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StreamWriter? file = null;
        if (_options.File)
        {
            file = await OpenFileAsync(stoppingToken);
        }

        using var stdout = _options.Stdout ? new StreamWriter(Console.OpenStandardOutput()) : null;
        try
        {
            // Shutdown drains what is queued: the writer side is completed in StopAsync, so this loop ends after the last record.
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (_queue.Reader.TryRead(out var record))
                {
                    record.Sequence = ++_sequence;
                    record.PreviousHash = _head;
                    var (line, hash) = AuditChain.Seal(record);
                    _head = hash;
                    await WriteLineAsync(file, "file", line);
                    await WriteLineAsync(stdout, "stdout", line);
                    Interlocked.Increment(ref _written);
                }

                await FlushSinkAsync(file, "file");
                await FlushSinkAsync(stdout, "stdout");
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private async Task<StreamWriter> OpenFileAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(_options.FilePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            string? last = null;
            using (var reader = new StreamReader(path))
            {
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length > 0)
                    {
                        last = line;
                    }
                }
            }

            if (last is not null && AuditChain.TryOpen(last, out var recordJson, out var hash))
            {
                using var document = System.Text.Json.JsonDocument.Parse(recordJson);
                _sequence = document.RootElement.GetProperty("seq").GetInt64();
                _head = hash;
                Log.AuditChainResumed(_logger, path, _sequence);
            }
        }

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new StreamWriter(stream) { NewLine = "\n" };
    }

    private async Task WriteLineAsync(StreamWriter? sink, string name, string line)
    {
        if (sink is null)
        {
            return;
        }

        try
        {
            await sink.WriteLineAsync(line);
        }
        catch (IOException ex)
        {
            Log.AuditSinkFailed(_logger, name, ex.GetType().Name);
        }
    }

    private async Task FlushSinkAsync(StreamWriter? sink, string name)
    {
        if (sink is null)
        {
            return;
        }

        try
        {
            await sink.FlushAsync();
        }
        catch (IOException ex)
        {
            Log.AuditSinkFailed(_logger, name, ex.GetType().Name);
        }
    }
}
