using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;
using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// Receives for every simulated VTEP on one dedicated thread: one epoll set over all the VTEP sockets
/// (level-triggered, tagged with the VTEP's index) and, per ready socket, recvmmsg without blocking
/// until EAGAIN, into native buffers allocated once. Each datagram comes with the kernel's receive
/// timestamp (SO_TIMESTAMPNS, converted to the Stopwatch's clock) and the socket's drop count so far
/// (SO_RXQ_OVFL), so what the simulator measures is when a datagram arrived, as a VTEP with a CPU of its
/// own would have seen it, not when this thread got round to it. The I/O allocates nothing per
/// datagram (the service node's address is one cached <see cref="IPEndPoint"/>); decoding is the handler's.
/// </summary>
internal sealed unsafe class FleetReceiver : IDisposable
{
    /// <summary>Datagrams one recvmmsg takes; a full list of 5,000 members is ~66 datagrams.</summary>
    private const int Batch = 32;

    private const int EventsPerWait = 256;

    // Room for an SCM_TIMESTAMPNS cmsg (16 + 16) and an SO_RXQ_OVFL one (16 + 4, aligned to 24), with spare.
    private const int ControlBytes = 64;

    private static readonly int SlotBytes = ControlLimits.MaxDatagramBytes;

    public delegate void Handler(int vtep, ReadOnlySpan<byte> datagram, IPEndPoint sender, long arrivedAt);

