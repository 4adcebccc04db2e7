using Replicator.Protocol.Control;
using Replicator.Protocol.Tests.Control;

namespace Replicator.Protocol.Tests.Vectors;

/// <summary>
/// The vectors our writer produces (Vectors/ours/*.hex), with the structure an independent
/// reader must see in them. These are also the hex examples of PROTOCOL.md.
/// Set REPLICATOR_WRITE_VECTORS=1 to rewrite the files after a deliberate format change.
/// </summary>
internal static class OurVectors
{
    public static readonly AuthenticationTrailer ExampleTrailer = new(1, 1_767_225_600_000, UInt128.Parse("000102030405060708090a0b0c0d0e0f", System.Globalization.NumberStyles.HexNumber));

    private const string Ipv4Body = """{0:"vtep-a",1:90,2:false,3:1,4:{100:[h'c0000201'],200:[h'c0000201']}}""";
    private const string SyncBody = """{0:[[100,h'c0000201',85,"vtep-a",0],[16000000,h'20010db8000000000000000000000002',0,"vtep-b.example",3]],1:true}""";

    /// <summary>File name -> (bytes our code produces now, canonical text expected from any reader).</summary>
    public static IReadOnlyDictionary<string, (byte[] Bytes, string Expected)> All { get; } = new Dictionary<string, (byte[], string)>
    {
        ["register-ipv4.hex"] = (ControlCodec.Encode(Samples.RegisterIpv4), "type=1 flags=0 body=" + Ipv4Body),
        ["register-ipv6.hex"] = (ControlCodec.Encode(Samples.RegisterIpv6),
            """type=1 flags=0 body={0:"vtep-b.example",1:0,2:true,3:0,4:{16777215:[h'20010db8000000000000000000000001',h'20010db8000000000000000000000002']}}"""),
        ["peerlist-mixed.hex"] = (ControlCodec.Encode(Samples.PeerListMixed),
            """type=2 flags=0 body={0:90,1:{100:[h'c0000201',h'c6336407',h'20010db8000000000000000000000010'],300:[]},2:7,3:0,4:1}"""),
        ["register-cookie.hex"] = (ControlCodec.Encode(Samples.RegisterWithCookie),
            """type=1 flags=0 body={0:"vtep-a",1:90,2:false,3:1,4:{100:[h'c0000201'],200:[h'c0000201']},5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["peerlist-cookie.hex"] = (ControlCodec.Encode(Samples.PeerListCookieOnly),
            """type=2 flags=0 body={0:90,1:{},2:8,3:0,4:1,5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["sync-two.hex"] = (ControlCodec.Encode(Samples.SyncTwoEntries), "type=3 flags=0 body=" + SyncBody),
        ["register-generations.hex"] = (ControlCodec.Encode(Samples.RegisterWithGenerations),
            """type=1 flags=0 body={0:"vtep-a",1:90,2:false,3:1,4:{100:[h'c0000201'],200:[h'c0000201']},6:{100:41,200:0},5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["register-incomplete.hex"] = (ControlCodec.Encode(Samples.RegisterWithIncompleteList),
            """type=1 flags=0 body={0:"vtep-a",1:90,2:false,3:1,4:{100:[h'c0000201'],200:[h'c0000201']},6:{100:41,200:0},7:[12,10,h'fdc0',3405691582],5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["peerlist-generations.hex"] = (ControlCodec.Encode(Samples.PeerListWithGenerations),
            """type=2 flags=0 body={0:90,1:{100:[h'c0000201',h'c6336407']},2:9,3:0,4:1,6:{100:41}}"""),
        ["peerlist-delta.hex"] = (ControlCodec.Encode(Samples.PeerListDelta),
            """type=2 flags=0 body={0:90,1:{},2:10,3:0,4:1,7:[[100,41,42,[h'cb007105'],[h'c6336407']]],5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["peerlist-instance.hex"] = (ControlCodec.Encode(Samples.PeerListWithInstance),
            """type=2 flags=0 body={0:90,1:{},2:11,3:0,4:1,8:3405691582,5:h'0f1e2d3c4b5a69788796a5b4c3d2e1f0'}"""),
        ["register-ipv4.signed.hex"] = (Signed(Samples.RegisterIpv4),
            "type=1 flags=1 body=" + Ipv4Body + " trailer=1,1767225600000,000102030405060708090a0b0c0d0e0f mac=ok"),
        ["sync-two.frame.hex"] = (Framed(ControlCodec.Encode(Samples.SyncTwoEntries)), "type=3 flags=0 body=" + SyncBody),
    };

    public static string PathOf(string name) => Path.Combine(RepositoryFiles.VectorsDirectory, "ours", name);

    private static byte[] Signed(ControlMessage message)
    {
        byte[] datagram = ControlCodec.Encode(message, reserveAuthenticationTrailer: true);
        ControlAuthenticator.Sign(datagram, Canonical.ExampleKey, ExampleTrailer);
        return datagram;
    }

    private static byte[] Framed(byte[] message)
    {
        var stream = new MemoryStream();
        SyncFraming.WriteFrame(stream, message);
        return stream.ToArray();
    }
}
