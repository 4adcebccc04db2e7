using System.Net;
using Replicator.Protocol.Bgp;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>Every message kind against the bytes FRR and GoBGP send, both directions where we send it.</summary>
public class BgpCodecTests
{
    private static readonly IPAddress Vtep11 = IPAddress.Parse("192.0.2.11");

    [Fact]
    public void Decode_FrrImetUpdate_AllFields()
    {
        var update = DecodeUpdate(BgpSamples.FrrImetUpdate);
        Assert.Equal(BgpDecodeError.None, update.AttributeError);
        Assert.Equal(BgpOrigin.Igp, update.Origin);
        Assert.Empty(update.AsPath!);
        Assert.Equal(100u, update.LocalPreference);
        Assert.Equal([BgpExtendedCommunities.VxlanEncapsulation, BgpExtendedCommunities.RouteTarget(65000, 100)], update.ExtendedCommunities!);
        Assert.Equal(new PmsiTunnel(0, PmsiTunnel.IngressReplication, 100, Vtep11), update.PmsiTunnel);
        MpReachNlri reach = update.MpReach!;
        Assert.Equal((BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn), (reach.Afi, reach.Safi));
        Assert.Equal(Vtep11, reach.NextHop);
        var route = Assert.IsType<EvpnInclusiveMulticastRoute>(Assert.Single(reach.Routes));
        Assert.Equal(new EvpnInclusiveMulticastRoute(0x0001_c000020b_0002UL, 0, Vtep11), route);
        Assert.False(update.IsEvpnEndOfRib);
    }

    [Fact]
    public void Encode_ImetRouteAsFrrBuildsIt_FrrBytesExactly()
    {
        var route = new EvpnInclusiveMulticastRoute(0x0001_c000020b_0002UL, 0, Vtep11);
        var update = BgpMessages.AnnounceInclusiveMulticast(route, Vtep11, 100, Vtep11, [BgpExtendedCommunities.RouteTarget(65000, 100)]);
        Assert.Equal(Convert.ToHexString(BgpSamples.FrrImetUpdate), Convert.ToHexString(BgpEncoder.Encode(update)));
    }

    [Fact]
    public void Decode_ReflectedUpdate_OriginatorAndClusterList()
    {
        var update = DecodeUpdate(BgpSamples.FrrReflectedImetUpdate);
        Assert.Equal(BgpDecodeError.None, update.AttributeError);
        Assert.Equal(0u, update.MultiExitDiscriminator);
        Assert.Equal(0xc000020bu, update.OriginatorId);
        Assert.Equal([0xc0000201u], update.ClusterList!);
        Assert.Single(update.MpReach!.Routes);
    }

    [Fact]
    public void Decode_GoBgpOrderAndFlags_SameRouteModel()
    {
        var update = DecodeUpdate(BgpSamples.GoBgpImetUpdate);
        Assert.Equal(BgpDecodeError.None, update.AttributeError);
        var route = Assert.IsType<EvpnInclusiveMulticastRoute>(Assert.Single(update.MpReach!.Routes));
        Assert.Equal(IPAddress.Parse("192.0.2.12"), route.OriginatingRouter);
        Assert.Equal(200u, update.PmsiTunnel!.Label);
        Assert.Null(update.MultiExitDiscriminator);
    }

    [Fact]
    public void Decode_MacIpRoute_DecodedForCounting()
    {
        var update = DecodeUpdate(BgpSamples.FrrMacIpUpdate);
        var route = Assert.IsType<EvpnMacIpRoute>(Assert.Single(update.MpReach!.Routes));
        Assert.Equal(0x0200_0000_0001UL, route.Mac);
        Assert.Null(route.IpAddress);
        Assert.Equal(100u, route.Label1);
        Assert.Null(route.Label2);
        Assert.Equal(BgpSamples.FrrMacIpUpdate, BgpEncoder.Encode(update with { AttributeError = BgpDecodeError.None }));
    }

    [Fact]
    public void EndOfRib_EncodeAndDecode_Recognised()
    {
        Assert.Equal(BgpSamples.EvpnEndOfRib, BgpEncoder.Encode(BgpMessages.EvpnEndOfRib));
        Assert.True(DecodeUpdate(BgpSamples.EvpnEndOfRib).IsEvpnEndOfRib);
    }

    [Fact]
    public void Withdraw_EncodeAndDecode_SameRoute()
    {
        var route = new EvpnInclusiveMulticastRoute(0x0001_c000020b_0002UL, 0, Vtep11);
        Assert.Equal(BgpSamples.FrrImetWithdraw, BgpEncoder.Encode(BgpMessages.Withdraw([route])));
        var update = DecodeUpdate(BgpSamples.FrrImetWithdraw);
        Assert.Equal(route, Assert.Single(update.MpUnreach!.Routes));
        Assert.False(update.IsEvpnEndOfRib);
    }

