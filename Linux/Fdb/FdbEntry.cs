using System.Net;
using System.Net.NetworkInformation;

namespace Replicator.Linux.Fdb;

/// <summary>
/// One remote of a VXLAN device's forwarding database (RTM_NEWNEIGH, AF_BRIDGE, with NDA_DST);
/// <c>bridge fdb show dev NAME</c> prints the same as "MAC dst ADDRESS self permanent".
/// </summary>
public sealed record FdbEntry
{
    /// <summary>ndmsg.ndm_ifindex: the VXLAN device.</summary>
    public required int IfIndex { get; init; }

    /// <summary>NDA_LLADDR; 00:00:00:00:00:00 for default destinations (BUM flooding targets).</summary>
    public required PhysicalAddress LinkLayerAddress { get; init; }

    /// <summary>NDA_DST: the remote VTEP.</summary>
    public required IPAddress Destination { get; init; }

    /// <summary>ndmsg.ndm_state (NUD_*): NUD_NOARP|NUD_PERMANENT for entries added by hand or by vxrd.</summary>
    public ushort State { get; init; }

    /// <summary>ndmsg.ndm_flags (NTF_*).</summary>
    public byte Flags { get; init; }

    /// <summary>NDA_VNI when the entry overrides the device's VNI.</summary>
    public uint? Vni { get; init; }

    /// <summary>NDA_PORT when the entry overrides the device's destination port.</summary>
    public ushort? Port { get; init; }

    /// <summary>True for MAC 00:00:00:00:00:00.</summary>
    public bool IsDefaultDestination => !LinkLayerAddress.GetAddressBytes().AsSpan().ContainsAnyExcept((byte)0);
}
