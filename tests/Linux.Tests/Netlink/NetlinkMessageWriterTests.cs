using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Netlink;

public class NetlinkMessageWriterTests
{
    [Fact]
    public void TryFinish_FdbAppendRequest_MatchesIproute2Layout()
    {
        // What `bridge fdb append 00:00:00:00:00:00 dev <ifindex 2> dst 198.51.100.78` sends (seq 1005),
        // the same bytes the kernel accepted when the capture in CapturedReplies.Ack was taken.
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWNEIGH, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_APPEND, 1005);
        writer.WriteFamilyHeader(new ndmsg { ndm_family = 7, ndm_ifindex = 2, ndm_state = Nl.NUD_NOARP | Nl.NUD_PERMANENT, ndm_flags = Nl.NTF_SELF });
        writer.AddAttribute(Nl.NDA_LLADDR, new byte[6]);
        writer.AddAttribute(Nl.NDA_DST, [198, 51, 100, 78]);
        Assert.True(writer.TryFinish(out int length));

        Assert.Equal(
            "300000001c00050ced03000000000000" + // nlmsghdr: len 48, RTM_NEWNEIGH, flags 0x0c05, seq 1005, pid 0
            "0700000002000000c0000200" +         // ndmsg: AF_BRIDGE, ifindex 2, NOARP|PERMANENT, NTF_SELF
            "0a000200000000000000" + "0000" +    // NDA_LLADDR (10 bytes) + 2 bytes padding
            "08000100c633644e",                  // NDA_DST 198.51.100.78
            Convert.ToHexString(buffer, 0, length).ToLowerInvariant());
    }

    [Fact]
    public void Nested_LengthCoversChildren_AndNestedFlagIsSet()
    {
        byte[] buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST, 1);
        writer.WriteFamilyHeader(new ifinfomsg());
        int linkInfo = writer.BeginNested(Nl.IFLA_LINKINFO);
        writer.AddString(Nl.IFLA_INFO_KIND, "vxlan");
        int data = writer.BeginNested(Nl.IFLA_INFO_DATA);
        writer.AddUInt32(Nl.IFLA_VXLAN_ID, 100);
        writer.AddUInt16BigEndian(Nl.IFLA_VXLAN_PORT, 4789);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(16 + 16 + 4 + 12 + 4 + 8 + 8, length);

        var reader = new NetlinkMessageReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryRead(out var message));
        Assert.True(message.TryGetFamilyHeader(out ifinfomsg _, out var attributes));
        Assert.True(attributes.TryRead(out var info));
        Assert.Equal(Nl.IFLA_LINKINFO | Nl.NLA_F_NESTED, info.RawType);
        Assert.Equal(4 + 12 + 4 + 8 + 8 - 4, info.Value.Length);
        var children = info.Nested;
        Assert.True(children.TryRead(out var kind));
        Assert.Equal("vxlan", kind.GetString());
        Assert.True(children.TryRead(out var vxlan));
        var vx = vxlan.Nested;
        Assert.True(vx.TryRead(out var id));
        Assert.True(id.TryGetUInt32(out uint vni));
        Assert.Equal(100u, vni);
        Assert.True(vx.TryRead(out var port));
        Assert.True(port.TryGetUInt16BigEndian(out ushort p));
        Assert.Equal(4789, p);
        Assert.False(vx.TryRead(out _));
        Assert.False(attributes.TryRead(out _));
    }

    [Fact]
    public void AddString_PadsWithZeros_OverDirtyBuffer()
    {
        byte[] buffer = Enumerable.Repeat((byte)0xEE, 64).ToArray();
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, 7);
        writer.WriteFamilyHeader(new ifinfomsg());
        writer.AddString(Nl.IFLA_IFNAME, "vx1");
        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(16 + 16 + 8, length);
        Assert.Equal("0800030076783100", Convert.ToHexString(buffer, 32, 8).ToLowerInvariant());
        Assert.Equal(new byte[16], buffer[16..32]);
    }

    [Fact]
    public void TryFinish_BufferTooSmall_FailsWithoutThrowing()
    {
        byte[] buffer = new byte[36];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWNEIGH, Nl.NLM_F_REQUEST, 1);
        writer.WriteFamilyHeader(new ndmsg());
        writer.AddAttribute(Nl.NDA_LLADDR, new byte[6]);
        Assert.True(writer.Overflowed);
        writer.AddAttribute(Nl.NDA_DST, [1, 2, 3, 4]);
        int nest = writer.BeginNested(Nl.IFLA_LINKINFO);
        writer.EndNested(nest);
        Assert.False(writer.TryFinish(out _));
    }

    [Fact]
    public void Constructor_BufferSmallerThanHeader_Overflows()
    {
        byte[] buffer = new byte[8];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, 1);
        Assert.True(writer.Overflowed);
        Assert.False(writer.TryFinish(out _));
    }
}
