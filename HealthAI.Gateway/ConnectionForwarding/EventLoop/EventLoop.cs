using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// One thread running one epoll loop, as an nginx worker does: it accepts connections from the shared listener and serves their
/// forwarded requests with non-blocking socket calls made synchronously between waits, so a request costs no asynchronous
/// socket operation, pipe or state machine. The forwarder's own parse, checks and writes run here unchanged
/// (<see cref="ConnectionForwarder.Prepare"/>); what must wait off the loop (a token seen for the first time, a route policy, a
/// full audit queue, a DNS lookup) runs on the thread pool and posts its result back. A connection the loop does not serve is
/// handed to Kestrel whole, with the bytes already read.
/// </summary>
/// <remarks>Everything here runs on the loop's thread except <see cref="Post"/>, <see cref="Drain"/> and <see cref="Dispose"/>.</remarks>
internal sealed partial class EventLoop : IDisposable
{
    // Timers (keep-alive, request, activity, connect, pooled idle) are checked this often: their resolution.
    private const int TickMs = 50;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(TickMs);
    private const int ListenerSlot = 0;
    private const int WakeUpSlot = 1;

    // How long a loop stops accepting after accept itself failed (no descriptors left).
    private static readonly TimeSpan AcceptPause = TimeSpan.FromMilliseconds(100);

    // A connection idle this long gives its buffers back to the pool (one timer tick's worth of scanning, no cost per request).
    private static readonly TimeSpan IdleBufferRelease = TimeSpan.FromSeconds(1);

    private readonly EventLoopListener _owner;
    private readonly ConnectionForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly int _epoll;
    private readonly int _wakeUp;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly List<object?> _slots = [null, null];
    private readonly List<uint> _generations = [0, 0];
    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<DestinationConnectionPool, Stack<LoopDestination>> _idle = new(ReferenceEqualityComparer.Instance);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _wakeUpGate = new();
    private int _wakePending;
    private bool _wakeUpClosed;
    private volatile bool _stopping;
    private bool _accepting = true;
    private bool _draining;
    private int _clients;
    private long _nextTick;
    private long _acceptAgainAt;

    // The time the current batch of events began: deadlines and idle times are measured from it, one clock read a batch.
    private long _now;

    public EventLoop(EventLoopListener owner, ConnectionForwarder forwarder, int index)
    {
        _owner = owner;
        _forwarder = forwarder;
        _time = forwarder.TimeProvider;
        _epoll = Epoll.Create();
        _wakeUp = Epoll.CreateWakeUp();
        Epoll.Add(_epoll, (int)owner.Socket.Handle, Epoll.In | Epoll.Exclusive, ListenerSlot);
        Epoll.Add(_epoll, _wakeUp, Epoll.In, WakeUpSlot);
        _thread = new Thread(Run) { IsBackground = true, Name = $"gateway event loop {index}" };
    }

    /// <summary>Completes once the loop has stopped accepting and its last client connection has closed.</summary>
    public Task Drained => _drained.Task;

    public void Start() => _thread.Start();

