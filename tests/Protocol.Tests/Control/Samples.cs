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