    private readonly SimulatedVtep[] _vteps;
    private readonly Handler _handler;
    private readonly IPEndPoint _serviceNode;
    private readonly SafeFileDescriptor _epoll;
    private readonly byte* _buffers;
    private readonly byte* _control;
    private readonly sockaddr_in6* _names;
    private readonly iovec* _iov;
    private readonly mmsghdr* _messages;
    private readonly byte* _events;
    private readonly uint[] _socketDrops;
    private readonly Thread _thread;
    // The kernel stamps CLOCK_REALTIME; the phases time with the Stopwatch (CLOCK_MONOTONIC). One
    // offset taken once converts the one into the other (a run is too short for the clocks to drift apart).
    private static readonly long RealtimeToStopwatch = Stopwatch.GetTimestamp() - RealtimeToTicks((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100);
    private volatile bool _stop;
    private long _truncated, _withoutTimestamp;

    public FleetReceiver(SimulatedVtep[] vteps, IPEndPoint serviceNode, Handler handler)
    {
        _vteps = vteps;
        _handler = handler;
        _serviceNode = serviceNode;
        _socketDrops = new uint[vteps.Length];
        _epoll = new SafeFileDescriptor(LibC.epoll_create1(LibC.EPOLL_CLOEXEC));
        if (_epoll.IsInvalid) throw new NativeException("epoll_create1", LibC.LastErrno);
        foreach (var vtep in vteps)
        {
            int fd = (int)vtep.Socket.Handle;
            Check(LibC.SetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMPNS, 1), "SO_TIMESTAMPNS");
            Check(LibC.SetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RXQ_OVFL, 1), "SO_RXQ_OVFL");
            Check(LibC.EpollAdd(_epoll.Fd, fd, LibC.EPOLLIN, (ulong)vtep.Index), "epoll_ctl");
        }
        _buffers = (byte*)NativeMemory.Alloc((nuint)(Batch * SlotBytes));
        _control = (byte*)NativeMemory.AllocZeroed(Batch * ControlBytes);
        _names = (sockaddr_in6*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(sockaddr_in6)));
        _iov = (iovec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(iovec)));
        _messages = (mmsghdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(mmsghdr)));
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(EventsPerWait * LibC.EpollEventSize));
        _thread = new Thread(Loop) { Name = "fleet-receiver", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Datagrams the VTEP sockets dropped at a full receive buffer (SO_RXQ_OVFL, as last reported by each socket).</summary>
    public long SocketDrops => _socketDrops.Sum(d => (long)Volatile.Read(ref d));

    /// <summary>Datagrams larger than a receive slot (refused), and datagrams that came without a kernel timestamp (timed on receipt instead).</summary>
    public (long Truncated, long WithoutTimestamp) Oddities => (Interlocked.Read(ref _truncated), Interlocked.Read(ref _withoutTimestamp));

    private static void Check(Errno errno, string what)
    {
        if (errno != Errno.SUCCESS) throw new NativeException(what, errno);
    }

    private static long RealtimeToTicks(long nanoseconds) => (long)(nanoseconds * (Stopwatch.Frequency / 1e9));

    private void Loop()
    {
        for (int i = 0; i < Batch; i++)
        {
            _iov[i] = new iovec { iov_base = _buffers + ((long)i * SlotBytes), iov_len = (nuint)SlotBytes };
        }
        while (!_stop)
        {
            int ready = LibC.epoll_wait(_epoll.Fd, _events, EventsPerWait, 100);
            if (ready < 0)
            {
                if (LibC.LastErrno == Errno.EINTR) continue;
                throw new NativeException("epoll_wait", LibC.LastErrno);
            }
            for (int e = 0; e < ready && !_stop; e++) Drain((int)LibC.EpollEventData(_events, e));
        }
    }

    // Everything waiting on one VTEP's socket, batch after batch, until EAGAIN.
    private void Drain(int index)
    {
        var vtep = _vteps[index];
        int fd = (int)vtep.Socket.Handle;
        while (!_stop)
        {
            for (int i = 0; i < Batch; i++)
            {
                _messages[i].msg_hdr = new msghdr
                {
                    msg_name = _names + i,
                    msg_namelen = (uint)sizeof(sockaddr_in6),
                    msg_iov = _iov + i,
                    msg_iovlen = 1,
                    msg_control = _control + (i * ControlBytes),
                    msg_controllen = ControlBytes,
                };
            }
            int n = LibC.recvmmsg(fd, _messages, Batch, LibC.MSG_DONTWAIT, null);
            if (n < 0)
            {
                var errno = LibC.LastErrno;
                if (errno == Errno.EINTR) continue;
                if (errno is Errno.EAGAIN or Errno.EBADF) return; // drained (or closed at dispose)
                throw new NativeException("recvmmsg", errno);
            }
            for (int i = 0; i < n; i++) Deliver(index, ref _messages[i], _buffers + ((long)i * SlotBytes));
            if (n < Batch) return;
        }
    }

    private void Deliver(int index, ref mmsghdr message, byte* data)
    {
        var header = message.msg_hdr;
        var (arrivedAt, drops) = ReadControl(header);
        if (drops is { } d) Volatile.Write(ref _socketDrops[index], d);
        if (arrivedAt == 0)
        {
            Interlocked.Increment(ref _withoutTimestamp);
            arrivedAt = Stopwatch.GetTimestamp();
        }
        if ((header.msg_flags & LibC.MSG_TRUNC) != 0)
        {
            Interlocked.Increment(ref _truncated);
            return;
        }
        _handler(index, new ReadOnlySpan<byte>(data, (int)message.msg_len), Sender(_names + (data - _buffers) / SlotBytes), arrivedAt);
    }

    // The receive timestamp (Stopwatch clock; 0 if none) and the socket's drop count (if told) of one datagram.
    private static (long ArrivedAt, uint? Drops) ReadControl(msghdr header)
    {
        long arrivedAt = 0;
        uint? drops = null;
        byte* end = (byte*)header.msg_control + header.msg_controllen;
        for (byte* c = (byte*)header.msg_control; c + sizeof(cmsghdr) <= end;)
        {
            var cmsg = (cmsghdr*)c;
            if (cmsg->cmsg_len < (nuint)sizeof(cmsghdr)) break;
            if (cmsg->cmsg_level == LibC.SOL_SOCKET && cmsg->cmsg_type == LibC.SCM_TIMESTAMPNS)
            {
                var ts = (timespec*)(c + sizeof(cmsghdr));
                arrivedAt = RealtimeToTicks(((long)ts->tv_sec * 1_000_000_000L) + ts->tv_nsec) + RealtimeToStopwatch;
            }
            else if (cmsg->cmsg_level == LibC.SOL_SOCKET && cmsg->cmsg_type == LibC.SO_RXQ_OVFL)
            {
                drops = *(uint*)(c + sizeof(cmsghdr));
            }
            c += (cmsg->cmsg_len + 7) & ~(nuint)7;
        }
        return (arrivedAt, drops);
    }

    /// <summary>
    /// When the oldest datagram still unread on <paramref name="fd"/> arrived (Stopwatch timestamp; 0:
    /// none waits), peeked (MSG_PEEK, nothing read) with its kernel timestamp. Any thread may ask.
    /// </summary>
    public static long OldestUnreadArrival(int fd)
    {
        byte* control = stackalloc byte[ControlBytes];
        byte one;
        var iov = new iovec { iov_base = &one, iov_len = 1 };
        var message = new mmsghdr { msg_hdr = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = ControlBytes } };
        if (LibC.recvmmsg(fd, &message, 1, LibC.MSG_PEEK | LibC.MSG_DONTWAIT, null) != 1) return 0;
        long arrivedAt = ReadControl(message.msg_hdr).ArrivedAt;
        return arrivedAt != 0 ? arrivedAt : Stopwatch.GetTimestamp();
    }

    // The service node's address and port: its cached endpoint; anything else (never, in this namespace) a new one.
    private IPEndPoint Sender(sockaddr_in6* name)
    {
        var address = new ReadOnlySpan<byte>(name->sin6_addr, 16);
        int port = (ushort)IPAddress.NetworkToHostOrder((short)name->sin6_port);
        Span<byte> expected = stackalloc byte[16];
        _serviceNode.Address.TryWriteBytes(expected, out _);
        if (port == _serviceNode.Port && address.SequenceEqual(expected)) return _serviceNode;
        return new IPEndPoint(new IPAddress(address), port);
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _epoll.Dispose();
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_control);
        NativeMemory.Free(_names);
        NativeMemory.Free(_iov);
        NativeMemory.Free(_messages);
        NativeMemory.Free(_events);
    }
}
