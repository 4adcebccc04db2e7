using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Cluster;

/// <summary>The cluster's instruments (relaying, peer reachability) and the totals <c>vxsnd status</c> shows.</summary>
internal sealed class ClusterMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Cluster";

    private readonly Counter<long> _relayed;
    private long _relayedTotal;
    private long _relayedReceivedTotal;
    private long _keepalivesReceivedTotal;

    public ClusterMetrics(IMeterFactory meterFactory, ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(state);
        var meter = meterFactory.Create(MeterName);
        _relayed = meter.CreateCounter<long>("vxsnd.registrations.relayed", "{datagram}",
            "Registration datagrams relayed to peer service nodes (one per peer per registration received from a VTEP).");
        meter.CreateObservableGauge("vxsnd.peers.reachable", state.ReachableCount, "{peer}",
            "Configured peer service nodes heard from within three keepalive intervals.");
    }

    /// <summary>Datagrams relayed to peers since start.</summary>
    public long RegistrationsRelayed => Interlocked.Read(ref _relayedTotal);

    /// <summary>Relayed registrations received from peers since start (keepalives not included).</summary>
    public long RelayedReceived => Interlocked.Read(ref _relayedReceivedTotal);

    public long KeepalivesReceived => Interlocked.Read(ref _keepalivesReceivedTotal);

    public void Relayed(int datagrams)
    {
        if (datagrams <= 0) return;
        Interlocked.Add(ref _relayedTotal, datagrams);
        _relayed.Add(datagrams);
    }

    public void RelayedReceivedOne() => Interlocked.Increment(ref _relayedReceivedTotal);

    public void KeepaliveReceived() => Interlocked.Increment(ref _keepalivesReceivedTotal);
}
