using Replicator.Linux.Native;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>Stands in for sendmmsg on the packet socket: records each frame (all iovecs concatenated) and its sockaddr_ll.</summary>
internal sealed unsafe class PacketRecordingTransport : ICopyTransport
{
    public sealed record Frame(byte[] Bytes, int Family, ushort Protocol, int InterfaceIndex, int NameLength);

    public List<Frame> Frames { get; } = [];

    public int Send(mmsghdr* messages, int count, out Errno errno)
    {
        for (int i = 0; i < count; i++)
        {
            ref msghdr h = ref messages[i].msg_hdr;
            var to = (sockaddr_ll*)h.msg_name;
            var bytes = new List<byte>();
            for (int v = 0; v < (int)h.msg_iovlen; v++) bytes.AddRange(new ReadOnlySpan<byte>(h.msg_iov[v].iov_base, (int)h.msg_iov[v].iov_len).ToArray());
            ushort protocol = (ushort)((to->sll_protocol >> 8) | (to->sll_protocol << 8));
            Frames.Add(new Frame([.. bytes], to->sll_family, protocol, to->sll_ifindex, (int)h.msg_namelen));
        }
        errno = Errno.SUCCESS;
        return count;
    }
}
