using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// One send socket's pending copies: <c>Capacity</c> preallocated mmsghdrs, each with a per-copy
/// header slot, a destination sockaddr and two iovecs (header, shared payload). Everything that does
/// not change per copy is wired once here; a copy costs a header write, a destination write and two
/// iovec stores. The payload iovec points into the receive ring, so the queue must be flushed
/// before the ring is reused.
/// </summary>
internal sealed unsafe class CopyQueue : IDisposable
{
    public const int HeaderBytes = 64; // Ethernet (14) + IPv6 (40) + UDP (8), rounded up to a cache line
    public const int NameBytes = 32;

    private readonly ICopyTransport _transport;
    private readonly WorkerCounters _counters;
    private readonly ReplicationMetrics? _metrics;
    private readonly int _path;
    private byte* _memory;

    /// <param name="headerLength">Bytes of per-copy header (28 IPv4 raw, 48 IPv6 raw, 0 UDP socket).</param>
    /// <param name="nameLength">sockaddr length of the destinations (16, 28, or 20 for sockaddr_ll).</param>
    /// <param name="path">The path its copies are counted under.</param>
    public CopyQueue(int capacity, int headerLength, int nameLength, ICopyTransport transport, WorkerCounters counters, ReplicationMetrics? metrics,
        CopyPath path = CopyPath.Raw)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(headerLength, HeaderBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nameLength, NameBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        HeaderLength = headerLength;
        _transport = transport;
        _counters = counters;
        _metrics = metrics;
        _path = (int)path;
        nuint bytes = (nuint)capacity * (nuint)(HeaderBytes + NameBytes + 2 * sizeof(iovec) + sizeof(mmsghdr));
        _memory = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_memory, bytes);
        Headers = _memory;
        Names = Headers + (nint)capacity * HeaderBytes;
        Iovecs = (iovec*)(Names + (nint)capacity * NameBytes);
        Messages = (mmsghdr*)(Iovecs + 2 * capacity);
        for (int i = 0; i < capacity; i++)
        {
            iovec* iov = Iovecs + 2 * i;
            iov[0].iov_base = Headers + (nint)i * HeaderBytes;
            iov[0].iov_len = (nuint)headerLength;
            ref msghdr h = ref Messages[i].msg_hdr;
            h.msg_name = Names + i * NameBytes;
            h.msg_namelen = (uint)nameLength;
            // Without a header (UDP socket) the message is the payload iovec alone.
            h.msg_iov = headerLength > 0 ? iov : iov + 1;
            h.msg_iovlen = headerLength > 0 ? 2u : 1u;
        }
    }

    public int Capacity { get; }
    public int HeaderLength { get; }
    public int Count { get; private set; }
    public byte* Headers { get; }
    public byte* Names { get; }
    public iovec* Iovecs { get; }
    public mmsghdr* Messages { get; }

    public byte* Header(int index) => Headers + (nint)index * HeaderBytes;

    public byte* Name(int index) => Names + index * NameBytes;

    /// <summary>Takes the next slot, flushing first when the queue is full. The caller fills header and name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Reserve(byte* payload, int payloadLength)
    {
        if (Count == Capacity) Flush();
        int index = Count++;
        iovec* data = Iovecs + 2 * index + 1;
        data->iov_base = payload;
        data->iov_len = (nuint)payloadLength;
        return index;
    }

    /// <summary>Sends every pending copy. A copy the kernel refuses is counted and skipped; the rest still go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush()
    {
        int count = Count;
        if (count == 0) return;
        Count = 0;
        int done = 0;
        long sent = 0, errors = 0;
        while (done < count)
        {
            int n = _transport.Send(Messages + done, count - done, out Errno errno);
            if (n > 0)
            {
                sent += n;
                done += n;
                _metrics?.RecordSendBatch(n);
                // sendmmsg stops at the first copy that fails and reports only the ones before it;
                // the next call would return that copy's error, so keep looping.
                continue;
            }
            if (n < 0 && errno == Errno.EINTR) continue;
            // This copy failed (unreachable, no buffer, too big): count it and skip it so one bad
            // destination cannot stall the rest of the batch.
            errors++;
            done++;
        }
        _counters.CopiesSent += sent;
        _counters.CopiesByPath[_path] += sent;
        _counters.SendErrors += errors;
        _counters.Dropped[(int)DropReason.SendError] += errors;
    }

    public void Dispose()
    {
        if (_memory is not null)
        {
            NativeMemory.AlignedFree(_memory);
            _memory = null;
        }
    }
}
