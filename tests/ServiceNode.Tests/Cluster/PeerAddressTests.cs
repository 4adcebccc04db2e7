using System.Net;
using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Tests.Cluster;

public sealed class PeerAddressTests
{
    [Theory]
    [InlineData("198.51.100.2", "198.51.100.2", null)]
    [InlineData(" 198.51.100.2:10005 ", "198.51.100.2", 10005)]
    [InlineData("2001:db8::2", "2001:db8::2", null)]
    [InlineData("[2001:db8::2]", "2001:db8::2", null)]
    [InlineData("[2001:db8::2]:7", "2001:db8::2", 7)]
    [InlineData("::ffff:198.51.100.3", "198.51.100.3", null)]
    public void TryParse_ValidForms_AddressAndPort(string text, string address, int? port)
    {
        Assert.True(PeerAddress.TryParse(text, out var peer, out string error), error);
        Assert.Equal(IPAddress.Parse(address), peer.Address);
        Assert.Equal(port, peer.ControlPort);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port ?? 10001), peer.ControlEndPoint(10001));
    }

    [Theory]
    [InlineData("")]
    [InlineData("peer.example")]
    [InlineData("198.51.100")]
    [InlineData("198.51.100.2:0")]
    [InlineData("198.51.100.2:70000")]
    [InlineData("198.51.100.2:x")]
    [InlineData("[2001:db8::2")]
    [InlineData("[2001:db8::2]10001")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("ff02::1")]
    [InlineData("::")]
    [InlineData("fe80::1%2")]
    public void TryParse_Invalid_FalseWithReason(string text)
    {
        Assert.False(PeerAddress.TryParse(text, out var peer, out string error));
        Assert.Null(peer);
        Assert.NotEmpty(error);
    }
}
