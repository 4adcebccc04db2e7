using System.Net;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>Stands in for sendmmsg: records each copy (all iovecs concatenated) and its destination; can refuse chosen destinations.</summary>
internal sealed unsafe class RecordingTransport : ICopyTransport
{
    public sealed record Copy(byte[] Bytes, IPEndPoint Destination);

    public List<Copy> Copies { get; } = [];

    public List<int> CallSizes { get; } = [];

    /// <summary>Destinations whose copy fails with EHOSTUNREACH, as the kernel would report.</summary>
    public HashSet<IPAddress> Refuse { get; } = [];

    public int Send(mmsghdr* messages, int count, out Errno errno)
    {
        CallSizes.Add(count);
        for (int i = 0; i < count; i++)
        {
            ref msghdr h = ref messages[i].msg_hdr;
            var destination = SocketAddresses.Read(new ReadOnlySpan<byte>(h.msg_name, (int)h.msg_namelen));
            if (Refuse.Contains(destination.Address))
            {
                errno = i == 0 ? Errno.EHOSTUNREACH : Errno.SUCCESS;
                return i == 0 ? -1 : i;
            }
            var bytes = new List<byte>();
            for (int v = 0; v < (int)h.msg_iovlen; v++) bytes.AddRange(new ReadOnlySpan<byte>(h.msg_iov[v].iov_base, (int)h.msg_iov[v].iov_len).ToArray());
            Copies.Add(new Copy([.. bytes], destination));
        }
        errno = Errno.SUCCESS;
        return count;
    }
}

/// <summary>Accepts every copy and keeps only a count: allocation-free, for the steady-state test.</summary>
internal sealed unsafe class CountingTransport : ICopyTransport
{
    public long Sent;

    public int Send(mmsghdr* messages, int count, out Errno errno)
    {
        Sent += count;
        errno = Errno.SUCCESS;
        return count;
    }
}

/// <summary>Records unregistered senders.</summary>
internal sealed class RecordingSink : IUnregisteredSenderSink
{
    public List<(uint Vni, IPAddress Address)> Senders { get; } = [];

    public void OnUnregisteredSender(uint vni, ReadOnlySpan<byte> address, bool ipv6) => Senders.Add((vni, new IPAddress(address)));
}
