using System.Net;

namespace Replicator.Linux.Addresses;

/// <summary>
/// One entry of the kernel's address table (RTM_NEWADDR): the interface's own address (IFA_LOCAL, or
/// IFA_ADDRESS where there is no IFA_LOCAL, as for IPv6), its prefix length, and the subnet's
/// broadcast address (IFA_BROADCAST, IPv4 only) when it has one. IPv4-mapped forms never occur here.
/// </summary>
public readonly record struct KernelAddress(int IfIndex, IPAddress Address, int PrefixLength, IPAddress? Broadcast = null)
{
    public override string ToString() =>
        Broadcast is null ? $"{Address}/{PrefixLength} (if {IfIndex})" : $"{Address}/{PrefixLength} brd {Broadcast} (if {IfIndex})";
}
