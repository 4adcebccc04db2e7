using System.Net;
using Replicator.Linux.Links;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Links;

public class LinkParserTests
{
    [Fact]
    public void TryParse_CapturedIpv4Vxlan_ReadsEveryField()
    {
        var link = Parse(CapturedLinks.Vxlan100);

        Assert.Equal(2, link.Index);
        Assert.Equal("vxlan100", link.Name);
        Assert.Equal("vxlan", link.Kind);
        Assert.True(link.AdminUp);
        Assert.Equal(LinkOperState.Unknown, link.OperState);
        Assert.Equal(4, link.MasterIndex);
        Assert.True(link.IsVxlan);
        Assert.True(link.IsUp);
        var vx = Assert.IsType<VxlanAttributes>(link.Vxlan);
        Assert.Equal(100u, vx.Vni);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), vx.Local);
        Assert.Null(vx.Remote);
        Assert.Equal(4789, vx.DestinationPort);
        Assert.False(vx.Learning);
        Assert.False(vx.CollectMetadata);
    }

    [Fact]
    public void TryParse_CapturedIpv6VxlanDown_IsDown()
    {
        var link = Parse(CapturedLinks.Vxlan6);

        Assert.Equal("vxlan6", link.Name);
        Assert.False(link.AdminUp);
        Assert.Equal(LinkOperState.Down, link.OperState);
        Assert.False(link.IsUp);
        var vx = Assert.IsType<VxlanAttributes>(link.Vxlan);
        Assert.Equal(600u, vx.Vni);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), vx.Local);
        Assert.Equal(IPAddress.Parse("2001:db8::2"), vx.Remote);
        Assert.False(vx.RemoteIsGroup);
        Assert.True(vx.Learning);
        Assert.Equal(0, link.MasterIndex);
    }

    [Fact]
    public void TryParse_SameBytesTwice_RecordsAreEqual()
    {
        Assert.Equal(Parse(CapturedLinks.Vxlan100), Parse(CapturedLinks.Vxlan100));
        Assert.NotEqual(Parse(CapturedLinks.Vxlan100), Parse(CapturedLinks.Vxlan6));
    }

    [Fact]
    public void TryParse_BridgeFamilyMessage_IsRejected()
    {
        byte[] bytes = CapturedLinks.Bytes(CapturedLinks.Vxlan100);
        bytes[16] = 7; // ifi_family = AF_BRIDGE: a bridge-port notification
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));
        Assert.False(LinkParser.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_EveryTruncationAndCorruption_NeverThrows()
    {
        byte[] full = CapturedLinks.Bytes(CapturedLinks.Vxlan100);
        for (int length = 16; length < full.Length; length++)
        {
            byte[] copy = full[..length];
            BitConverter.TryWriteBytes(copy, (uint)length);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));
            _ = LinkParser.TryParse(message, out _);
        }
        var random = new Random(100);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] copy = (byte[])full.Clone();
            for (int k = 0; k < 4; k++)
            {
                copy[random.Next(32, copy.Length)] = (byte)random.Next(256);
            }
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));
            _ = LinkParser.TryParse(message, out _);
        }
    }

    private static LinkInfo Parse(string hex)
    {
        var reader = new NetlinkMessageReader(CapturedLinks.Bytes(hex));
        Assert.True(reader.TryRead(out var message));
        Assert.True(LinkParser.TryParse(message, out var link));
        Assert.False(reader.TryRead(out _));
        return link;
    }
}
