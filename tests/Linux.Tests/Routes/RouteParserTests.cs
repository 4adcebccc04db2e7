using System.Net;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;
using Replicator.Linux.Routes;

namespace Replicator.Linux.Tests.Routes;

/// <summary>The route decoder on messages built here: the attributes a lookup answer and a table entry carry.</summary>
public class RouteParserTests
{
    [Fact]
    public void TryParse_AnswerWithViaMetricsAndTable_ReadsEveryField()
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWROUTE, 0, 1);
        writer.WriteFamilyHeader(new rtmsg { rtm_family = LibC.AF_INET, rtm_dst_len = 24, rtm_table = 252, rtm_type = Nl.RTN_UNICAST, rtm_protocol = 4 });
        writer.AddAttribute(Nl.RTA_DST, [198, 51, 100, 0]);
        writer.AddUInt32(Nl.RTA_TABLE, 1000);
        writer.AddUInt32(Nl.RTA_OIF, 7);
        writer.AddUInt32(Nl.RTA_PRIORITY, 20);
        // struct rtvia: u16 AF_INET6 in host order, then 16 address bytes.
        var via = new byte[18];
        BitConverter.TryWriteBytes(via, (ushort)LibC.AF_INET6);
        IPAddress.Parse("2001:db8:1::fe").TryWriteBytes(via.AsSpan(2), out _);
        writer.AddAttribute(Nl.RTA_VIA, via);
        int metrics = writer.BeginNested(Nl.RTA_METRICS);
        writer.AddUInt32(Nl.RTAX_MTU, 1380);
        writer.EndNested(metrics);
        Assert.True(writer.TryFinish(out int length));

        Assert.True(Parse(buffer.AsSpan(0, length), out var route));

        Assert.Equal(IPAddress.Parse("198.51.100.0"), route!.Destination);
        Assert.Equal(24, route.PrefixLength);
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(1000u, route.Table);
        Assert.Equal(7, route.OutputInterface);
        Assert.Equal(20u, route.Priority);
        Assert.Equal(IPAddress.Parse("2001:db8:1::fe"), route.Gateway);
        Assert.Equal(1380, route.Mtu);
        Assert.Equal(4, route.Protocol);
    }

    [Fact]
    public void TryParse_DefaultRouteWithoutDst_IsZeroAddress()
    {
        var buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_DELROUTE, 0, 1);
        writer.WriteFamilyHeader(new rtmsg { rtm_family = LibC.AF_INET6, rtm_type = Nl.RTN_UNREACHABLE });
        Assert.True(writer.TryFinish(out int length));

        Assert.True(Parse(buffer.AsSpan(0, length), out var route));

        Assert.Equal(IPAddress.IPv6Any, route!.Destination);
        Assert.Equal(0, route.PrefixLength);
        Assert.Equal(RouteType.Unreachable, route.Type);
    }

    [Theory]
    [InlineData(LibC.AF_BRIDGE, 0)]
    [InlineData(LibC.AF_INET, 33)]
    public void TryParse_OtherFamilyOrImpossiblePrefix_False(int family, int prefixLength)
    {
        var buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWROUTE, 0, 1);
        writer.WriteFamilyHeader(new rtmsg { rtm_family = (byte)family, rtm_dst_len = (byte)prefixLength });
        Assert.True(writer.TryFinish(out int length));

        Assert.False(Parse(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void TryParse_AttributeRunningPastTheEnd_False()
    {
        var buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer, Nl.RTM_NEWROUTE, 0, 1);
        writer.WriteFamilyHeader(new rtmsg { rtm_family = LibC.AF_INET, rtm_dst_len = 32 });
        writer.AddUInt32(Nl.RTA_OIF, 7);
        Assert.True(writer.TryFinish(out int length));
        buffer[16 + 12] = 200; // rta_len of RTA_OIF, far beyond the message

        Assert.False(Parse(buffer.AsSpan(0, length), out _));
    }

    private static bool Parse(ReadOnlySpan<byte> datagram, out KernelRoute? route)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out var message));
        return RouteParser.TryParse(message, out route);
    }
}
