using Replicator.Linux.Native;

namespace Replicator.Linux.Netlink;

/// <summary>
/// Outcome of one netlink exchange. <see cref="Errno"/> is the kernel's answer (from NLMSG_ERROR or a
/// failed send/receive; ENOBUFS means the kernel dropped messages for this socket, ETIMEDOUT that no
/// answer came); <see cref="ExtendedAck"/> is the kernel's explanation when it sent one (NETLINK_EXT_ACK);
/// <see cref="DumpInterrupted"/> means the kernel flagged a dump NLM_F_DUMP_INTR (the table changed while
/// it was dumped, the result may be inconsistent: dump again); <see cref="Unchanged"/> marks an idempotent
/// change that found the kernel already in the desired state (EEXIST on add, ENOENT on delete).
/// </summary>
public readonly record struct NetlinkResult(Errno Errno, string? ExtendedAck = null, bool DumpInterrupted = false, bool Unchanged = false)
{
    public static NetlinkResult Success => default;

    public static NetlinkResult Interrupted => new(Errno.SUCCESS, DumpInterrupted: true);

    /// <summary>True when the kernel accepted the request (and a dump was consistent).</summary>
    public bool IsSuccess => Errno == Errno.SUCCESS && !DumpInterrupted;

    public override string ToString()
    {
        if (DumpInterrupted)
        {
            return "dump interrupted (NLM_F_DUMP_INTR)";
        }
        if (Errno == Errno.SUCCESS)
        {
            return Unchanged ? "ok (unchanged)" : "ok";
        }
        string text = $"{Errno} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)Errno)})";
        return string.IsNullOrEmpty(ExtendedAck) ? text : $"{text}: {ExtendedAck}";
    }
}
