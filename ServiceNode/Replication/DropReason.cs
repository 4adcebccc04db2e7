namespace Replicator.ServiceNode.Replication;

/// <summary>Why a datagram (or, for <see cref="SendError"/>, a copy) was not replicated. Values index counter arrays.</summary>
internal enum DropReason
{
    /// <summary>Shorter than a VXLAN header.</summary>
    TooShort = 0,
    /// <summary>VXLAN I flag clear.</summary>
    NoIFlag,
    /// <summary>No member snapshot for the VNI.</summary>
    UnknownVni,
    /// <summary>The VNI has no member to send to other than the sender (of the sender's address family).</summary>
    NoMembers,
    /// <summary>The sender is not registered in the VNI (and AcceptUnregistered is off).</summary>
    UnregisteredSender,
    /// <summary>The kernel refused a copy (counted per copy).</summary>
    SendError,
    /// <summary>Larger than the receive slot (truncated by the kernel).</summary>
    TooLong,
    /// <summary>The outer source is one of this node's own addresses (or a broadcast of its subnets): replicating it could loop.</summary>
    OwnSource,
}

/// <summary>Metric tag values of <see cref="DropReason"/>: bounded, stable.</summary>
internal static class DropReasons
{
    public const int Count = 8;

    public static string Tag(DropReason reason) => reason switch
    {
        DropReason.TooShort => "too_short",
        DropReason.NoIFlag => "no_i_flag",
        DropReason.UnknownVni => "unknown_vni",
        DropReason.NoMembers => "no_members",
        DropReason.UnregisteredSender => "unregistered_sender",
        DropReason.SendError => "send_error",
        DropReason.TooLong => "too_long",
        DropReason.OwnSource => "own_source",
        _ => "other",
    };
}
