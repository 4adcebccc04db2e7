using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>
/// struct nlmsgerr (linux/netlink.h): 20 bytes, the payload of NLMSG_ERROR. <c>error</c> is 0 for an
/// acknowledgement or a negative errno; <c>msg</c> is the header of the request it answers, followed by
/// the request payload unless NLM_F_CAPPED, then extended-ack attributes when NLM_F_ACK_TLVS.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsgerr
{
    public int error;
    public nlmsghdr msg;
}
