using System.Net;
using Replicator.Protocol.Bgp;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>Every message FRR and GoBGP sent in the lab decodes without error, and the ones we send ourselves come out byte for byte the same.</summary>
public class BgpCaptureTests
{
    public static TheoryData<string> Names => BgpCaptures.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Decode_Capture_NoErrorAndKindFromItsName(string name)
    {
        BgpDecodeResult result = BgpCodec.Decode(BgpCaptures.Get(name));
        Assert.Equal(BgpDecodeError.None, result.Error);
        BgpMessage message = result.Message!;
        string kind = name[(name.StartsWith("frr-rr-", StringComparison.Ordinal) ? 7 : name.IndexOf('-') + 1)..];
        switch (kind.Split('-')[0])
        {
            case "open": Assert.IsType<BgpOpenMessage>(message); break;
            case "keepalive": Assert.IsType<BgpKeepaliveMessage>(message); break;
            case "notification": Assert.IsType<BgpNotificationMessage>(message); break;
            case "route": Assert.IsType<BgpRouteRefreshMessage>(message); break;
            case "eor": Assert.True(Assert.IsType<BgpUpdateMessage>(message).IsEvpnEndOfRib); break;
            case "update":
                var update = Assert.IsType<BgpUpdateMessage>(message);
                Assert.Equal(BgpDecodeError.None, update.AttributeError);
                Assert.Equal(name.EndsWith("-reflected", StringComparison.Ordinal), update.OriginatorId is not null);
                Assert.True(update.MpReach is { Routes.Count: > 0 } || update.MpUnreach is { Routes.Count: > 0 });
                break;
            default: Assert.Fail($"{name}: no kind"); break;
        }
    }

    [Fact]
    public void Encode_FrrType3AsWeBuildIt_TheCapturedBytes()
    {
        var vtep = IPAddress.Parse("192.0.2.11");
        var update = BgpMessages.AnnounceInclusiveMulticast(new EvpnInclusiveMulticastRoute(0x0001_c000020b_0002UL, 0, vtep), vtep, 100, vtep,
            [BgpExtendedCommunities.RouteTarget(65000, 100)]);
        Assert.Equal(Convert.ToHexString(BgpCaptures.Get("frr-update-type3")), Convert.ToHexString(BgpEncoder.Encode(update)));
    }

    [Theory]
    [InlineData("frr-keepalive")]
    [InlineData("frr-notification-cease-shutdown")]
    [InlineData("frr-route-refresh")]
    [InlineData("frr-update-type3")]
    [InlineData("frr-update-type2")]
    [InlineData("frr-update-withdraw-type2-type3")]
    [InlineData("frr-rr-update-type3-reflected")]
    public void Reencode_Capture_SameBytes(string name)
    {
        byte[] captured = BgpCaptures.Get(name);
        Assert.Equal(Convert.ToHexString(captured), Convert.ToHexString(BgpEncoder.Encode(BgpCodec.Decode(captured).Message!)));
    }

    [Fact]
    public void Decode_GoBgpOpen_CapabilitiesWeNeed()
    {
        var open = Assert.IsType<BgpOpenMessage>(BgpCodec.Decode(BgpCaptures.Get("gobgp-open")).Message);
        Assert.Equal((65000u, (ushort)90), (open.AutonomousSystem, open.HoldTime));
        Assert.True(open.SupportsFamily(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn));
        Assert.True(open.SupportsFourOctetAs);
        Assert.True(open.SupportsRouteRefresh);
    }

    [Fact]
    public void Decode_FrrRrRouteRefresh_EnhancedSubtypeKept()
    {
        var refresh = Assert.IsType<BgpRouteRefreshMessage>(BgpCodec.Decode(BgpCaptures.Get("frr-rr-route-refresh")).Message);
        Assert.Equal((BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, (byte)1), (refresh.Afi, refresh.Safi, refresh.Subtype));
    }

    [Fact]
    public void Decode_GoBgpReflectedType3_SortedAttributesSameRoute()
    {
        var update = Assert.IsType<BgpUpdateMessage>(BgpCodec.Decode(BgpCaptures.Get("gobgp-update-type3-reflected")).Message);
        var route = Assert.IsType<EvpnInclusiveMulticastRoute>(Assert.Single(update.MpReach!.Routes));
        Assert.Equal(IPAddress.Parse("192.0.2.11"), route.OriginatingRouter);
        Assert.Equal(0xc000020bu, update.OriginatorId);
        Assert.Equal(100u, update.PmsiTunnel!.Label);
    }
}
