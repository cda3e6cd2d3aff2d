using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// Linux's epoll and eventfd, the two kernel objects an event loop needs: readiness of many sockets in one wait, and a wake-up
/// other threads can post to. Level-triggered throughout.
/// </summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;

    /// <summary>The peer closed its side (a FIN): reported whatever else is read or not.</summary>
    public const uint PeerClosed = 0x2000;

    /// <summary>Wakes one of the epoll instances waiting on a shared descriptor (the listener) rather than all of them.</summary>
    public const uint Exclusive = 1u << 28;

    private const int ControlAdd = 1;
    private const int ControlRemove = 2;
    private const int ControlModify = 3;
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const int Interrupted = 4;

    /// <summary>epoll is Linux's; the event layout is known here for x86-64 and arm64.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    // struct epoll_event: a 32-bit mask then 64 bits of data, packed on x86-64 (12 bytes), naturally aligned on arm64 (16).
    public static int EventSize { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static int DataOffset => EventSize - 8;

    public static int Create() => Check(EpollCreate1(CloseOnExec));

    public static void Add(int epoll, int descriptor, uint events, ulong data) => Control(epoll, ControlAdd, descriptor, events, data);

    public static void Modify(int epoll, int descriptor, uint events, ulong data) => Control(epoll, ControlModify, descriptor, events, data);

    /// <summary>Stops watching a descriptor; false when it was not watched (or is already closed).</summary>
    public static bool Remove(int epoll, int descriptor)
    {
        Span<byte> none = stackalloc byte[16];
        none.Clear();
        return EpollCtl(epoll, ControlRemove, descriptor, ref MemoryMarshal.GetReference(none)) == 0;
    }

    /// <summary>Waits for ready descriptors into <paramref name="events"/>; 0 on time-out or a signal.</summary>
    public static int Wait(int epoll, byte[] events, int timeoutMs)
    {
        var ready = EpollWait(epoll, ref MemoryMarshal.GetArrayDataReference(events), events.Length / EventSize, timeoutMs);
        if (ready < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == Interrupted ? 0 : throw new SocketException(error);
        }

        return ready;
    }

    public static uint EventsAt(byte[] events, int index) => BinaryPrimitives.ReadUInt32LittleEndian(events.AsSpan(index * EventSize));

    public static ulong DataAt(byte[] events, int index) => BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((index * EventSize) + DataOffset));

    /// <summary>A non-blocking eventfd: <see cref="Signal"/> makes it readable until <see cref="Drain"/>.</summary>
    public static int CreateWakeUp() => Check(EventFd(0, NonBlocking | CloseOnExec));

    public static void Signal(int wakeUp)
    {
        Span<byte> one = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(one, 1);
        _ = Write(wakeUp, ref MemoryMarshal.GetReference(one), 8);
    }

    public static void Drain(int wakeUp)
    {
        Span<byte> count = stackalloc byte[8];
        _ = Read(wakeUp, ref MemoryMarshal.GetReference(count), 8);
    }

    public static void CloseDescriptor(int descriptor) => _ = Close(descriptor);

    private static void Control(int epoll, int operation, int descriptor, uint events, ulong data)
    {
        Span<byte> registration = stackalloc byte[16];
        registration.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(registration, events);
        BinaryPrimitives.WriteUInt64LittleEndian(registration[DataOffset..], data);
        Check(EpollCtl(epoll, operation, descriptor, ref MemoryMarshal.GetReference(registration)));
    }

    private static int Check(int result) => result >= 0 ? result : throw new SocketException(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, int descriptor, ref byte registration);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, ref byte events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int descriptor, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
