namespace Replicator.Protocol.Tests.Bgp;

/// <summary>
/// BGP messages as FRR 8.4 and GoBGP 3.10 send them. The type-3 UPDATE is FRR's, byte for byte
/// (/work/shared/EVPN-NOTES.md); the others are built from the same notes' description of each
/// implementation (attribute order and flags, capabilities) until the lab's captures replace them.
/// </summary>
internal static class BgpSamples
{
    private const string Marker = "ffffffffffffffffffffffffffffffff";

    /// <summary>FRR's type-3 route for VNI 100 from VTEP 192.0.2.11, AS 65000.</summary>
    public static readonly byte[] FrrImetUpdate = Hex(Marker + "0065 02 0000 004e"
        + "90 0e 001c 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 20 c000020b"
        + "40 01 01 00"
        + "50 02 0000"
        + "40 05 04 00000064"
        + "c0 10 10 030c000000000008 0002fde800000064"
        + "c0 16 09 00 06 000064 c000020b");

    /// <summary>The same route reflected by an FRR route reflector: MED 0, ORIGINATOR_ID 192.0.2.11, CLUSTER_LIST 192.0.2.1.</summary>
    public static readonly byte[] FrrReflectedImetUpdate = Hex(Marker + "007a 02 0000 0063"
        + "90 0e 001c 0019 46 04 c000020b 00 03 11 0001c000020b0002 00000000 20 c000020b"
        + "40 01 01 00"
        + "50 02 0000"
        + "80 04 04 00000000"
        + "40 05 04 00000064"
        + "80 09 04 c000020b"
        + "80 0a 04 c0000201"
        + "c0 10 10 030c000000000008 0002fde800000064"
        + "c0 16 09 00 06 000064 c000020b");

    /// <summary>GoBGP's style: attributes sorted by type code, MP_REACH with flags 0x80 (no extended length), AS_PATH 0x40.</summary>
    public static readonly byte[] GoBgpImetUpdate = Hex(Marker + "0063 02 0000 004c"
        + "40 01 01 00"
        + "40 02 00"
        + "40 05 04 00000064"
        + "80 0e 1c 0019 46 04 c000020c 00 03 11 0001c000020c0003 00000000 20 c000020c"
        + "c0 10 10 030c000000000008 0002fde8000000c8"
        + "c0 16 09 00 06 0000c8 c000020c");

    /// <summary>FRR's type-2 route: MAC 02:00:00:00:00:01 without IP, label VNI 100.</summary>
    public static readonly byte[] FrrMacIpUpdate = Hex(Marker + "0069 02 0000 0052"
        + "90 0e 002c 0019 46 04 c000020b 00 02 21 0001c000020b0002 00000000000000000000 00000000 30 020000000001 00 000064"
        + "40 01 01 00"
        + "50 02 0000"
        + "40 05 04 00000064"
        + "c0 10 10 030c000000000008 0002fde800000064");

    /// <summary>EVPN End-of-RIB: an UPDATE with an empty MP_UNREACH for 25/70.</summary>
    public static readonly byte[] EvpnEndOfRib = Hex(Marker + "001e 02 0000 0007 90 0f 0003 0019 46");

    /// <summary>Withdrawal of the FRR type-3 route.</summary>
    public static readonly byte[] FrrImetWithdraw = Hex(Marker + "0031 02 0000 001a 90 0f 0016 0019 46 03 11 0001c000020b0002 00000000 20 c000020b");

    /// <summary>FRR's OPEN: AS 65000, hold 180, id 192.0.2.11; MP 25/70, RR 128 and 2, enhanced RR 70, AS4, extended message 6, add-path 69, FQDN 73, GR 64, LLGR 71.</summary>
    public static readonly byte[] FrrOpen = Hex(Marker + "0048 01 04 fde8 00b4 c000020b 2b"
        + "02 29"
        + "01 04 0019 00 46"
        + "80 00"
        + "02 00"
        + "46 00"
        + "41 04 0000fde8"
        + "06 00"
        + "45 04 0019 46 01"
        + "49 07 05 7674657031 00"
        + "40 02 c0 78"
        + "47 00");

    /// <summary>GoBGP's OPEN: AS 65000, hold 90, id 192.0.2.2; MP 25/70, RR, AS4, FQDN, extended next hop 25/70 -> IPv4.</summary>
    public static readonly byte[] GoBgpOpen = Hex(Marker + "0041 01 04 fde8 005a c0000202 24"
        + "02 22"
        + "01 04 0019 00 46"
        + "02 00"
        + "41 04 0000fde8"
        + "49 0a 08 676f6267702d7272 00"
        + "05 06 0019 0046 0001");

    public static readonly byte[] Keepalive = Hex(Marker + "0013 04");

    /// <summary>Cease / administrative shutdown.</summary>
    public static readonly byte[] CeaseShutdown = Hex(Marker + "0015 03 06 02");

    public static readonly byte[] RouteRefresh = Hex(Marker + "0017 05 0019 00 46");

    /// <summary>Every sample, the fuzzer's seeds.</summary>
    public static readonly byte[][] All =
    [
        FrrImetUpdate, FrrReflectedImetUpdate, GoBgpImetUpdate, FrrMacIpUpdate, EvpnEndOfRib, FrrImetWithdraw,
        FrrOpen, GoBgpOpen, Keepalive, CeaseShutdown, RouteRefresh,
    ];

    public static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));
}
