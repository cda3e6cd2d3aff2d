using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>Where a client connection on an event loop stands.</summary>
internal enum LoopClientState
{
    /// <summary>Between requests: waiting for the next one (keep-alive timeout).</summary>
    Idle,

    /// <summary>Part of a request is in (request headers timeout, then the body's minimum data rate).</summary>
    Receiving,

    /// <summary>A token or a route policy is being checked off the loop; the connection is not read meanwhile.</summary>
    Admitting,

    /// <summary>The request went to a destination; its answer is being relayed (the cluster's activity timeout).</summary>
    Exchanging,

    /// <summary>The answer is out and its audit record waits for room in a full audit queue.</summary>
    Auditing,
}

/// <summary>A socket an event loop watches: its slot (the epoll data) and the readiness it waits for.</summary>
internal interface ILoopConnection
{
    Socket Socket { get; }

    int Slot { get; set; }

    uint Interest { get; set; }

    bool Closed { get; set; }
}

/// <summary>One client connection served on an event loop: its socket, what it sent, and what waits to be sent to it.</summary>
internal sealed class LoopClient(Socket socket, IPAddress remoteAddress, int maxInputBytes) : ForwardedClient(remoteAddress), ILoopConnection
{
    private const int InitialBufferBytes = 4 * 1024;

    public Socket Socket { get; } = socket;

    public int Slot { get; set; }

    public uint Interest { get; set; }

    public bool Closed { get; set; }

    public LoopClientState State { get; set; }

    /// <summary>When the current wait runs out (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Deadline { get; set; }

    /// <summary>When the connection last went idle (a <see cref="TimeProvider"/> timestamp).</summary>
    public long IdleSince { get; set; }

    /// <summary>When the current request's body started to arrive (0 before).</summary>
    public long BodySince { get; set; }

    /// <summary>Received bytes not yet consumed by a request: the start of the next request, or all of it.</summary>
    public byte[] Input { get; private set; } = [];

    public int InputLength { get; set; }

    /// <summary>The largest request the loop waits for whole; a longer one fills the buffer and is handed to Kestrel.</summary>
    public int MaxInputBytes { get; } = maxInputBytes;

    public ClientOutput Output { get; } = new();

    /// <summary>The caller admitted off the loop for the request being prepared.</summary>
    public CallerAdmission? Admitted { get; set; }

    // The exchange in flight.
    public ConnectionForwarder.PreparedRequest Request;
    public Http1ResponseHead Answer;
    public ChunkedBodyScanner AnswerScanner;

    public LoopDestination? Destination { get; set; }

    /// <summary>Counts the connection's exchanges: a lookup that finishes late knows whether its exchange is still the current one.</summary>
    public int Exchange { get; private set; }

    /// <summary>While a destination connection is being opened (name lookup included), when that must be done by; else 0.</summary>
    public long ConnectDeadline { get; set; }

    public int Attempt { get; set; }

    public bool ResponseStarted { get; set; }

    /// <summary>The answer's last byte has been taken from the destination (or a problem answer written).</summary>
    public bool AnswerComplete { get; set; }

    public long AnswerRemaining { get; set; }

    public int Status { get; set; }

    /// <summary>The connection closes once the current answer is out.</summary>
    public bool CloseAfter { get; set; }

    /// <summary>The client is not taking the answer as fast as it comes: the destination is not read until it has.</summary>
    public bool OutputBlocked { get; set; }

    /// <summary>Room for at least one more read; false when the buffer is full at its largest.</summary>
    public bool EnsureInputRoom()
    {
        if (InputLength < Input.Length)
        {
            return true;
        }

        if (Input.Length >= MaxInputBytes)
        {
            return false;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(Input.Length * 2, InitialBufferBytes), MaxInputBytes));
        Input.AsSpan(0, InputLength).CopyTo(larger);
        ReturnInput();
        Input = larger;
        return true;
    }

    /// <summary>
    /// Between requests, with nothing buffered either way: the buffers go back to the pool, so a connection kept alive without
    /// traffic holds none (as Kestrel's transport waits for data before it allocates).
    /// </summary>
    public override void ReleaseBuffers()
    {
        if (InputLength == 0 && Output.Length == 0)
        {
            ReturnInput();
            Output.Dispose();
            base.ReleaseBuffers();
        }
    }

    private void ReturnInput()
    {
        if (Input.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Input);
            Input = [];
        }
    }

    /// <summary>Drops a request's bytes once it has been sent on; what follows (a pipelined request) moves to the front.</summary>
    public void Consume(int bytes)
    {
        InputLength -= bytes;
        if (InputLength > 0)
        {
            Input.AsSpan(bytes, InputLength).CopyTo(Input);
        }
    }

    public void StartExchange(in ConnectionForwarder.PreparedRequest request)
    {
        Exchange++;
        ConnectDeadline = 0;
        Request = request;
        Answer = default;
        AnswerScanner = default;
        Attempt = 0;
        ResponseStarted = false;
        AnswerComplete = false;
        AnswerRemaining = 0;
        Status = 0;
        OutputBlocked = false;
    }

    public override void Dispose()
    {
        ReturnInput();
        InputLength = 0;
        Output.Dispose();
        base.Dispose();
    }
}

/// <summary>One connection from an event loop to a destination: the answer is read into its buffer.</summary>
internal sealed class LoopDestination(Socket socket, DestinationConnectionPool pool) : ILoopConnection
{
    public Socket Socket { get; } = socket;

    public DestinationConnectionPool Pool { get; } = pool;

    public byte[] ReceiveBuffer { get; } = GC.AllocateUninitializedArray<byte>(16 * 1024);

    public int Slot { get; set; }

    public uint Interest { get; set; }

    public bool Closed { get; set; }

    /// <summary>The client whose exchange uses it; null while it is idle in the loop's pool.</summary>
    public LoopClient? Client { get; set; }

    /// <summary>A non-blocking connect in progress (its deadline is the client's <see cref="LoopClient.ConnectDeadline"/>).</summary>
    public bool Connecting { get; set; }

    /// <summary>The destination's addresses being tried, and which one this connection is to.</summary>
    public IPAddress[] Addresses { get; init; } = [];

    public int AddressIndex { get; init; }

    public int Port { get; init; }

    /// <summary>An earlier request used it: the destination may have closed it meanwhile (the keep-alive race).</summary>
    public bool Reused { get; set; }

    public long IdleSince { get; set; }

    /// <summary>Bytes of the request sent so far.</summary>
    public int SendOffset { get; set; }

    /// <summary>Bytes in <see cref="ReceiveBuffer"/>; those before <see cref="DataStart"/> have been relayed.</summary>
    public int Received { get; set; }

    public int DataStart { get; set; }

    /// <summary>Any byte of the current answer arrived (a request that got one is never sent again).</summary>
    public bool AnswerArrived { get; set; }
}
