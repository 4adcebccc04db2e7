using System.Net;
using CsCheck;
using Replicator.Protocol.Control;
using Replicator.Protocol.Tests.Fixtures.Legacy;

namespace Replicator.Protocol.Tests.Control;

/// <summary>
/// CsCheck properties of the control codec: any valid message survives encode -> decode unchanged
/// and re-encodes to the same bytes; any large message split at any maximum size gives parts that
/// each fit, together carry exactly the original, and each carry the cookie when there is one.
/// A failure prints the shrunk message and the seed that reproduces it.
/// </summary>
public class ControlCodecProperties
{
    // Multi-byte UTF-8 included: 1..60 characters of at most 3 bytes stay within the 255-byte limit.
    private static readonly Gen<string> NodeId = Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Const('-'), Gen.Const('é'), Gen.Const('中'))
        .Array[1, 60].Select(chars => new string(chars));

    private static readonly Gen<IPAddress> Address = Gen.OneOf(Gen.Byte.Array[4], Gen.Byte.Array[16]).Select(bytes => new IPAddress(bytes));

    private static readonly Gen<UInt128?> Cookie = Gen.OneOf(
        Gen.Const((UInt128?)null),
        Gen.Select(Gen.ULong, Gen.ULong, (hi, lo) => (UInt128?)new UInt128(hi, lo)));

    private static Gen<List<VniAddresses>> Vnis(int maxVnis, int maxAddresses) =>
        Gen.Select(Gen.UInt[0, ControlLimits.MaxVni], Address.Array[0, maxAddresses], (vni, addresses) => new VniAddresses(vni, addresses))
            .List[0, maxVnis]
            .Select(list => list.DistinctBy(v => v.Vni).ToList());

    private static readonly Gen<RegisterMessage> Register =
        Gen.Select(NodeId, Gen.UInt, Gen.Bool, Gen.Int[0, 2], Vnis(8, 4), Cookie,
            (node, hold, relayed, wanted, vnis, cookie) => new RegisterMessage(node, hold, relayed, (WireResponseWanted)wanted, vnis) { Cookie = cookie });

    private static readonly Gen<PeerListMessage> PeerList =
        Gen.Select(Gen.UInt, Vnis(8, 4), Gen.UInt, Gen.Int[1, ushort.MaxValue], Gen.Double[0, 1], Cookie,
            (hold, vnis, generation, count, at, cookie) => new PeerListMessage(hold, vnis, generation, (ushort)Math.Min(count - 1, (int)(at * count)), (ushort)count) { Cookie = cookie });

    private static readonly Gen<SyncMessage> Sync =
        Gen.Select(Gen.UInt[0, ControlLimits.MaxVni], Address, Gen.UInt, NodeId, Gen.Int[0, 1],
                (vni, address, remaining, node, source) => new SyncEntry(vni, address, remaining, node, (WireEntrySource)source))
            .List[0, 10]
            .Select(Gen.Bool, (entries, last) => new SyncMessage(entries, last));

    private static readonly Gen<ControlMessage> AnyMessage = Gen.OneOf<ControlMessage>(Register.Select(m => (ControlMessage)m), PeerList.Select(m => (ControlMessage)m), Sync.Select(m => (ControlMessage)m));

    [Fact]
    public void EncodeThenDecode_AnyValidMessage_SameMessageAndSameBytes()
    {
        Gen.Select(AnyMessage, Gen.Bool).Sample((message, trailer) =>
        {
            byte[] datagram = ControlCodec.Encode(message, trailer);
            Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
            // The decoder fills in the (zero) trailer it found; the message itself is unchanged.
            Assert.Equal(message, decoded with { Authentication = null });
            Assert.Equal(trailer, decoded.Authentication is not null);
            Assert.Equal(datagram, ControlCodec.Encode(decoded, trailer));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Encode_AnyValidMessage_SameBytesAsTheLegacyWriter()
    {
        Gen.Select(AnyMessage, Gen.Bool).Sample((message, trailer) =>
        {
            Assert.Equal(LegacyControlBodyWriter.WriteDatagram(message, trailer), ControlCodec.Encode(message, trailer));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void EncodeRegister_LargeMessageAnyMaxSize_PartsFitAndReassembleToTheOriginal()
    {
        Gen.Select(Register.Select(Vnis(120, 40), (m, vnis) => m with { Vnis = vnis }), Gen.Int[320, 1452], Gen.Bool).Sample((message, max, trailer) =>
        {
            IReadOnlyList<byte[]> parts = ControlCodec.EncodeRegister(message, max, trailer);
            var decoded = Decode<RegisterMessage>(parts, max);
            for (int i = 0; i < decoded.Count; i++)
            {
                WireResponseWanted wanted = message.ResponseWanted == WireResponseWanted.AllVnis && i > 0 ? WireResponseWanted.None : message.ResponseWanted;
                Assert.Equal(message.Cookie, decoded[i].Cookie);
                Assert.Equal(message with { Vnis = decoded[i].Vnis, ResponseWanted = wanted }, decoded[i] with { Authentication = null });
            }
            Assert.Equal(message.Vnis, Reassemble(decoded.Select(d => d.Vnis)));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void EncodePeerList_LargeMessageAnyMaxSize_PartsFitNumberedAndReassembleToTheOriginal()
    {
        Gen.Select(PeerList.Select(Vnis(120, 40), (m, vnis) => m with { Vnis = vnis }), Gen.Int[320, 1452], Gen.Bool).Sample((message, max, trailer) =>
        {
            IReadOnlyList<byte[]> parts = ControlCodec.EncodePeerList(message, max, trailer);
            var decoded = Decode<PeerListMessage>(parts, max);
            for (int i = 0; i < decoded.Count; i++)
            {
                var expected = message with { Vnis = decoded[i].Vnis, PartIndex = (ushort)i, PartCount = (ushort)parts.Count };
                Assert.Equal(message.Cookie, decoded[i].Cookie);
                Assert.Equal(expected, decoded[i] with { Authentication = null });
            }
            Assert.Equal(message.Vnis, Reassemble(decoded.Select(d => d.Vnis)));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void EncodeSync_ManyEntriesAnyMaxSize_FramesFitAndConcatenateToTheOriginal()
    {
        Gen.Select(Sync.Select(s => s.Entries), Gen.Int[400, 4096]).Sample((entries, max) =>
        {
            IReadOnlyList<byte[]> frames = ControlCodec.EncodeSync(entries, max);
            var decoded = Decode<SyncMessage>(frames, max);
            Assert.Equal(entries, decoded.SelectMany(d => d.Entries));
            Assert.Equal(decoded.Count - 1, decoded.FindIndex(d => d.Last));
        }, iter: 300, threads: 1);
    }

    private static List<T> Decode<T>(IReadOnlyList<byte[]> parts, int max) where T : ControlMessage
    {
        var decoded = new List<T>(parts.Count);
        foreach (byte[] part in parts)
        {
            Assert.InRange(part.Length, 1, max);
            Assert.True(ControlCodec.TryDecode(part, out ControlMessage? m, out _, out string? detail), detail);
            decoded.Add(Assert.IsType<T>(m));
        }
        return decoded;
    }

    /// <summary>The parts' VNI maps joined back: VNIs in order of first appearance, a VNI's addresses concatenated across parts.</summary>
    private static List<VniAddresses> Reassemble(IEnumerable<IReadOnlyList<VniAddresses>> parts)
    {
        var order = new List<uint>();
        var addresses = new Dictionary<uint, List<IPAddress>>();
        foreach (VniAddresses v in parts.SelectMany(p => p))
        {
            if (!addresses.TryGetValue(v.Vni, out List<IPAddress>? list))
            {
                addresses[v.Vni] = list = [];
                order.Add(v.Vni);
            }
            list.AddRange(v.Addresses);
        }
        return order.Select(vni => new VniAddresses(vni, addresses[vni])).ToList();
    }
}
