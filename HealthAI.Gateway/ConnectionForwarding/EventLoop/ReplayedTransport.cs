using System.IO.Pipelines;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// A handed-over connection's transport for Kestrel: the bytes the event loop already read come first, then the socket's. The
/// output is the socket transport's own. One copy per read, on connections that take the pipeline anyway.
/// </summary>
internal sealed class ReplayedTransport : IDuplexPipe
{
    public ReplayedTransport(ReadOnlyMemory<byte> received, IDuplexPipe transport)
    {
        var replay = new Pipe(new PipeOptions(useSynchronizationContext: false));
        Input = replay.Reader;
        Output = transport.Output;
        _ = PumpAsync(received, transport.Input, replay.Writer);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    private static async Task PumpAsync(ReadOnlyMemory<byte> received, PipeReader socket, PipeWriter replay)
    {
        Exception? error = null;
        try
        {
            var flushed = await replay.WriteAsync(received);
            if (!flushed.IsCompleted)
            {
                // Ends when the socket's input ends, or when Kestrel stops reading (the connection is over).
                await socket.CopyToAsync(replay);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await socket.CompleteAsync(error);
        await replay.CompleteAsync(error);
    }
}
