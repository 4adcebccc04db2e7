using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;

namespace Replicator.Linux.Tests.Native;

/// <summary>
/// epoll and the receive-side socket options the fleet simulator relies on, over loopback UDP (no
/// privileges): a ready socket is reported with its tag, and recvmmsg hands back the kernel's
/// SCM_TIMESTAMPNS control message (SO_RXQ_OVFL is accepted; its cmsg only comes once a drop happened).
/// </summary>
public unsafe class EpollTimestampTests
{
    [Fact]
    public void EpollWait_DatagramWaiting_ReportsTheSocketsTag()
    {
        using var pair = Pair();
        var (receiver, sender) = pair;
        using var epoll = new SafeFileDescriptor(LibC.epoll_create1(LibC.EPOLL_CLOEXEC));
        Assert.False(epoll.IsInvalid);
        Assert.Equal(Errno.SUCCESS, LibC.EpollAdd(epoll.Fd, (int)receiver.Handle, LibC.EPOLLIN, 0x1234_5678_9abc));
        sender.SendTo(new byte[] { 1, 2, 3 }, receiver.LocalEndPoint!);
        byte* events = stackalloc byte[4 * LibC.EpollEventSize];
        int ready = LibC.epoll_wait(epoll.Fd, events, 4, 10_000);
        Assert.Equal(1, ready);
        Assert.Equal(0x1234_5678_9abcUL, LibC.EpollEventData(events, 0));
    }

    [Fact]
    public void Recvmmsg_TimestampsEnabled_CarriesArrivalTime()
    {
        using var pair = Pair();
        var (receiver, sender) = pair;
        int fd = (int)receiver.Handle;
        Assert.Equal(Errno.SUCCESS, LibC.SetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMPNS, 1));
        Assert.Equal(Errno.SUCCESS, LibC.SetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RXQ_OVFL, 1));
        sender.SendTo(new byte[] { 7 }, receiver.LocalEndPoint!);
        byte data = 0;
        byte* control = stackalloc byte[128];
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        var message = new mmsghdr { msg_hdr = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = 128 } };
        Assert.Equal(1, LibC.recvmmsg(fd, &message, 1, 0, null)); // blocking: the datagram is on loopback already or soon
        bool stamped = false;
        for (byte* c = control; c + sizeof(cmsghdr) <= control + message.msg_hdr.msg_controllen;)
        {
            var cmsg = (cmsghdr*)c;
            if (cmsg->cmsg_len < (nuint)sizeof(cmsghdr)) break;
            if (cmsg->cmsg_level == LibC.SOL_SOCKET && cmsg->cmsg_type == LibC.SCM_TIMESTAMPNS)
            {
                var ts = (timespec*)(c + sizeof(cmsghdr));
                var at = DateTimeOffset.FromUnixTimeSeconds(ts->tv_sec);
                stamped = Math.Abs((DateTimeOffset.UtcNow - at).TotalMinutes) < 5;
            }
            c += (cmsg->cmsg_len + 7) & ~(nuint)7;
        }
        Assert.True(stamped, "no SCM_TIMESTAMPNS near now");
    }

    private static SocketPair Pair()
    {
        var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 10_000;
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        return new SocketPair(receiver, sender);
    }

    private readonly record struct SocketPair(Socket Receiver, Socket Sender) : IDisposable
    {
        public void Dispose()
        {
            Receiver.Dispose();
            Sender.Dispose();
        }

        public void Deconstruct(out Socket receiver, out Socket sender) => (receiver, sender) = (Receiver, Sender);
    }
}
