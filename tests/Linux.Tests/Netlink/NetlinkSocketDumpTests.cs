using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Netlink;

/// <summary>The dump protocol discipline, on synthetic datagrams (no socket needed).</summary>
public class NetlinkSocketDumpTests
{
    private const uint Seq = 77;
    private const uint Port = 4242;

    [Fact]
    public void ProcessDumpDatagram_PartsThenDone_DeliversAllAndSucceeds()
    {
        bool interrupted = false;
        int seen = 0;
        Assert.False(NetlinkSocket.ProcessDumpDatagram(Datagram(Link(Seq, Port), Link(Seq, Port)), Seq, Port, ref interrupted, _ => seen++, out _));
        Assert.True(NetlinkSocket.ProcessDumpDatagram(Datagram(Done(Seq, Port, 0)), Seq, Port, ref interrupted, _ => seen++, out var result));
        Assert.Equal(2, seen);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void ProcessDumpDatagram_DumpIntrFlag_ReportsInterrupted()
    {
        bool interrupted = false;
        int seen = 0;
        var datagram = Datagram(Link(Seq, Port), Link(Seq, Port, Nl.NLM_F_DUMP_INTR), Done(Seq, Port, 0));
        Assert.True(NetlinkSocket.ProcessDumpDatagram(datagram, Seq, Port, ref interrupted, _ => seen++, out var result));
        Assert.Equal(2, seen);
        Assert.True(result.DumpInterrupted);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void ProcessDumpDatagram_OtherSequenceOrPort_IsSkipped()
    {
        bool interrupted = false;
        int seen = 0;
        var datagram = Datagram(Link(Seq - 1, Port), Done(Seq - 1, Port, 0), Link(Seq, Port + 1), Link(Seq, Port), Done(Seq, Port, 0));
        Assert.True(NetlinkSocket.ProcessDumpDatagram(datagram, Seq, Port, ref interrupted, _ => seen++, out var result));
        Assert.Equal(1, seen);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void ProcessDumpDatagram_DoneWithError_ReturnsErrno()
    {
        bool interrupted = false;
        Assert.True(NetlinkSocket.ProcessDumpDatagram(Datagram(Done(Seq, Port, -(int)Errno.EINVAL)), Seq, Port, ref interrupted, _ => { }, out var result));
        Assert.Equal(Errno.EINVAL, result.Errno);
    }

    [Fact]
    public void ProcessDumpDatagram_ErrorMessage_ReturnsErrno()
    {
        bool interrupted = false;
        Assert.True(NetlinkSocket.ProcessDumpDatagram(Datagram(Error(Seq, Port, -(int)Errno.EPERM)), Seq, Port, ref interrupted, _ => { }, out var result));
        Assert.Equal(Errno.EPERM, result.Errno);
    }

    [Fact]
    public void ProcessDumpDatagram_Malformed_ReturnsProtocolErrorWithoutThrowing()
    {
        bool interrupted = false;
        byte[] datagram = Datagram(Link(Seq, Port));
        BitConverter.TryWriteBytes(datagram, 9999u);
        Assert.True(NetlinkSocket.ProcessDumpDatagram(datagram, Seq, Port, ref interrupted, _ => { }, out var result));
        Assert.Equal(71, (int)result.Errno); // EPROTO
    }

    private static byte[] Link(uint seq, uint port, ushort extraFlags = 0)
    {
        byte[] buffer = new byte[64];
        var w = new NetlinkMessageWriter(buffer, Nl.RTM_NEWLINK, (ushort)(Nl.NLM_F_MULTI | extraFlags), seq, port);
        w.WriteFamilyHeader(new ifinfomsg { ifi_index = 1 });
        w.AddString(Nl.IFLA_IFNAME, "lo");
        w.TryFinish(out int length);
        return buffer[..length];
    }

    private static byte[] Done(uint seq, uint port, int error)
    {
        byte[] buffer = new byte[64];
        var w = new NetlinkMessageWriter(buffer, Nl.NLMSG_DONE, Nl.NLM_F_MULTI, seq, port);
        w.WriteFamilyHeader(error);
        w.TryFinish(out int length);
        return buffer[..length];
    }

    private static byte[] Error(uint seq, uint port, int error)
    {
        byte[] buffer = new byte[64];
        var w = new NetlinkMessageWriter(buffer, Nl.NLMSG_ERROR, 0, seq, port);
        w.WriteFamilyHeader(new nlmsgerr { error = error, msg = new nlmsghdr { nlmsg_len = 16, nlmsg_seq = seq } });
        w.TryFinish(out int length);
        return buffer[..length];
    }

    private static byte[] Datagram(params byte[][] messages) => messages.SelectMany(m => m).ToArray();
}
