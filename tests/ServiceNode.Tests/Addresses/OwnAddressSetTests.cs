using System.Net;
using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Addressing;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Addresses;

public class OwnAddressSetTests
{
    private static VtepAddress V(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static OwnAddressSet FromKernel(bool allowLoopback, params (string Address, int Prefix, string? Broadcast)[] table) =>
        OwnAddressSet.From([IPAddress.Parse("203.0.113.1"), IPAddress.Any, IPAddress.IPv6Any],
            table.Select(t => (IPAddress.Parse(t.Address), t.Prefix, t.Broadcast is null ? null : IPAddress.Parse(t.Broadcast))), allowLoopback);

    [Fact]
    public void From_ConfiguredAndKernel_OwnAddressesAndSubnetBroadcasts()
    {
        var set = FromKernel(false, ("192.0.2.6", 24, null), ("198.51.100.9", 30, "198.51.100.11"), ("198.51.100.20", 31, null),
            ("2001:db8::6", 64, null), ("127.0.0.1", 8, null), ("::1", 128, null));

        Assert.Equal(AddressRefusal.Own, set.Classify(V("192.0.2.6")));
        Assert.Equal(AddressRefusal.Own, set.Classify(V("::ffff:192.0.2.6")));
        Assert.Equal(AddressRefusal.Own, set.Classify(V("203.0.113.1")));
        Assert.Equal(AddressRefusal.Own, set.Classify(V("2001:db8::6")));
        Assert.Equal(AddressRefusal.Own, set.Classify(V("127.0.0.1")));
        // The directed broadcast of a /24 counts even where the kernel reports none (ip addr add without brd).
        Assert.Equal(AddressRefusal.Broadcast, set.Classify(V("192.0.2.255")));
        Assert.Equal(AddressRefusal.Broadcast, set.Classify(V("198.51.100.11")));
        Assert.Equal(AddressRefusal.None, set.Classify(V("198.51.100.21"))); // a /31 has no broadcast
        Assert.Equal(AddressRefusal.None, set.Classify(V("192.0.2.7")));
        Assert.Equal(AddressRefusal.None, set.Classify(V("0.0.0.0"))); // wildcards are the policy's business
        Assert.False(set.Contains(V("2001:db8::7")));
        Assert.Equal(AddressRefusal.Own, set.Classify(V("2001:db8::"))); // subnet-router anycast of 2001:db8::6/64
    }

    [Fact]
    public void From_AllowLoopback_LeavesLoopbackOut()
    {
        var set = FromKernel(true, ("127.0.0.1", 8, null), ("::1", 128, null), ("192.0.2.6", 24, null));

        Assert.False(set.Contains(V("127.0.0.1")));
        Assert.False(set.Contains(V("127.255.255.255")));
        Assert.False(set.Contains(V("::1")));
        Assert.True(set.Contains(V("192.0.2.6")));
    }

    [Fact]
    public unsafe void ContainsIPv4AndIPv6_DataPlaneForms_MatchTheSet()
    {
        var set = new OwnAddressSet([IPAddress.Parse("192.0.2.6"), IPAddress.Parse("2001:db8::6")], [IPAddress.Parse("192.0.2.255")]);

        Assert.True(set.ContainsIPv4(SinAddr("192.0.2.6")));
        Assert.True(set.ContainsIPv4(SinAddr("192.0.2.255")));
        Assert.False(set.ContainsIPv4(SinAddr("192.0.2.7")));
        byte[] own6 = IPAddress.Parse("2001:db8::6").GetAddressBytes();
        byte[] other6 = IPAddress.Parse("2001:db8::7").GetAddressBytes();
        fixed (byte* a = own6) Assert.True(set.ContainsIPv6(a));
        fixed (byte* b = other6) Assert.False(set.ContainsIPv6(b));
        Assert.False(OwnAddressSet.Empty.ContainsIPv4(SinAddr("192.0.2.6")));
    }

    [Fact]
    public void Update_SameSet_NoChangeEvent()
    {
        var own = new OwnAddresses();
        int changes = 0;
        own.Changed += _ => changes++;

        Assert.True(own.Update(new OwnAddressSet([IPAddress.Parse("192.0.2.6")], [])));
        Assert.False(own.Update(new OwnAddressSet([IPAddress.Parse("::ffff:192.0.2.6")], [])));
        Assert.True(own.Update(OwnAddressSet.Empty));

        Assert.Equal(2, changes);
    }

    /// <summary>The in-memory sin_addr value, as the data plane reads it from a received datagram's name.</summary>
    private static uint SinAddr(string text) => BitConverter.ToUInt32(IPAddress.Parse(text).GetAddressBytes());

    [Fact]
    public void Configured_AddressesAndClusterPeers_WildcardsLeftOut()
    {
        var configured = OwnAddressTracker.Configured("192.0.2.6", "0.0.0.0", "203.0.113.1", ["192.0.2.10", "[2001:db8::10]:10001"]);

        Assert.Equal(["192.0.2.6", "203.0.113.1", "192.0.2.10", "2001:db8::10"], configured.Select(a => a.ToString()));
    }
}
