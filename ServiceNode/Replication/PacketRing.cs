using System.Numerics;
using System.Runtime.CompilerServices;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// One PACKET_TX_RING (TPACKET_V2) on an AF_PACKET socket bound to one egress interface: a copy is
/// written straight into a shared frame (Ethernet + IP/UDP header + one payload memcpy) and a whole
/// batch leaves with one <c>sendto(fd, NULL, 0, MSG_DONTWAIT)</c>, instead of one sendmmsg message
/// (msghdr copy, iovec import, socket-buffer allocation) per copy. The socket is opened by the
/// worker's constructor (so it lives in the worker's network namespace) and gets its ring and its
/// interface later, from <see cref="Attach"/>, when the next hops name an egress interface.
/// <para>
/// Ordering: a reserved frame is handed to the kernel (tp_status = SEND_REQUEST, a release store)
/// only at the next reservation or at <see cref="Flush"/>, so the caller can still write its IP
/// header into it. A frame whose status is not AVAILABLE is still in flight: the ring is full and
/// <see cref="TryReserve"/> returns null. PACKET_LOSS is set, so a frame the kernel cannot send
/// (e.g. the interface's MTU shrank below it) is skipped instead of stopping the ring for good.
/// </para>
/// </summary>
internal sealed unsafe class PacketRing : IDisposable
{
    /// <summary>Where a TX frame's data starts (the kernel's default without PACKET_TX_HAS_OFF): TPACKET2_HDRLEN - sizeof(sockaddr_ll).</summary>
    public const int DataOffset = LibC.TPACKET2_HDRLEN - 20;

    private const int PageSize = 4096;

    private readonly SafeFileDescriptor _socket;
    private readonly WorkerCounters _counters;
    private readonly int _requestedFrames;
    private byte* _map;
    private nuint _mapBytes;
    private int _frameSize;
    private int _frames;
    private int _next;
    private int _pending; // frames handed over since the last sendto
    private int _sendEvery;
    private tpacket2_hdr* _open; // reserved, not yet handed over
    private bool _versionSet;

    /// <param name="socket">An AF_PACKET SOCK_RAW socket, protocol 0, with PACKET_QDISC_BYPASS; the ring owns it from now on.</param>
    /// <param name="frames">Frames in the ring (rounded up to whole blocks).</param>
    public PacketRing(SafeFileDescriptor socket, int frames, WorkerCounters counters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _requestedFrames = frames;
    }

    /// <summary>The interface the socket is bound to; 0 before the first successful <see cref="Attach"/>.</summary>
    public int InterfaceIndex { get; private set; }

    /// <summary>Largest frame (Ethernet header included) a slot holds; 0 without a ring.</summary>
    public int MaxFrameLength => _frameSize == 0 ? 0 : _frameSize - DataOffset;

    /// <summary>Frames in the ring (0 without one).</summary>
    public int FrameCount => _frames;

    /// <summary>Where the ring is mapped (null without one); tests check the mapping is gone after <see cref="Dispose"/>.</summary>
    public nint MappedAddress => (nint)_map;

    /// <summary>Bytes mapped.</summary>
    public long MappedBytes => (long)_mapBytes;

    /// <summary>
    /// Binds the socket to <paramref name="interfaceIndex"/> and makes sure its frames hold an Ethernet frame of
    /// <paramref name="mtu"/> bytes of IP (a new, larger ring when they do not). Not on the hot path: called
    /// when the next hops change, after <see cref="Flush"/>. Returns the errno that stopped it.
    /// </summary>
    public Errno Attach(int interfaceIndex, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interfaceIndex, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(mtu, 68);
        Flush();
        if (MaxFrameLength < LibC.ETH_HLEN + mtu)
        {
            Errno errno = Map(LibC.ETH_HLEN + mtu);
            if (errno != Errno.SUCCESS) return errno;
        }
        if (InterfaceIndex == interfaceIndex) return Errno.SUCCESS;
        var address = new sockaddr_ll { sll_family = LibC.AF_PACKET, sll_ifindex = interfaceIndex };
        if (LibC.bind(_socket.Fd, &address, (uint)sizeof(sockaddr_ll)) != 0) return LibC.LastErrno;
        InterfaceIndex = interfaceIndex;
        return Errno.SUCCESS;
    }

