using System.Net;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class VtepAddressTests
{
    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    public void FromIPAddress_RoundTrips(string text)
    {
        var address = VtepAddress.FromIPAddress(IPAddress.Parse(text));
        Assert.Equal(IPAddress.Parse(text), address.ToIPAddress());
        Assert.Equal(text, address.ToString());
    }

    [Fact]
    public void FromIPAddress_MappedIPv4_EqualsIPv4()
    {
        Assert.Equal(VtepAddress.FromIPAddress(IPAddress.Parse("192.0.2.1")), VtepAddress.FromIPAddress(IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("239.1.1.1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    public void IsUnusable_Classifies(string text, bool unusable)
    {
        Assert.Equal(unusable, VtepAddress.FromIPAddress(IPAddress.Parse(text)).IsUnusable);
    }

    [Theory]
    [InlineData("192.0.2.1", Hosting.Addressing.AddressRefusal.None)]
    [InlineData("127.0.0.1", Hosting.Addressing.AddressRefusal.Loopback)]
    [InlineData("::ffff:127.0.0.1", Hosting.Addressing.AddressRefusal.Loopback)]
    [InlineData("fe80::1", Hosting.Addressing.AddressRefusal.LinkLocal)]
    [InlineData("240.0.0.1", Hosting.Addressing.AddressRefusal.Reserved)]
    public void Refusal_IsTheAddressPolicy(string text, Hosting.Addressing.AddressRefusal expected)
    {
        Assert.Equal(expected, VtepAddress.FromIPAddress(IPAddress.Parse(text)).Refusal);
    }
}
