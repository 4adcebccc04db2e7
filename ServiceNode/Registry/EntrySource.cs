namespace Replicator.ServiceNode.Registry;

/// <summary>How an entry got into the registry. Also the <c>source</c> tag of <c>vxsnd.registry.entries</c>.</summary>
internal enum EntrySource
{
    /// <summary>A VTEP registered it with this node.</summary>
    Registered,

    /// <summary>Another service node relayed a VTEP's registration.</summary>
    Relayed,

    /// <summary>The data plane saw an unregistered sender; held for <c>HoldTime</c>.</summary>
    Learned,

    /// <summary>Added by the operator; never ages; persisted.</summary>
    Static,

    /// <summary>
    /// Imported from a BGP EVPN type-3 route (<c>Bgp/Evpn</c>): held while any peer announces it (and
    /// through the grace time after a session loss), never aged by a hold time, never relayed or synced.
    /// </summary>
    Evpn,
}
