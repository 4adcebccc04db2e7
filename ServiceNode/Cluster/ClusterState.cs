using System.Net;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// The cluster as this node sees it: the configured peers with their reachability and last sync,
/// the start-up sync's <see cref="ClusterReadiness"/>, and this node's identity on the wire.
/// Peers are read once at start (a change of <c>Peers</c> needs a restart).
/// </summary>
internal sealed class ClusterState
{
    /// <summary>A peer is reachable while something came from it within this many keepalive intervals.</summary>
    public const int MissedKeepalives = 3;

    private readonly TimeProvider _time;
    private readonly Dictionary<IPAddress, ClusterPeer> _byAddress = new();

    public ClusterState(IReloadableOptions<ClusterOptions> options, IReloadableOptions<ServiceNodeOptions> serviceNode, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serviceNode);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var o = options.Current;
        var peers = new List<ClusterPeer>();
        foreach (string text in o.Peers)
        {
            // The validator already refused start-up on a bad entry; a skipped one here cannot happen.
            if (!PeerAddress.TryParse(text, out var address, out _)) continue;
            var peer = new ClusterPeer(address, serviceNode.Current.ControlPort, o.SyncPort);
            peers.Add(peer);
            _byAddress.TryAdd(address.Address, peer);
        }
        Peers = peers;
        KeepaliveInterval = o.KeepaliveInterval;
        NodeId = $"vxsnd@{Environment.MachineName}";
        AnycastAddress = string.IsNullOrWhiteSpace(o.AnycastAddress) ? null : o.AnycastAddress.Trim();
    }

    public IReadOnlyList<ClusterPeer> Peers { get; }

    /// <summary>The configured anycast address (text), or null.</summary>
    public string? AnycastAddress { get; }

    public ClusterReadiness Readiness { get; } = new();

    public TimeSpan KeepaliveInterval { get; }

    /// <summary>How long a peer stays reachable after it was last heard.</summary>
    public TimeSpan PeerTimeout => KeepaliveInterval * MissedKeepalives;

    /// <summary>Node id in this node's keepalives (never a VTEP's: they register no addresses).</summary>
    public string NodeId { get; }

    /// <summary>The peer sending from <paramref name="address"/>, or null (IPv4-mapped addresses match their IPv4 form).</summary>
    public ClusterPeer? Find(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Hosting.Addressing.AddressPolicy.Normalize(address);
        return _byAddress.GetValueOrDefault(address);
    }

    public bool IsReachable(ClusterPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        long heard = peer.LastHeard;
        return heard != 0 && _time.GetElapsedTime(heard) < PeerTimeout;
    }

    public int ReachableCount()
    {
        int n = 0;
        foreach (var peer in Peers) if (IsReachable(peer)) n++;
        return n;
    }

    /// <summary>Time since the peer was last heard; null when never.</summary>
    public TimeSpan? SinceHeard(ClusterPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        long heard = peer.LastHeard;
        return heard == 0 ? null : _time.GetElapsedTime(heard);
    }

    internal void Heard(ClusterPeer peer) => peer.Heard(Math.Max(1, _time.GetTimestamp()));
}