    [Fact]
    public void Decode_FrrOpen_CapabilitiesKnownAndUnknown()
    {
        var open = Assert.IsType<BgpOpenMessage>(BgpCodec.Decode(BgpSamples.FrrOpen).Message);
        Assert.Equal((65000u, (ushort)180, 0xc000020bu), (open.AutonomousSystem, open.HoldTime, open.BgpIdentifier));
        Assert.True(open.SupportsFamily(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn));
        Assert.True(open.SupportsRouteRefresh);
        Assert.True(open.SupportsFourOctetAs);
        Assert.Equal(10, open.Capabilities.Count);
    }

    [Fact]
    public void Decode_GoBgpOpen_ExtendedNextHopKeptOpaque()
    {
        var open = Assert.IsType<BgpOpenMessage>(BgpCodec.Decode(BgpSamples.GoBgpOpen).Message);
        Assert.Equal((ushort)90, open.HoldTime);
        Assert.Contains(open.Capabilities, c => c.Code == 5 && c.Value.Length == 6);
        Assert.True(open.SupportsFamily(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn));
    }

    [Fact]
    public void Open_FourOctetAs_AsTransAndCapability()
    {
        var open = BgpOpenMessage.Create(4_200_000_000, 90, 0xc0000201);
        var decoded = Assert.IsType<BgpOpenMessage>(BgpCodec.Decode(BgpEncoder.Encode(open)).Message);
        Assert.Equal(BgpConstants.AsTrans, decoded.MyAs);
        Assert.Equal(4_200_000_000u, decoded.AutonomousSystem);
        Assert.Equal((ushort)65000, BgpOpenMessage.Create(65000, 90, 1).MyAs);
    }

    [Fact]
    public void Open_OurOpen_ExactBytes()
    {
        byte[] bytes = BgpEncoder.Encode(BgpOpenMessage.Create(65000, 90, 0xc0000201));
        Assert.Equal("ffffffffffffffffffffffffffffffff" + "002d" + "01" + "04fde8005ac0000201" + "10" + "020e" + "0104001900460200" + "41040000fde8",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Keepalive_Notification_RouteRefresh_RoundTrip()
    {
        Assert.Equal(BgpSamples.Keepalive, BgpEncoder.Encode(BgpKeepaliveMessage.Instance));
        Assert.IsType<BgpKeepaliveMessage>(BgpCodec.Decode(BgpSamples.Keepalive).Message);
        var cease = new BgpNotificationMessage(BgpErrorCode.Cease, (byte)BgpCeaseSubcode.AdministrativeShutdown, []);
        Assert.Equal(BgpSamples.CeaseShutdown, BgpEncoder.Encode(cease));
        var decoded = Assert.IsType<BgpNotificationMessage>(BgpCodec.Decode(BgpSamples.CeaseShutdown).Message);
        Assert.Equal("Cease/AdministrativeShutdown", decoded.ToString());
        Assert.Equal(BgpSamples.RouteRefresh, BgpEncoder.Encode(BgpMessages.EvpnRouteRefresh));
        Assert.Equal(BgpMessages.EvpnRouteRefresh, BgpCodec.Decode(BgpSamples.RouteRefresh).Message);
    }

    [Fact]
    public void Decode_TwoOctetAsPath_WhenNotNegotiated()
    {
        byte[] message = BgpSamples.Hex("ffffffffffffffffffffffffffffffff 0024 02 0000 000d 40 01 01 00 40 02 06 02 02 fde9 fdea");
        var update = Assert.IsType<BgpUpdateMessage>(BgpCodec.Decode(message, fourOctetAsPath: false).Message);
        Assert.Equal([65001u, 65002u], update.AsPath![0].Asns);
        // The same octets with 4-octet ASNs: one ASN announced, eight octets there: malformed, treat-as-withdraw.
        var asFour = Assert.IsType<BgpUpdateMessage>(BgpCodec.Decode(message, fourOctetAsPath: true).Message);
        Assert.Equal(BgpDecodeError.MalformedAsPath, asFour.AttributeError);
    }

    private static BgpUpdateMessage DecodeUpdate(byte[] message)
    {
        BgpDecodeResult result = BgpCodec.Decode(message);
        Assert.Equal(BgpDecodeError.None, result.Error);
        return Assert.IsType<BgpUpdateMessage>(result.Message);
    }
}
