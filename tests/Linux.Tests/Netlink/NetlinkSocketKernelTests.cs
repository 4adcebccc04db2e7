using Replicator.Linux.Native;
using Replicator.Linux.Netlink;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Netlink;

[Collection(KernelCollection.Name)]
public class NetlinkSocketKernelTests
{
    [KernelFact]
    public void Execute_RejectedRequest_ReturnsErrnoAndExtendedAck()
    {
        using var ns = NetworkNamespace.Create("nl-sock");
        using var socket = NamespaceThread.Run(ns.Name, () => NetlinkSocket.Open(TimeSpan.FromSeconds(5)));

        var result = socket.Execute(NewLinkOfUnknownKind(socket.NextSequence(), new byte[256]));

        Assert.Equal(Errno.EOPNOTSUPP, result.Errno);
        Assert.Equal("Unknown device type", result.ExtendedAck);
        Assert.Contains("Unknown device type", result.ToString());
    }

    [KernelFact]
    public void Execute_StaleAnswerQueued_IsSkippedBySequence()
    {
        using var ns = NetworkNamespace.Create("nl-seq");
        using var socket = NamespaceThread.Run(ns.Name, () => NetlinkSocket.Open(TimeSpan.FromSeconds(5)));
        // An abandoned request whose (error) answer stays queued ahead of the next one's.
        Assert.Equal(Errno.SUCCESS, socket.Send(NewLinkOfUnknownKind(socket.NextSequence(), new byte[256])));

        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, socket.NextSequence());
        writer.WriteFamilyHeader(new ifinfomsg { ifi_index = 1 });
        Assert.True(writer.TryFinish(out int length));
        int replies = 0;
        var result = socket.Dump(buffer.AsSpan(0, length), message => replies++);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(1, replies);
    }

    [KernelFact]
    public void Dump_AllLinks_EndsAtDone()
    {
        using var ns = NetworkNamespace.Create("nl-sdump");
        for (int i = 0; i < 40; i++)
        {
            ns.Exec("ip", "link", "add", $"br{i}", "type", "bridge");
        }
        using var socket = NamespaceThread.Run(ns.Name, () => NetlinkSocket.Open(TimeSpan.FromSeconds(5)));
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, socket.NextSequence());
        writer.WriteFamilyHeader(new ifinfomsg());
        Assert.True(writer.TryFinish(out int length));
        int links = 0;

        var result = socket.Dump(buffer.AsSpan(0, length), message => links++);

        // Without IFLA_EXT_MASK each link carries statistics: 41 links span several datagrams.
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(41, links);
    }

    [KernelFact]
    public void Receive_NothingQueued_TimesOutAfterTheReceiveTimeout()
    {
        using var ns = NetworkNamespace.Create("nl-tmo");
        using var socket = NamespaceThread.Run(ns.Name, () => NetlinkSocket.Open(TimeSpan.FromMilliseconds(300)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var errno = socket.Receive(out _);

        // SO_RCVTIMEO is a timeval: 300 ms must not become 300 s (or 0.3 ms).
        Assert.Equal(Errno.EAGAIN, errno);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    private static ReadOnlySpan<byte> NewLinkOfUnknownKind(uint sequence, byte[] buffer)
    {
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, sequence);
        writer.WriteFamilyHeader(new ifinfomsg());
        writer.AddString(Nl.IFLA_IFNAME, "bogus0");
        int info = writer.BeginNested(Nl.IFLA_LINKINFO);
        writer.AddString(Nl.IFLA_INFO_KIND, "nosuchkind");
        writer.EndNested(info);
        Assert.True(writer.TryFinish(out int length));
        return buffer.AsSpan(0, length);
    }
}