    /// <summary>
    /// The next free frame's data (where the Ethernet header goes), its length set to <paramref name="frameLength"/>;
    /// null when the ring is full or has no frame that large. Allocation-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* TryReserve(int frameLength)
    {
        if (frameLength > MaxFrameLength) return null;
        tpacket2_hdr* frame = (tpacket2_hdr*)(_map + (nint)_next * _frameSize);
        if (Volatile.Read(ref frame->tp_status) != LibC.TP_STATUS_AVAILABLE) return null;
        Publish();
        frame->tp_len = (uint)frameLength;
        _open = frame;
        _next = _next + 1 == _frames ? 0 : _next + 1;
        return (byte*)frame + DataOffset;
    }

    /// <summary>Hands every reserved frame to the kernel with one sendto; a failure is counted, the frames stay queued for the next one.</summary>
    public void Flush()
    {
        Publish();
        SendPending();
    }

    private void SendPending()
    {
        int pending = _pending;
        if (pending == 0) return;
        _pending = 0;
        _counters.CopiesSent += pending;
        _counters.CopiesByPath[(int)CopyPath.PacketRing] += pending;
        // MSG_DONTWAIT: the kernel builds and sends what is requested and returns without waiting for completions.
        while (LibC.sendto(_socket.Fd, null, 0, LibC.MSG_DONTWAIT, null, 0) < 0)
        {
            Errno errno = LibC.LastErrno;
            if (errno == Errno.EINTR) continue;
            _counters.SendErrors++;
            _counters.Dropped[(int)DropReason.SendError]++;
            break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Publish()
    {
        tpacket2_hdr* open = _open;
        if (open is null) return;
        _open = null;
        // Release: the frame's bytes are visible to the kernel before it sees SEND_REQUEST.
        Volatile.Write(ref open->tp_status, LibC.TP_STATUS_SEND_REQUEST);
        // A receive batch can hold more copies than the ring has frames: send every half ring, so that
        // the frames come back while the rest of the batch is written (and the ring is never full of
        // frames that were merely not yet sent).
        if (++_pending >= _sendEvery) SendPending();
    }

    // Frames a power of two in size so that they tile the blocks exactly; a block holds at least one frame and a page.
    private Errno Map(int frameLength)
    {
        Unmap();
        int fd = _socket.Fd;
        if (!_versionSet)
        {
            Errno e = LibC.SetIntOption(fd, LibC.SOL_PACKET, LibC.PACKET_VERSION, LibC.TPACKET_V2);
            if (e != Errno.SUCCESS) return e;
            e = LibC.SetIntOption(fd, LibC.SOL_PACKET, LibC.PACKET_LOSS, 1);
            if (e != Errno.SUCCESS) return e;
            _versionSet = true;
        }
        int frameSize = (int)BitOperations.RoundUpToPowerOf2((uint)(DataOffset + frameLength + LibC.TPACKET_ALIGNMENT - 1) & ~(uint)(LibC.TPACKET_ALIGNMENT - 1));
        int blockSize = Math.Max(PageSize, frameSize);
        int perBlock = blockSize / frameSize;
        int blocks = (_requestedFrames + perBlock - 1) / perBlock;
        var request = new tpacket_req { tp_block_size = (uint)blockSize, tp_block_nr = (uint)blocks, tp_frame_size = (uint)frameSize, tp_frame_nr = (uint)(blocks * perBlock) };
        if (LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_TX_RING, &request, (uint)sizeof(tpacket_req)) != 0) return LibC.LastErrno;
        nuint bytes = (nuint)blockSize * (nuint)blocks;
        void* map = LibC.mmap(null, bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (map == LibC.MapFailed)
        {
            Errno e = LibC.LastErrno;
            FreeRing();
            return e;
        }
        _map = (byte*)map;
        _mapBytes = bytes;
        _frameSize = frameSize;
        _frames = blocks * perBlock;
        _sendEvery = Math.Max(1, _frames / 2);
        _next = 0;
        return Errno.SUCCESS;
    }

    private void Unmap()
    {
        if (_map is null) return;
        ReleaseMapping();
        _open = null;
        FreeRing();
    }

    private void ReleaseMapping()
    {
        LibC.munmap(_map, _mapBytes);
        _map = null;
        _mapBytes = 0;
        _frameSize = 0;
        _frames = 0;
    }

    // A zero request releases the kernel's ring (allowed once it is no longer mapped).
    private void FreeRing()
    {
        var none = default(tpacket_req);
        LibC.setsockopt(_socket.Fd, LibC.SOL_PACKET, LibC.PACKET_TX_RING, &none, (uint)sizeof(tpacket_req));
    }

    /// <summary>Sends what is pending, unmaps the ring and closes the socket. Idempotent.</summary>
    public void Dispose()
    {
        if (_socket.IsClosed) return;
        if (_map is not null)
        {
            Flush();
            ReleaseMapping(); // the kernel's ring goes with the socket
        }
        _socket.Dispose();
    }
}
