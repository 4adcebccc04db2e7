using Replicator.Benchmarks.Fleet;
using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Tests.Fleet;

/// <summary>The fleet simulator's cache of verified and decoded datagrams (tests/Benchmarks/Fleet): by exact bytes, bounded.</summary>
public class DecodedDatagramsTests
{
    private static byte[] Datagram(uint generation) => ControlCodec.Encode(new PeerListMessage(90, [], generation));

    private static PeerListMessage? Decode(byte[] bytes) => ControlCodec.TryDecode(bytes, out var m, out _) ? m as PeerListMessage : null;

    [Fact]
    public void GetOrDecode_SameBytesTwice_DecodedOnceSameMessage()
    {
        var cache = new DecodedDatagrams();
        int decoded = 0;
        var first = cache.GetOrDecode(Datagram(7), b => { decoded++; return Decode(b); });
        var second = cache.GetOrDecode(Datagram(7), b => { decoded++; return Decode(b); });
        Assert.Same(first, second);
        Assert.Equal(1, decoded);
        Assert.Equal((1L, 1L), cache.Counts);
        Assert.Equal(8u, cache.GetOrDecode(Datagram(8), Decode)!.Generation); // other bytes: decoded on their own
    }

    [Fact]
    public void GetOrDecode_Refused_NotKept()
    {
        var cache = new DecodedDatagrams();
        int decoded = 0;
        Assert.Null(cache.GetOrDecode([1, 2, 3], _ => { decoded++; return null; }));
        Assert.Null(cache.GetOrDecode([1, 2, 3], _ => { decoded++; return null; }));
        Assert.Equal(2, decoded);
    }

    [Fact]
    public void GetOrDecode_BeyondTheBound_StartsOver()
    {
        var cache = new DecodedDatagrams();
        for (uint g = 1; g <= DecodedDatagrams.MaxEntries + 1; g++) cache.GetOrDecode(Datagram(g), Decode);
        int decoded = 0;
        cache.GetOrDecode(Datagram(1), b => { decoded++; return Decode(b); });
        Assert.Equal(1, decoded);
    }
}
