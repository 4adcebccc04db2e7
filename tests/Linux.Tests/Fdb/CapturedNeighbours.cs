namespace Replicator.Linux.Tests.Fdb;

/// <summary>
/// An AF_BRIDGE neighbour dump captured once from Linux 6.18, in the scratch namespace of
/// <see cref="Links.CapturedLinks"/> (vxlan100, index 2, a port of br0).
/// </summary>
internal static class CapturedNeighbours
{
    /// <summary>AF_BRIDGE neighbour dump datagram for vxlan100: the bridge's own-MAC entry, then 00:00:00:00:00:00 dst 192.0.2.9 and dst 198.51.100.78.</summary>
    public const string NeighDump = "4c0000001c000200ea030000055000000700000002000000800000000a00020056eb41279d890000080009000400000008000f000000000014000300000000000f0600000f06000000000000440000001c000200ea030000055000000700000002000000c00002010a000200000000000000000008000100c00002091400030000000000bc0000003a02000000000000440000001c000200ea030000055000000700000002000000c00002010a000200000000000000000008000100c633644e1400030000000000bc0000003a02000000000000";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
