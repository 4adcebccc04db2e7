using System.Net;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// The cluster settings of vxsnd, configuration section <c>ServiceNode:Cluster</c>. All of them are read once at start: peers, ports and the anycast address
/// shape sockets and kernel state, so a change needs a restart.
/// </summary>
internal sealed class ClusterOptions
{
    public const string SectionName = "ServiceNode:Cluster";

    /// <summary>
    /// The other service nodes of the cluster, by unicast address: <c>"198.51.100.2"</c>,
    /// <c>"198.51.100.2:10001"</c>, <c>"2001:db8::2"</c> or <c>"[2001:db8::2]:10001"</c>. The port is
    /// their control port (default: this node's <c>ServiceNode:ControlPort</c>); their sync port is assumed to be
    /// this node's <see cref="SyncPort"/>. Default empty: a single node, nothing relayed or synced.
    /// </summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>The address VTEPs use for the service node, shared by every node of the cluster. Default none.</summary>
    public string? AnycastAddress { get; set; }

    /// <summary>
    /// An <see cref="AnycastAddress"/> value as the address the loopback and the control socket use (an
    /// IPv4-mapped IPv6 form becomes plain IPv4); null when unset or not an address (validation reports that).
    /// </summary>
    public static IPAddress? ParseAnycast(string? text) =>
        IPAddress.TryParse(text?.Trim(), out var address) ? Hosting.Addressing.AddressPolicy.Normalize(address) : null;

    /// <summary>
    /// Put <see cref="AnycastAddress"/> (/32 or /128) on the loopback while this node is ready, and remove it on
    /// shutdown or data-plane failure, so a routing daemon announcing it only while present steers
    /// traffic away from a node that cannot serve. Default false (the address is managed elsewhere).
    /// </summary>
    public bool InstallAnycast { get; set; }

    /// <summary>
    /// TCP port of the full-table transfer, on <c>ServiceNode:ControlAddress</c>: a starting peer connects and
    /// reads the table. The same on every node. Default 10002; 0 picks a free port (tests).
    /// </summary>
    public int SyncPort { get; set; } = 10002;

    /// <summary>How long a starting node tries its peers for the table before it starts empty. Default 5 s.</summary>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each node tells every peer it is alive (an empty relayed registration on the control
    /// port). A peer is reachable while something came from it within three intervals. Default 5 s.
    /// </summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(5);
}
