using System.Net;
using CsCheck;
using Replicator.Protocol.Bgp;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>
/// CsCheck properties: any message the encoder accepts decodes without error and re-encodes to
/// the same bytes. A failure prints the shrunk message and the seed that reproduces it.
/// </summary>
public class BgpCodecProperties
{
    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct => Gen.OneOf(Gen.Const((T?)null), gen.Select(v => (T?)v));

    private static readonly Gen<IPAddress> Address4 = Gen.Byte.Array[4].Select(b => new IPAddress(b));
    private static readonly Gen<IPAddress> Address = Gen.OneOf(Address4, Gen.Byte.Array[16].Select(b => new IPAddress(b)));
    private static readonly Gen<uint> Label = Gen.UInt[0, 0xff_ffff];

    private static readonly Gen<EvpnRoute> Imet = Gen.Select(Gen.ULong, Gen.UInt, Address,
        (rd, tag, router) => (EvpnRoute)new EvpnInclusiveMulticastRoute(rd, tag, router));

    private static readonly Gen<EvpnRoute> MacIp = Gen.Select(Gen.ULong, Gen.ULong[0, 0xffff], Gen.ULong, Gen.UInt, Gen.ULong[0, 0xffff_ffff_ffff],
        Gen.Null(Address), Label, Maybe(Label),
        (rd, esiHigh, esiLow, tag, mac, ip, label1, label2) => (EvpnRoute)new EvpnMacIpRoute(rd, new UInt128(esiHigh, esiLow), tag, mac, ip, label1, label2));

    private static readonly Gen<List<EvpnRoute>> Routes = Gen.OneOf(Imet, MacIp).List[0, 20];

    // The encoder writes only the octets the length covers: bits past them are zero after a round trip.
    private static readonly Gen<Ipv4Prefix> Prefix = Gen.Select(Gen.UInt, Gen.Byte[0, 32], (address, length) =>
        new Ipv4Prefix(length == 0 ? 0 : address & uint.MaxValue << (32 - (length + 7) / 8 * 8), length));

    private static readonly Gen<List<AsPathSegment>> AsPath =
        Gen.Select(Gen.Byte[1, 4], Gen.UInt.Array[1, 10], (type, asns) => new AsPathSegment((AsPathSegmentType)type, asns)).List[0, 4];

    private static readonly Gen<BgpUpdateMessage> Update =
        Gen.Select(
            Gen.Select(Prefix.List[0, 5], Prefix.List[0, 5], Maybe(Gen.Byte[0, 2].Select(o => (BgpOrigin)o)), Gen.Null(AsPath)),
            Gen.Select(Gen.Null(Gen.Byte[1, 254].Select(b => new IPAddress([192, 0, 2, b]))), Maybe(Gen.UInt),
                Maybe(Gen.UInt), Maybe(Gen.UInt)),
            Gen.Select(Gen.Null(Gen.UInt.List[1, 4]), Gen.Null(Gen.ULong.List[0, 6]),
                Gen.Null(Gen.Select(Gen.Byte, Label, Address, (flags, label, endpoint) => new PmsiTunnel(flags, PmsiTunnel.IngressReplication, label, endpoint)))),
            Gen.Select(Gen.Null(Gen.Select(Address, Routes, (nh, r) => new MpReachNlri(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, nh, r, 0))),
                Gen.Null(Routes.Select(r => new MpUnreachNlri(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, r, 0)))),
            (a, b, c, d) => new BgpUpdateMessage
            {
                WithdrawnRoutes = a.Item1, Nlri = a.Item2, Origin = a.Item3, AsPath = a.Item4,
                NextHop = b.Item1, MultiExitDiscriminator = b.Item2, LocalPreference = b.Item3, OriginatorId = b.Item4,
                ClusterList = c.Item1, ExtendedCommunities = c.Item2, PmsiTunnel = c.Item3,
                MpReach = d.Item1, MpUnreach = d.Item2,
            });

    private static readonly Gen<BgpOpenMessage> Open = Gen.Select(Gen.UInt[1, uint.MaxValue], Gen.OneOf(Gen.Const((ushort)0), Gen.UShort[3, ushort.MaxValue]), Gen.UInt[1, uint.MaxValue],
        Gen.Select(Gen.Byte[66, 255], Gen.Byte.Array[0, 8], (code, value) => new BgpCapability(code, value)).List[0, 4],
        (asn, hold, id, extra) =>
        {
            BgpOpenMessage open = BgpOpenMessage.Create(asn, hold, id);
            return open with { Capabilities = [.. open.Capabilities, .. extra] };
        });

    [Fact]
    public void EncodeThenDecode_AnyUpdate_DecodesAndReencodesToSameBytes()
    {
        Update.Sample(update =>
        {
            byte[] bytes = BgpEncoder.Encode(update);
            BgpDecodeResult result = BgpCodec.Decode(bytes);
            Assert.Equal(BgpDecodeError.None, result.Error);
            var decoded = Assert.IsType<BgpUpdateMessage>(result.Message);
            Assert.Equal(bytes, BgpEncoder.Encode(decoded));
            Assert.Equal(update.MpReach?.Routes ?? [], decoded.MpReach?.Routes ?? []);
            Assert.Equal(update.MpUnreach?.Routes ?? [], decoded.MpUnreach?.Routes ?? []);
            Assert.Equal(update.PmsiTunnel, decoded.PmsiTunnel);
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void EncodeThenDecode_AnyOpen_SameFields()
    {
        Open.Sample(open =>
        {
            byte[] bytes = BgpEncoder.Encode(open);
            var decoded = Assert.IsType<BgpOpenMessage>(BgpCodec.Decode(bytes).Message);
            Assert.Equal((open.MyAs, open.HoldTime, open.BgpIdentifier, open.AutonomousSystem), (decoded.MyAs, decoded.HoldTime, decoded.BgpIdentifier, decoded.AutonomousSystem));
            Assert.Equal(bytes, BgpEncoder.Encode(decoded));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Decode_AnyBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 200].Sample(body =>
        {
            foreach (BgpMessageType type in Enum.GetValues<BgpMessageType>())
            {
                byte[] message = [.. Enumerable.Repeat((byte)0xff, 16), (byte)((19 + body.Length) >> 8), (byte)(19 + body.Length), (byte)type, .. body];
                BgpDecodeResult result = BgpCodec.Decode(message);
                Assert.True(result.Message is not null ^ result.Error != BgpDecodeError.None);
            }
        }, iter: 5000, threads: 1);
    }
}
