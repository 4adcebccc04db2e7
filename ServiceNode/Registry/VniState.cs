namespace Replicator.ServiceNode.Registry;

/// <summary>The entries of one VNI, and when its next expiry check is due.</summary>
internal sealed class VniState(uint vni)
{
    public uint Vni { get; } = vni;

    public Dictionary<VtepAddress, RegistryEntry> Members { get; } = new();

    /// <summary>No dynamic entry of this VNI expires before this (registry clock); long.MaxValue when none is scheduled.</summary>
    public long NextCheck = long.MaxValue;
}
