using System.Net;
using System.Text.Json;
using Replicator.Linux.Native;
using Replicator.Linux.Routes;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Routes;

/// <summary>Route lookups and dumps against the kernel, with <c>ip -j route get</c> as the oracle.</summary>
[Collection(KernelCollection.Name)]
public class RouteClientKernelTests
{
    [KernelFact]
    public void Lookup_ConnectedRouteIPv4_NamesInterfaceAndSourceWithoutGateway()
    {
        using var ns = NetworkNamespace.Create("rt-conn");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24");

        var lookup = Lookup(ns, "192.0.2.7");

        Assert.True(lookup.Found, lookup.Status.ToString());
        var route = lookup.Route!;
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(KernelFixture.IfIndex(ns, "d0"), route.OutputInterface);
        Assert.Null(route.Gateway);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), route.PreferredSource);
        Assert.Equal(254u, route.Table);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), route.Destination);
        Assert.Equal(32, route.PrefixLength);
        AssertMatchesIp(ns, "192.0.2.7", route);
    }

    [KernelFact]
    public void Lookup_ViaGatewayIPv4_NamesGatewayAndRouteMtu()
    {
        using var ns = NetworkNamespace.Create("rt-gw4");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24");
        ns.Exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.254", "dev", "d0", "mtu", "1400");

        var lookup = Lookup(ns, "198.51.100.9");

        Assert.True(lookup.Found, lookup.Status.ToString());
        Assert.Equal(RouteType.Unicast, lookup.Route!.Type);
        Assert.Equal(IPAddress.Parse("192.0.2.254"), lookup.Route.Gateway);
        Assert.Equal(1400, lookup.Route.Mtu);
        Assert.Equal(KernelFixture.IfIndex(ns, "d0"), lookup.Route.OutputInterface);
        AssertMatchesIp(ns, "198.51.100.9", lookup.Route);
    }

    [KernelFact]
    public void Lookup_ConnectedAndViaGatewayIPv6_NameInterfaceAndGateway()
    {
        using var ns = NetworkNamespace.Create("rt-gw6");
        KernelFixture.AddVeth(ns, "d0", "d1", "2001:db8:1::1/64");
        ns.Exec("ip", "-6", "route", "add", "2001:db8:2::/64", "via", "2001:db8:1::fe", "dev", "d0", "mtu", "1300");
        int d0 = KernelFixture.IfIndex(ns, "d0");

        var connected = Lookup(ns, "2001:db8:1::7");
        var routed = Lookup(ns, "2001:db8:2::9");

        Assert.True(connected.Found, connected.Status.ToString());
        Assert.Equal(d0, connected.Route!.OutputInterface);
        Assert.Null(connected.Route.Gateway);
        Assert.True(routed.Found, routed.Status.ToString());
        Assert.Equal(d0, routed.Route!.OutputInterface);
        Assert.Equal(IPAddress.Parse("2001:db8:1::fe"), routed.Route.Gateway);
        Assert.Equal(1300, routed.Route.Mtu);
        AssertMatchesIp(ns, "2001:db8:2::9", routed.Route);
    }

    [KernelFact]
    public void Lookup_IPv4RouteViaIPv6Gateway_ReadsRtaVia()
    {
        using var ns = NetworkNamespace.Create("rt-via");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        ns.Exec("ip", "route", "add", "203.0.113.0/24", "via", "inet6", "2001:db8:1::fe", "dev", "d0");

        var lookup = Lookup(ns, "203.0.113.5");

        Assert.True(lookup.Found, lookup.Status.ToString());
        Assert.Equal(IPAddress.Parse("2001:db8:1::fe"), lookup.Route!.Gateway);
    }

    [KernelTheory]
    [InlineData("unreachable", "203.0.113.0/24", "203.0.113.1", Errno.EHOSTUNREACH)]
    [InlineData("prohibit", "203.0.113.0/24", "203.0.113.1", Errno.EACCES)]
    [InlineData("blackhole", "203.0.113.0/24", "203.0.113.1", Errno.EINVAL)]
    [InlineData(null, null, "198.51.100.1", Errno.ENETUNREACH)]
    [InlineData("blackhole", "2001:db8:9::/64", "2001:db8:9::1", Errno.EINVAL)]
    [InlineData(null, null, "2001:db8:7::1", Errno.ENETUNREACH)]
    public void Lookup_NoUsableRoute_ReturnsTheKernelsErrno(string? type, string? prefix, string destination, Errno expected)
    {
        using var ns = NetworkNamespace.Create("rt-none");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        if (type is not null) ns.Exec("ip", "route", "add", type, prefix!);

        var lookup = Lookup(ns, destination);

        Assert.False(lookup.Found);
        Assert.Null(lookup.Route);
        Assert.Equal(expected, lookup.Status.Errno);
    }

    [KernelFact]
    public void Lookup_OwnAddress_IsLocalRouteOnLoopback()
    {
        using var ns = NetworkNamespace.Create("rt-local");
        ns.Exec("ip", "link", "set", "lo", "up");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24");

        var lookup = Lookup(ns, "192.0.2.1");

        Assert.True(lookup.Found, lookup.Status.ToString());
        Assert.Equal(RouteType.Local, lookup.Route!.Type);
        Assert.Equal(1, lookup.Route.OutputInterface);
    }

    [KernelFact]
    public void DumpRoutes_ListsBothFamiliesOfEveryTable()
    {
        using var ns = NetworkNamespace.Create("rt-dump");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        ns.Exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.254", "table", "100");
        ns.Exec("ip", "-6", "route", "add", "2001:db8:2::/64", "via", "2001:db8:1::fe");

        var dump = NamespaceThread.Run(ns.Name, () =>
        {
            using var client = RouteClient.Open();
            return client.DumpRoutes();
        });

        Assert.True(dump.IsSuccess, dump.Status.ToString());
        Assert.Contains(dump.Items, r => r.Destination.Equals(IPAddress.Parse("198.51.100.0")) && r.PrefixLength == 24 && r.Table == 100
            && IPAddress.Parse("192.0.2.254").Equals(r.Gateway));
        Assert.Contains(dump.Items, r => r.Destination.Equals(IPAddress.Parse("2001:db8:2::")) && r.PrefixLength == 64 && r.Table == 254);
        Assert.Contains(dump.Items, r => r.Destination.Equals(IPAddress.Parse("192.0.2.0")) && r.PrefixLength == 24 && r.Gateway is null);
    }

    [Theory]
    [InlineData("192.0.2.0", 24, "192.0.2.77", true)]
    [InlineData("192.0.2.0", 25, "192.0.2.200", false)]
    [InlineData("0.0.0.0", 0, "203.0.113.1", true)]
    [InlineData("2001:db8::", 33, "2001:db8:7fff::1", true)]
    [InlineData("2001:db8::", 33, "2001:db8:8000::1", false)]
    [InlineData("192.0.2.0", 24, "2001:db8::1", false)]
    public void Covers_Prefix_MatchesOnlyAddressesInside(string destination, int prefixLength, string address, bool expected)
    {
        var route = new KernelRoute { Destination = IPAddress.Parse(destination), PrefixLength = prefixLength, Type = RouteType.Unicast };

        Assert.Equal(expected, route.Covers(IPAddress.Parse(address)));
    }

    internal static RouteLookup Lookup(NetworkNamespace ns, string destination) =>
        NamespaceThread.Run(ns.Name, () =>
        {
            using var client = RouteClient.Open();
            return client.Lookup(IPAddress.Parse(destination));
        });

    /// <summary>iproute2's own lookup names the same interface, gateway and source.</summary>
    private static void AssertMatchesIp(NetworkNamespace ns, string destination, KernelRoute route)
    {
        using var doc = JsonDocument.Parse(ns.Exec("ip", "-j", "route", "get", destination));
        var ip = doc.RootElement[0];
        Assert.Equal(KernelFixture.IfIndex(ns, ip.GetProperty("dev").GetString()!), route.OutputInterface);
        Assert.Equal(ip.TryGetProperty("gateway", out var gw) ? IPAddress.Parse(gw.GetString()!) : null, route.Gateway);
        Assert.Equal(IPAddress.Parse(ip.GetProperty("prefsrc").GetString()!), route.PreferredSource);
    }
}
