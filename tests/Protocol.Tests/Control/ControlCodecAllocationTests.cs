using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>
/// Decoding allocates the message objects and nothing else; encoding allocates the datagram and
/// nothing else. Method: after a warm-up (per-thread buffers, JIT), the bytes this thread allocates
/// for 200 decodes are compared with the bytes it allocates for building the same objects by hand
/// 200 times with the same constructors (string, list, arrays, addresses, records): equal means no
/// reader, buffer, enumerator or set per message. Comparing with a hand-built baseline instead of
/// typed-in object sizes keeps the test true across runtime versions. The lowest of five rounds
/// is taken so that a stray allocation by the test host cannot fail it.
/// </summary>
public class ControlCodecAllocationTests
{
    private const int PerRound = 200;

    public static TheoryData<string> Messages => ["register-ipv4", "register-ipv6", "register-cookie", "peerlist-mixed", "peerlist-cookie", "sync-two"];

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryDecode_TypicalDatagram_AllocatesOnlyTheMessageObjects(string name)
    {
        ControlMessage message = Sample(name);
        byte[] datagram = ControlCodec.Encode(message);
        long decoding = LeastAllocated(() =>
        {
            Assert.True(ControlCodec.TryDecode(datagram, out _, out _));
        });
        long building = LeastAllocated(() => Rebuild(message));
        Assert.Equal(building, decoding);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Encode_TypicalMessage_AllocatesOnlyTheDatagram(string name)
    {
        ControlMessage message = Sample(name);
        int length = ControlCodec.Encode(message).Length;
        long encoding = LeastAllocated(() => ControlCodec.Encode(message));
        long output = LeastAllocated(() => GC.KeepAlive(new byte[length]));
        Assert.Equal(output, encoding);
    }

    private static ControlMessage Sample(string name) => name switch
    {
        "register-ipv4" => Samples.RegisterIpv4,
        "register-ipv6" => Samples.RegisterIpv6,
        "register-cookie" => Samples.RegisterWithCookie,
        "peerlist-mixed" => Samples.PeerListMixed,
        "peerlist-cookie" => Samples.PeerListMixed with { Cookie = Samples.ExampleCookie },
        _ => Samples.SyncTwoEntries,
    };

    private static long LeastAllocated(Action action)
    {
        for (int i = 0; i < 1000; i++) action();
        long least = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < PerRound; i++) action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least / PerRound;
    }

    /// <summary>What a decoder must allocate for <paramref name="m"/>: the same objects, built the way the decoder builds them.</summary>
    private static ControlMessage Rebuild(ControlMessage m) => m switch
    {
        RegisterMessage r => new RegisterMessage(new string(r.NodeId.AsSpan()), r.HoldTimeSeconds, r.Relayed, r.ResponseWanted, RebuildVnis(r.Vnis)) { Cookie = r.Cookie },
        PeerListMessage p => new PeerListMessage(p.HoldTimeSeconds, RebuildVnis(p.Vnis), p.Generation, p.PartIndex, p.PartCount) { Cookie = p.Cookie },
        SyncMessage s => new SyncMessage(RebuildEntries(s.Entries), s.Last),
        _ => throw new ArgumentException(m.ToString()),
    };

    private static List<VniAddresses> RebuildVnis(IReadOnlyList<VniAddresses> vnis)
    {
        var list = new List<VniAddresses>(vnis.Count);
        for (int i = 0; i < vnis.Count; i++)
        {
            var addresses = new IPAddress[vnis[i].Addresses.Count];
            for (int a = 0; a < addresses.Length; a++) addresses[a] = Copy(vnis[i].Addresses[a]);
            list.Add(new VniAddresses(vnis[i].Vni, addresses));
        }
        return list;
    }

    private static List<SyncEntry> RebuildEntries(IReadOnlyList<SyncEntry> entries)
    {
        var list = new List<SyncEntry>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            SyncEntry e = entries[i];
            list.Add(new SyncEntry(e.Vni, Copy(e.Address), e.RemainingHoldTimeSeconds, new string(e.NodeId.AsSpan()), e.Source));
        }
        return list;
    }

    private static IPAddress Copy(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        return new IPAddress(bytes[..length]);
    }
}
