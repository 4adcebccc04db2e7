using System.Runtime.InteropServices;
using System.Text;
using Replicator.Linux.Native;

namespace Replicator.Linux.Netlink;

/// <summary>
/// One AF_NETLINK/NETLINK_ROUTE socket. Request/acknowledge and dump exchanges follow the discipline
/// of vishvananda/netlink: only messages from the kernel (sender port id 0) addressed to this socket
/// with the request's sequence number count (anything else is a stale answer to an earlier, abandoned
/// request and is skipped); NLMSG_ERROR becomes a typed <see cref="Errno"/> with the extended-ack text;
/// dumps run until NLMSG_DONE and report NLM_F_DUMP_INTR. Errors are returned, never thrown, except
/// when opening (a start-up failure). Exchanges are serialised by a lock: one request at a time.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    /// <summary>Receive buffer: the kernel sends dump parts of at most 32 KiB; notifications are smaller.</summary>
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly SafeFileDescriptor _fd;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly Lock _gate = new();
    private uint _sequence;

    private NetlinkSocket(SafeFileDescriptor fd, uint portId)
    {
        _fd = fd;
        PortId = portId;
        // Start from a time-derived value so a restarted daemon does not reuse the previous run's numbers.
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned to this socket (nl_pid after bind).</summary>
    public uint PortId { get; }

    /// <summary>
    /// Opens, binds and configures a socket: extended acks and strict request checking on, and a receive
    /// timeout so that no call blocks forever. Throws <see cref="NativeException"/> on failure.
    /// </summary>
    public static NetlinkSocket Open(TimeSpan receiveTimeout)
    {
        var fd = LibC.OpenSocket(LibC.AF_NETLINK, LibC.SOCK_RAW, Nl.NETLINK_ROUTE, out var errno);
        if (fd.IsInvalid)
        {
            fd.Dispose();
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", errno);
        }
        try
        {
            var address = new sockaddr_nl { nl_family = LibC.AF_NETLINK };
            if (LibC.bind(fd.Fd, &address, (uint)sizeof(sockaddr_nl)) != 0)
            {
                throw new NativeException("bind(AF_NETLINK)", LibC.LastErrno);
            }
            uint length = (uint)sizeof(sockaddr_nl);
            if (LibC.getsockname(fd.Fd, &address, &length) != 0)
            {
                throw new NativeException("getsockname(AF_NETLINK)", LibC.LastErrno);
            }
            // Both are optional kernel features (4.12, 4.20); without them errors just carry less detail.
            _ = LibC.SetIntOption(fd.Fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
            _ = LibC.SetIntOption(fd.Fd, LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, 1);
            SetReceiveTimeout(fd.Fd, receiveTimeout);
            return new NetlinkSocket(fd, address.nl_pid);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Joins an rtnetlink multicast group (<see cref="Nl.RTNLGRP_LINK"/>, ...).</summary>
    public Errno JoinGroup(int group) => LibC.SetIntOption(_fd.Fd, LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, group);

    /// <summary>
    /// Sets the receive buffer, beyond rmem_max when privileged (SO_RCVBUFFORCE): a notification socket
    /// with a larger buffer overflows (ENOBUFS) less often.
    /// </summary>
    public Errno SetReceiveBufferSize(int bytes)
    {
        var errno = LibC.SetIntOption(_fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, bytes);
        return errno == Errno.SUCCESS ? errno : LibC.SetIntOption(_fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes);
    }

    /// <summary>The next sequence number for a request built by the caller.</summary>
    public uint NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>
    /// Sends a request (which must carry NLM_F_ACK) and waits for its acknowledgement.
    /// </summary>
    public NetlinkResult Execute(ReadOnlySpan<byte> request)
    {
        if (!MemoryMarshal.TryRead(request, out nlmsghdr sent))
        {
            return new NetlinkResult(Errno.EINVAL, "request shorter than nlmsghdr");
        }
        lock (_gate)
        {
            var errno = Send(request);
            if (errno != Errno.SUCCESS)
            {
                return new NetlinkResult(errno);
            }
            while (true)
            {
                errno = ReceiveFromKernel(out int length);
                if (errno != Errno.SUCCESS)
                {
                    // EAGAIN here is the receive timeout: the kernel did not answer in time.
                    return new NetlinkResult(errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno);
                }
                var reader = new NetlinkMessageReader(_receiveBuffer.AsSpan(0, length));
                while (reader.TryRead(out var message))
                {
                    if (!IsAnswerTo(message, sent.nlmsg_seq))
                    {
                        continue;
                    }
                    if (message.Type == Nl.NLMSG_ERROR)
                    {
                        return ToResult(message);
                    }
                    // Any other answer (NLM_F_ECHO) is not the acknowledgement; keep reading.
                }
                if (reader.Error != NetlinkReadError.None)
                {
                    return new NetlinkResult(Errno.EPROTO, $"malformed netlink reply: {reader.Error}");
                }
            }
        }
    }

    /// <summary>Attempts of one <see cref="DumpAll{T}"/> while the kernel flags it inconsistent.</summary>
    public const int DumpAttempts = 5;

    /// <summary>
    /// A whole dump as items: built by <paramref name="request"/>, parsed by <paramref name="parse"/>,
    /// and done again (up to <see cref="DumpAttempts"/> times) while NLM_F_DUMP_INTR says it was
    /// inconsistent; the result then reports it, with no items.
    /// </summary>
    public DumpResult<T> DumpAll<T>(NetlinkRequestBuilder request, NetlinkItemParser<T> parse)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        NetlinkResult status = default;
        for (int attempt = 0; attempt < DumpAttempts; attempt++)
        {
            var items = new List<T>();
            status = Dump(request(), message =>
            {
                if (parse(message, out T? item)) items.Add(item);
            });
            if (status.IsSuccess) return new DumpResult<T>(status, items);
            if (!status.DumpInterrupted) break;
        }
        return new DumpResult<T>(status, []);
    }

    /// <summary>
    /// Sends a dump request (NLM_F_DUMP) and hands every answer message to <paramref name="onMessage"/>
    /// until NLMSG_DONE. The result reports NLM_F_DUMP_INTR; the caller decides whether to dump again.
    /// </summary>
    public NetlinkResult Dump(ReadOnlySpan<byte> request, NetlinkMessageHandler onMessage)
    {
        if (!MemoryMarshal.TryRead(request, out nlmsghdr sent))
        {
            return new NetlinkResult(Errno.EINVAL, "request shorter than nlmsghdr");
        }
        lock (_gate)
        {
            var errno = Send(request);
            if (errno != Errno.SUCCESS)
            {
                return new NetlinkResult(errno);
            }
            bool interrupted = false;
            while (true)
            {
                errno = ReceiveFromKernel(out int length);
                if (errno != Errno.SUCCESS)
                {
                    // EAGAIN here is the receive timeout: the kernel did not answer in time.
                    return new NetlinkResult(errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno);
                }
                if (ProcessDumpDatagram(_receiveBuffer.AsSpan(0, length), sent.nlmsg_seq, PortId, ref interrupted, onMessage, out var result))
                {
                    return result;
                }
            }
        }
    }

    /// <summary>
    /// Sends a request that the kernel answers with one message (RTM_GETROUTE for one destination, without
    /// NLM_F_DUMP) and hands it to <paramref name="onMessage"/>; an NLMSG_ERROR answer becomes the result's errno.
    /// The same exchange as <see cref="Dump"/>, which ends at a single-part answer.
    /// </summary>
    public NetlinkResult Request(ReadOnlySpan<byte> request, NetlinkMessageHandler onMessage) => Dump(request, onMessage);

    /// <summary>
    /// Handles one received datagram of a dump answer: skips messages that are not answers to
    /// (<paramref name="sequence"/>, <paramref name="portId"/>), notes NLM_F_DUMP_INTR, hands data messages
    /// to <paramref name="onMessage"/>. True when the dump is over, with its <paramref name="result"/>.
    /// </summary>
    internal static bool ProcessDumpDatagram(ReadOnlySpan<byte> datagram, uint sequence, uint portId, ref bool interrupted, NetlinkMessageHandler onMessage, out NetlinkResult result)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (message.Sequence != sequence || message.PortId != portId)
            {
                continue;
            }
            interrupted |= (message.Flags & Nl.NLM_F_DUMP_INTR) != 0;
            switch (message.Type)
            {
                case Nl.NLMSG_DONE:
                    // Since 4.x a dump that fails part-way reports its errno in NLMSG_DONE.
                    result = MemoryMarshal.TryRead(message.Payload, out int doneError) && doneError < 0
                        ? new NetlinkResult((Errno)(-doneError))
                        : interrupted ? NetlinkResult.Interrupted : NetlinkResult.Success;
                    return true;
                case Nl.NLMSG_ERROR:
                    var error = ToResult(message);
                    result = error.IsSuccess && interrupted ? NetlinkResult.Interrupted : error;
                    return true;
                case Nl.NLMSG_NOOP:
                    continue;
                case Nl.NLMSG_OVERRUN:
                    result = new NetlinkResult(Errno.ENOBUFS, "NLMSG_OVERRUN");
                    return true;
            }
            onMessage(message);
            if ((message.Flags & Nl.NLM_F_MULTI) == 0)
            {
                // A single-part answer has no NLMSG_DONE.
                result = interrupted ? NetlinkResult.Interrupted : NetlinkResult.Success;
                return true;
            }
        }
        if (reader.Error != NetlinkReadError.None)
        {
            result = new NetlinkResult(Errno.EPROTO, $"malformed netlink reply: {reader.Error}");
            return true;
        }
        result = default;
        return false;
    }

    /// <summary>
    /// Receives one datagram from the kernel for a notification loop. ENOBUFS means the kernel dropped
    /// notifications for this socket (resynchronise); EAGAIN means the receive timeout expired.
    /// The returned span is valid until the next call.
    /// </summary>
    public Errno Receive(out ReadOnlySpan<byte> datagram)
    {
        var errno = ReceiveFromKernel(out int length);
        datagram = errno == Errno.SUCCESS ? _receiveBuffer.AsSpan(0, length) : default;
        return errno;
    }

    /// <summary>
    /// Discards every queued datagram without blocking; returns how many. After ENOBUFS the kernel keeps the
    /// socket marked congested, reporting no further drops, until its queue has been emptied: drain before
    /// dumping again, or notifications dropped meanwhile would be lost without a trace.
    /// </summary>
    public int Drain()
    {
        int count = 0;
        fixed (byte* p = _receiveBuffer)
        {
            while (true)
            {
                nint n = LibC.recvfrom(_fd.Fd, p, (nuint)_receiveBuffer.Length, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, null, null);
                if (n >= 0)
                {
                    count++;
                    continue;
                }
                var errno = LibC.LastErrno;
                if (errno is Errno.EINTR or Errno.ENOBUFS)
                {
                    continue;
                }
                return count;
            }
        }
    }

    /// <summary>Sends raw bytes without waiting for an answer (the link watcher's dump on its own socket).</summary>
    public Errno Send(ReadOnlySpan<byte> request)
    {
        var kernel = new sockaddr_nl { nl_family = LibC.AF_NETLINK };
        fixed (byte* p = request)
        {
            while (true)
            {
                nint sent = LibC.sendto(_fd.Fd, p, (nuint)request.Length, 0, &kernel, (uint)sizeof(sockaddr_nl));
                if (sent >= 0)
                {
                    return Errno.SUCCESS;
                }
                var errno = LibC.LastErrno;
                if (errno != Errno.EINTR)
                {
                    return errno;
                }
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>Receives the next datagram whose sender is the kernel (nl_pid 0); drops anything else.</summary>
    private Errno ReceiveFromKernel(out int length)
    {
        fixed (byte* p = _receiveBuffer)
        {
            while (true)
            {
                sockaddr_nl from = default;
                uint fromLength = (uint)sizeof(sockaddr_nl);
                nint n = LibC.recvfrom(_fd.Fd, p, (nuint)_receiveBuffer.Length, LibC.MSG_TRUNC, &from, &fromLength);
                if (n < 0)
                {
                    var errno = LibC.LastErrno;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }
                    length = 0;
                    return errno;
                }
                if (n > _receiveBuffer.Length)
                {
                    // MSG_TRUNC reports the real size: the rest of this datagram is lost.
                    length = 0;
                    return Errno.EMSGSIZE;
                }
                if (from.nl_pid != 0)
                {
                    continue;
                }
                length = (int)n;
                return Errno.SUCCESS;
            }
        }
    }

    private bool IsAnswerTo(in NetlinkMessage message, uint sequence) =>
        message.Sequence == sequence && message.PortId == PortId;

    private static NetlinkResult ToResult(in NetlinkMessage message)
    {
        if (!message.TryGetError(out int error, out _, out var extendedAck))
        {
            return new NetlinkResult(Errno.EPROTO, "truncated NLMSG_ERROR");
        }
        if (error == 0)
        {
            return NetlinkResult.Success;
        }
        string? text = extendedAck.IsEmpty ? null : Encoding.UTF8.GetString(extendedAck);
        return new NetlinkResult((Errno)(-error), text);
    }

    private static void SetReceiveTimeout(int fd, TimeSpan timeout)
    {
        // SO_RCVTIMEO takes a struct timeval (seconds and microseconds), not a timespec.
        long micros = Math.Max(1, (long)(timeout.TotalMicroseconds));
        var tv = new timeval { tv_sec = (nint)(micros / 1_000_000), tv_usec = (nint)(micros % 1_000_000) };
        if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, &tv, (uint)sizeof(timeval)) != 0)
        {
            throw new NativeException("setsockopt(SO_RCVTIMEO)", LibC.LastErrno);
        }
    }
}
