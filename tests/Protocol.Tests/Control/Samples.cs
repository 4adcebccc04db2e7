using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>Example messages shared by the control tests; documentation addresses only.</summary>
internal static class Samples
{
    public static IPAddress A(string s) => IPAddress.Parse(s);

    public static RegisterMessage RegisterIpv4 => new(
        "vtep-a", 90, false, WireResponseWanted.RegisteredVnis,
        [new VniAddresses(100, [A("192.0.2.1")]), new VniAddresses(200, [A("192.0.2.1")])]);

    public static RegisterMessage RegisterIpv6 => new(
        "vtep-b.example", 0, true, WireResponseWanted.None,
        [new VniAddresses(0xFF_FFFF, [A("2001:db8::1"), A("2001:db8::2")])]);

    public static PeerListMessage PeerListMixed => new(
        90,
        [new VniAddresses(100, [A("192.0.2.1"), A("198.51.100.7"), A("2001:db8::10")]), new VniAddresses(300, [])],
        Generation: 7);

    /// <summary>The example return-routability cookie of PROTOCOL.md (any 16 bytes; a service node derives its own).</summary>
    public static readonly UInt128 ExampleCookie = UInt128.Parse("0f1e2d3c4b5a69788796a5b4c3d2e1f0", System.Globalization.NumberStyles.HexNumber);

    /// <summary><see cref="RegisterIpv4"/> echoing the cookie its service node gave it.</summary>
    public static RegisterMessage RegisterWithCookie => RegisterIpv4 with { Cookie = ExampleCookie };

    /// <summary>What a service node sends an address that has not proven it receives: no VNI, only its cookie.</summary>
    public static PeerListMessage PeerListCookieOnly => new(90, [], Generation: 8) { Cookie = ExampleCookie };

    /// <summary><see cref="RegisterWithCookie"/> from a VTEP that speaks deltas: it holds generation 41 of VNI 100's list and none of VNI 200's.</summary>
    public static RegisterMessage RegisterWithGenerations => RegisterWithCookie with { Generations = [new VniGeneration(100, 41), new VniGeneration(200, 0)] };

    /// <summary>
    /// <see cref="RegisterWithGenerations"/> from a VTEP that holds 9 of the 10 parts of peer-list message 12 (all but
    /// part 6): bitmap 11111101 11000000.
    /// </summary>
    public static RegisterMessage RegisterWithIncompleteList => RegisterWithGenerations with { Incomplete = new IncompleteList(12, 10, [0xfd, 0xc0]) { Instance = 0xCAFEBABE } };

    /// <summary>A full list that names its generation: VNI 100's list at generation 41.</summary>
    public static PeerListMessage PeerListWithGenerations => new(90, [new VniAddresses(100, [A("192.0.2.1"), A("198.51.100.7")])], Generation: 9)
    {
        Generations = [new VniGeneration(100, 41)],
    };

    /// <summary>VNI 100 goes from generation 41 to 42: 203.0.113.5 joined, 198.51.100.7 left.</summary>
    public static PeerListMessage PeerListDelta => new(90, [], Generation: 10)
    {
        Deltas = [new PeerListDelta(100, 41, 42, [A("203.0.113.5")], [A("198.51.100.7")])],
        Cookie = ExampleCookie,
    };

    /// <summary>An empty list from the service node run numbered 0xCAFEBABE (key 8), with the cookie last.</summary>
    public static PeerListMessage PeerListWithInstance => new(90, [], Generation: 11)
    {
        Instance = 0xCAFEBABE,
        Cookie = ExampleCookie,
    };

    public static SyncMessage SyncTwoEntries => new(
        [
            new SyncEntry(100, A("192.0.2.1"), 85, "vtep-a", WireEntrySource.Registered),
            new SyncEntry(16_000_000, A("2001:db8::2"), 0, "vtep-b.example", WireEntrySource.Static),
        ],
        Last: true);

    /// <summary>A VNI map with <paramref name="vniCount"/> VNIs of <paramref name="perVni"/> addresses each, alternating families.</summary>
    public static List<VniAddresses> ManyVnis(int vniCount, int perVni, uint firstVni = 1000)
    {
        var list = new List<VniAddresses>(vniCount);
        for (int v = 0; v < vniCount; v++)
        {
            var addresses = new IPAddress[perVni];
            for (int i = 0; i < perVni; i++)
            {
                addresses[i] = (i % 2 == 0)
                    ? new IPAddress([203, 0, 113, (byte)(i % 256)])
                    : IPAddress.Parse($"2001:db8::{v:x}:{i:x}");
            }
            list.Add(new VniAddresses(firstVni + (uint)v, addresses));
        }
        return list;
    }
}
