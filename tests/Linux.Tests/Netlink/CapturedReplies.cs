namespace Replicator.Linux.Tests.Netlink;

/// <summary>
/// Kernel replies captured once from Linux 6.18 in a scratch namespace (a Python AF_NETLINK script;
/// strict checking and extended acks on), stored as hex so the codec is tested against real bytes.
/// </summary>
internal static class CapturedReplies
{
    /// <summary>
    /// RTM_GETNEIGH dump, AF_BRIDGE, ndm_ifindex = 2 (vxlan100, a port of br0 = 4), first datagram:
    /// the bridge's entry for the device's own MAC (permanent, NDA_MASTER 4, no NDA_DST), then the default
    /// entry 00:00:00:00:00:00 dst 192.0.2.9 self permanent. Seq 1002, port id 0x4f25.
    /// </summary>
    public const string NeighDumpPart =
        "4c0000001c000200ea030000254f00000700000002000000800000000a00020056eb41279d890000080009000400000008000f00000000001400030000000000d5030000d503000000000000" +
        "440000001c000200ea030000254f00000700000002000000c00002010a000200000000000000000008000100c000020914000300000000009c010000c103000000000000";

    /// <summary>The dump's second datagram: NLMSG_DONE (NLM_F_MULTI), error 0.</summary>
    public const string NeighDumpDone = "1400000003000200ea030000254f000000000000";

    /// <summary>
    /// NLMSG_ERROR for RTM_NEWLINK with IFLA_INFO_KIND "nosuchkind": error -95 (EOPNOTSUPP),
    /// NLM_F_ACK_TLVS, the request echoed (not capped), then NLMSGERR_ATTR_MSG "Unknown device type".
    /// </summary>
    public const string ErrorWithExtendedAck =
        "6c00000002000002eb030000254f0000a1ffffff4000000010000506eb03000000000000000000000000000000000000000000000b000300626f677573300000140012800f0001006e6f737563686b696e64000018000100556e6b6e6f776e20646576696365207479706500";

    /// <summary>Acknowledgement (error 0, NLM_F_CAPPED) of RTM_NEWNEIGH seq 1005.</summary>
    public const string Ack = "2400000002000001ed030000254f000000000000300000001c00050ced03000000000000";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
