using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

public sealed class EvpnValueFormatTests
{
    private static readonly VtepAddress Vtep = VtepAddress.FromIPAddress(System.Net.IPAddress.Parse("192.0.2.11"));

    private static EvpnValueFormat Parse(string text, bool rd)
    {
        Assert.True(EvpnValueFormat.TryParse(text, rd, out var format, out string error), error);
        return format;
    }

    [Theory]
    [InlineData("{vtep}:{vni}", 65000u, 100u, 0x0001_C000_020B_0064UL)]          // type 1, the VTEP, VNI
    [InlineData("{vtep}:{vni}", 65000u, 70_000u, 0x0001_C000_020B_1170UL)]       // 70,000's low 16 bits
    [InlineData("{as}:{vni}", 65000u, 70_000u, 0x0000_FDE8_0001_1170UL)]         // type 0 holds the whole VNI
    [InlineData("{as}:{vni}", 4_200_000_000u, 100u, 0x0002_FA56_EA00_0064UL)]    // type 2 for a 4-octet AS
    [InlineData("198.51.100.1:{vni}", 65000u, 100u, 0x0001_C633_6401_0064UL)]    // type 1, a fixed address
    public void RouteDistinguisher_Forms_WireValue(string text, uint localAs, uint vni, ulong expected) =>
        Assert.Equal(expected, Parse(text, rd: true).RouteDistinguisher(localAs, vni, Vtep));

    [Theory]
    [InlineData("{as}:{vni}", 65000u, 100u, 0x0002_FDE8_0000_0064UL)]            // FRR's 65000:100, as captured
    [InlineData("{as}:{vni}", 4_200_000_000u, 100u, 0x0202_FA56_EA00_0064UL)]    // 4-octet AS specific
    [InlineData("65001:7", 65000u, 100u, 0x0002_FDE9_0000_0007UL)]
    [InlineData("198.51.100.1:{vni}", 65000u, 100u, 0x0102_C633_6401_0064UL)]    // IPv4 address specific
    public void RouteTarget_Forms_WireValue(string text, uint localAs, uint vni, ulong expected) =>
        Assert.Equal(expected, Parse(text, rd: false).RouteTarget(localAs, vni));

    [Theory]
    [InlineData("{vtep}:7", true)]          // one RD for every VNI of a VTEP
    [InlineData("{vtep}:{vni}", false)]     // no {vtep} in a route target
    [InlineData("{vni}", false)]
    [InlineData("x:{vni}", false)]
    [InlineData("192.0.2:{vni}", false)]
    [InlineData("198.51.100.1:70000", false)] // does not fit 2 octets
    [InlineData("", true)]
    public void TryParse_Invalid_Refused(string text, bool rd) =>
        Assert.False(EvpnValueFormat.TryParse(text, rd, out _, out _));
}
