using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Replicator.Linux.Netlink;

/// <summary>One received netlink message: its header and the payload after it (a view, no copy).</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(nlmsghdr header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public nlmsghdr Header { get; }

    public ushort Type => Header.nlmsg_type;

    public ushort Flags => Header.nlmsg_flags;

    public uint Sequence => Header.nlmsg_seq;

    public uint PortId => Header.nlmsg_pid;

    /// <summary>Payload: nlmsg_len minus the header.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>
    /// Reads the family header (<see cref="ifinfomsg"/>, <see cref="ndmsg"/>, <see cref="ifaddrmsg"/>) and
    /// returns a reader over the attributes after it (which start at NLMSG_ALIGN(sizeof(T))).
    /// </summary>
    public bool TryGetFamilyHeader<T>(out T header, out NetlinkAttributeReader attributes) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (Payload.Length < size)
        {
            header = default;
            attributes = default;
            return false;
        }
        header = MemoryMarshal.Read<T>(Payload);
        int start = Math.Min(Payload.Length, Nl.Align(size));
        attributes = new NetlinkAttributeReader(Payload[start..]);
        return true;
    }

    /// <summary>
    /// Decodes an NLMSG_ERROR payload: <paramref name="error"/> is 0 for an acknowledgement or a negative
    /// errno; <paramref name="extendedAck"/> is the NLMSGERR_ATTR_MSG text when the kernel sent one
    /// (NETLINK_EXT_ACK), without its NUL, else empty.
    /// </summary>
    public bool TryGetError(out int error, out nlmsghdr request, out ReadOnlySpan<byte> extendedAck)
    {
        error = 0;
        request = default;
        extendedAck = default;
        if (Type != Nl.NLMSG_ERROR || !MemoryMarshal.TryRead(Payload, out nlmsgerr err))
        {
            return false;
        }
        error = err.error;
        request = err.msg;
        if ((Flags & Nl.NLM_F_ACK_TLVS) == 0)
        {
            return true;
        }
        // After nlmsgerr comes the echoed request payload (unless capped), then the ack TLVs.
        int tlvStart = Unsafe.SizeOf<nlmsgerr>();
        if ((Flags & Nl.NLM_F_CAPPED) == 0)
        {
            long echoed = (long)err.msg.nlmsg_len - Unsafe.SizeOf<nlmsghdr>();
            if (echoed < 0 || tlvStart + echoed > Payload.Length)
            {
                return true;
            }
            tlvStart = Nl.Align(tlvStart + (int)echoed);
        }
        if (tlvStart > Payload.Length)
        {
            return true;
        }
        var tlvs = new NetlinkAttributeReader(Payload[tlvStart..]);
        if (tlvs.TryFind(Nl.NLMSGERR_ATTR_MSG, out var msg))
        {
            var text = msg.Value;
            int end = text.IndexOf((byte)0);
            extendedAck = end < 0 ? text : text[..end];
        }
        return true;
    }
}
