using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Links;
using Replicator.Linux.Native;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Netlink;
using Replicator.Linux.Routes;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Tests.Replication.NextHops;

/// <summary>The rule that turns route, link and neighbour into a next hop, without a kernel.</summary>
public class NextHopResolverTests
{
    private static readonly IPAddress Destination = IPAddress.Parse("198.51.100.9");
    private static readonly IPAddress Gateway = IPAddress.Parse("192.0.2.254");

    [Fact]
    public void Resolve_RouteLinkAndValidNeighbour_Usable()
    {
        var resolver = Resolver(Nl.NUD_STALE);

        var hop = resolver.Resolve(Destination);

        Assert.Equal(NextHopState.Usable, hop.State);
        Assert.Equal(0x0200_0000_00feUL, hop.DestinationMac);
        Assert.Equal(0x0200_0000_0001UL, hop.SourceMac);
        Assert.Equal(5, hop.InterfaceIndex);
        Assert.Equal(1500, hop.Mtu);
        Assert.Equal(Gateway, hop.Gateway);
    }

    [Theory]
    [InlineData(Nl.NUD_INCOMPLETE)]
    [InlineData(Nl.NUD_FAILED)]
    [InlineData(Nl.NUD_NONE)]
    public void Resolve_NeighbourNotValid_NoNeighbour(ushort state)
    {
        Assert.Equal(NextHopState.NoNeighbour, Resolver(state).Resolve(Destination).State);
    }

    [Theory]
    [InlineData(Errno.ENETUNREACH, (int)NextHopState.NoRoute)]
    [InlineData(Errno.EHOSTUNREACH, (int)NextHopState.NoRoute)]
    [InlineData(Errno.ETIMEDOUT, (int)NextHopState.Pending)]
    public void Resolve_LookupRefused_NoRouteOrPendingOnTimeout(Errno errno, int expected)
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.SetRoute(Destination, new RouteLookup(new NetlinkResult(errno), null));

        Assert.Equal((NextHopState)expected, resolver.Resolve(Destination).State);
    }

    [Fact]
    public void Resolve_NonEthernetLink_UnsupportedInterface()
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.SetLink(Link() with { LinkType = Nl.ARPHRD_NONE, HardwareAddress = null });

        Assert.Equal(NextHopState.UnsupportedInterface, resolver.Resolve(Destination).State);
    }

    [Fact]
    public void Resolve_LinkDown_NoRoute()
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.SetLink(Link() with { Flags = 0 });

        Assert.Equal(NextHopState.NoRoute, resolver.Resolve(Destination).State);
    }

    [Fact]
    public void Resolve_RouteMtu_WinsOverLinkMtu()
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.SetRoute(Destination, Found(mtu: 1400));

        Assert.Equal(1400, resolver.Resolve(Destination).Mtu);
    }

    [Fact]
    public void Resolve_UnknownDestinationOrLink_Pending()
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.RemoveLink(5);

        Assert.Equal(NextHopState.Pending, resolver.Resolve(Destination).State);
        Assert.Equal(NextHopState.Pending, resolver.Resolve(IPAddress.Parse("203.0.113.1")).State);
    }

    [Fact]
    public void Resolve_BlackholeRouteType_NoRoute()
    {
        var resolver = Resolver(Nl.NUD_REACHABLE);
        resolver.SetRoute(Destination, new RouteLookup(default, Found().Route! with { Type = RouteType.Blackhole }));

        Assert.Equal(NextHopState.NoRoute, resolver.Resolve(Destination).State);
    }

    [Fact]
    public void MacAddresses_PackAndUnpack_RoundTrip()
    {
        Assert.True(MacAddresses.TryPack(PhysicalAddress.Parse("02-AB-CD-EF-01-23"), out ulong packed));
        Assert.Equal(0x02ab_cdef_0123UL, packed);
        Span<byte> bytes = stackalloc byte[6];
        MacAddresses.Unpack(packed, bytes);
        Assert.Equal(new byte[] { 0x02, 0xab, 0xcd, 0xef, 0x01, 0x23 }, bytes.ToArray());
        Assert.Equal("02:ab:cd:ef:01:23", MacAddresses.Format(packed));
        Assert.False(MacAddresses.TryPack(new PhysicalAddress(new byte[8]), out _));
    }

    private static NextHopResolver Resolver(ushort neighbourState)
    {
        var resolver = new NextHopResolver();
        resolver.ResetLinks([Link()]);
        resolver.ResetNeighbours([new Neighbour
        {
            IfIndex = 5,
            Address = Gateway,
            LinkLayerAddress = neighbourState is Nl.NUD_INCOMPLETE or Nl.NUD_FAILED or Nl.NUD_NONE ? null : PhysicalAddress.Parse("02-00-00-00-00-FE"),
            State = neighbourState,
        }]);
        resolver.SetRoute(Destination, Found());
        return resolver;
    }

    private static RouteLookup Found(int mtu = 0) => new(default, new KernelRoute
    {
        Destination = Destination,
        PrefixLength = 32,
        Type = RouteType.Unicast,
        OutputInterface = 5,
        Gateway = Gateway,
        Mtu = mtu,
    });

    private static LinkInfo Link() => new()
    {
        Index = 5,
        Name = "d0",
        Flags = Nl.IFF_UP,
        OperState = LinkOperState.Up,
        LinkType = Nl.ARPHRD_ETHER,
        HardwareAddress = PhysicalAddress.Parse("02-00-00-00-00-01"),
        Mtu = 1500,
    };
}
