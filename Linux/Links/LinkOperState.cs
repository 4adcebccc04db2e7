namespace Replicator.Linux.Links;

/// <summary>RFC 2863 operational state of a link (IFLA_OPERSTATE, IF_OPER_* in linux/if_link.h).</summary>
public enum LinkOperState : byte
{
    /// <summary>The driver does not report one; VXLAN devices that are up show this.</summary>
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