    /// <summary>Runs <paramref name="action"/> on the loop's thread (from any thread).</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            Signal();
        }
    }

    // Never after the eventfd is closed: its number may belong to another file or socket by then. Rare (not per request).
    private void Signal()
    {
        lock (_wakeUpGate)
        {
            if (!_wakeUpClosed)
            {
                Epoll.Signal(_wakeUp);
            }
        }
    }

    /// <summary>
    /// Graceful shutdown: stop accepting, close idle connections, and close the others once their current request is answered.
    /// </summary>
    public void Drain() => Post(() =>
    {
        _draining = true;
        StopAccepting();
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot] is LoopClient { State: LoopClientState.Idle or LoopClientState.Receiving } client)
            {
                // Between requests, or part-way through sending one (nothing of it answered or forwarded yet): closed now, as
                // a stop does not wait for a client that may never finish its request.
                CloseClient(client);
            }
            else if (_slots[slot] is LoopClient busy)
            {
                busy.CloseAfter = true;
            }
        }

        CheckDrained();
    });

    /// <summary>Stops the loop and closes every connection it still holds.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Signal();
        if (_thread.IsAlive && _thread != Thread.CurrentThread)
        {
            _thread.Join();
        }

        // Only connections of a loop that never ran are left here; a running loop ends its own (EndAll).
        foreach (var item in _slots)
        {
            switch (item)
            {
                case LoopClient client:
                    client.Socket.Dispose();
                    client.Dispose();
                    break;
                case LoopDestination destination:
                    destination.Socket.Dispose();
                    break;
            }
        }

        lock (_wakeUpGate)
        {
            _wakeUpClosed = true;
            Epoll.CloseDescriptor(_wakeUp);
        }

        Epoll.CloseDescriptor(_epoll);
        _drained.TrySetResult();
    }

    private void Run()
    {
        var events = new byte[256 * Epoll.EventSize];
        _nextTick = DeadlineAfter(_time.GetTimestamp(), Tick);
        while (!_stopping)
        {
            int ready;
            try
            {
                ready = Epoll.Wait(_epoll, events, TickMs);
            }
            catch (SocketException)
            {
                break;
            }

            _now = _time.GetTimestamp();
            for (var i = 0; i < ready; i++)
            {
                var data = Epoll.DataAt(events, i);
                var slot = (int)(uint)data;
                if (slot == ListenerSlot)
                {
                    try
                    {
                        Accept();
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // An exception on this thread would end the process: nothing escapes the loop.
                        OnFault(null, ex);
                    }

                    continue;
                }

                if (slot == WakeUpSlot)
                {
                    RunPosted();
                    continue;
                }

                // An event for a connection closed earlier in this batch, whose slot another connection has taken since: skipped.
                if (slot >= _slots.Count || _generations[slot] != (uint)(data >> 32))
                {
                    continue;
                }

                var flags = Epoll.EventsAt(events, i);
                var connection = _slots[slot];
                try
                {
                    switch (connection)
                    {
                        case LoopClient client:
                            OnClientReady(client, flags);
                            break;
                        case LoopDestination destination:
                            OnDestinationReady(destination, flags);
                            break;
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A fault serving one connection must not stop the loop and every other connection on it.
                    OnFault(connection, ex);
                }
            }

            if (_now >= _nextTick)
            {
                _nextTick = DeadlineAfter(_now, Tick);
                CheckTimers(_now);
            }
        }

        EndAll();
    }

    /// <summary>
    /// The loop is stopping: an exchange still in flight ends as the Kestrel-hosted forwarder's does when its connection is
    /// aborted (logged, audited 499, or with its status once the answer started); every other connection just closes.
    /// </summary>
    private void EndAll()
    {
        _now = _time.GetTimestamp();
        for (var slot = WakeUpSlot + 1; slot < _slots.Count; slot++)
        {
            try
            {
                switch (_slots[slot])
                {
                    case LoopClient client:
                        OnClientGone(client);
                        break;
                    case LoopDestination destination:
                        CloseDestination(destination);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                OnFault(_slots[slot], ex);
            }
        }
    }

    private void RunPosted()
    {
        Epoll.Drain(_wakeUp);
        Volatile.Write(ref _wakePending, 0);
        while (_posted.TryDequeue(out var action))
        {
            try
            {
                action();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                OnFault(null, ex);
            }
        }
    }

    private void OnFault(object? connection, Exception fault)
    {
        Logging.Log.EventLoopFault(_forwarder.Logger, fault.GetType().Name);
        ClearActivity();
        switch (connection)
        {
            case LoopClient client:
                CloseClient(client);
                break;
            case LoopDestination { Client: { } client }:
                CloseClient(client);
                break;
            case LoopDestination destination:
                CloseDestination(destination);
                break;
        }
    }

    private static void ClearActivity() => Activity.Current = null;
}
