namespace Replicator.ServiceNode.Registry;

/// <summary>What a registering VTEP wants back. Anything but <see cref="None"/> also subscribes it to pushed peer lists.</summary>
internal enum ResponseWanted
{
    None,

    /// <summary>Peer lists of the VNIs in the registration.</summary>
    RegisteredVnis,

    /// <summary>Peer lists of every VNI the node knows.</summary>
    AllVnis,
}
