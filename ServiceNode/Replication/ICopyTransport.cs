using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>Hands a batch of copies to the kernel: sendmmsg semantics (messages sent, or -1 and an errno).</summary>
internal unsafe interface ICopyTransport
{
    int Send(mmsghdr* messages, int count, out Errno errno);
}

/// <summary>sendmmsg on a socket the worker owns.</summary>
internal sealed unsafe class SocketCopyTransport(SafeFileDescriptor socket) : ICopyTransport
{
    public int Send(mmsghdr* messages, int count, out Errno errno)
    {
        int n = LibC.sendmmsg(socket.Fd, messages, (uint)count, 0);
        errno = n < 0 ? LibC.LastErrno : Errno.SUCCESS;
        return n;
    }
}
