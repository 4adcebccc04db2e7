using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// One worker's receive side: <c>Capacity</c> slots, each with a datagram buffer, a source-address
/// buffer, an iovec and an mmsghdr, all in one native allocation made at start (never moved by the
/// GC, never reallocated). recvmmsg fills it; <see cref="ReplicationProcessor"/> reads it.
/// </summary>
internal sealed unsafe class ReceiveRing : IDisposable
{
    /// <summary>Largest datagram a slot holds: a jumbo frame's payload. Longer ones are truncated and dropped.</summary>
    public const int SlotBytes = 9216;
    private const int NameBytes = 32; // sockaddr_in6 (28) rounded up

    private byte* _memory;

    public ReceiveRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        nuint bytes = (nuint)capacity * (nuint)(SlotBytes + NameBytes + sizeof(iovec) + sizeof(mmsghdr));
        _memory = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_memory, bytes);
        Buffers = _memory;
        Names = Buffers + (nint)capacity * SlotBytes;
        Iovecs = (iovec*)(Names + (nint)capacity * NameBytes);
        Messages = (mmsghdr*)(Iovecs + capacity);
        for (int i = 0; i < capacity; i++)
        {
            Iovecs[i].iov_base = Buffers + (nint)i * SlotBytes;
            Iovecs[i].iov_len = SlotBytes;
        }
        Reset(capacity);
    }

    public int Capacity { get; }
    public byte* Buffers { get; }
    public byte* Names { get; }
    public iovec* Iovecs { get; }
    public mmsghdr* Messages { get; }

    /// <summary>Restores the in/out fields recvmmsg overwrites (name length, flags) before the next call.</summary>
    public void Reset(int count)
    {
        for (int i = 0; i < count; i++)
        {
            ref msghdr h = ref Messages[i].msg_hdr;
            h.msg_name = Names + i * NameBytes;
            h.msg_namelen = NameBytes;
            h.msg_iov = Iovecs + i;
            h.msg_iovlen = 1;
            h.msg_control = null;
            h.msg_controllen = 0;
            h.msg_flags = 0;
            Messages[i].msg_len = 0;
        }
    }

    public byte* Data(int slot) => Buffers + (nint)slot * SlotBytes;

    public int Length(int slot) => (int)Messages[slot].msg_len;

    public bool Truncated(int slot) => (Messages[slot].msg_hdr.msg_flags & LibC.MSG_TRUNC) != 0;

    public byte* Name(int slot) => Names + slot * NameBytes;

    /// <summary>Fills a slot as recvmmsg would; for tests and benchmarks that feed batches in memory.</summary>
    public void Load(int slot, ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        int n = Math.Min(datagram.Length, SlotBytes);
        datagram[..n].CopyTo(new Span<byte>(Data(slot), SlotBytes));
        Messages[slot].msg_len = (uint)n;
        Messages[slot].msg_hdr.msg_flags = datagram.Length > SlotBytes ? LibC.MSG_TRUNC : 0;
        SocketAddresses.Write(source, new Span<byte>(Name(slot), NameBytes));
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
