using System.Net;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// What this node knows about one peer at run time. Written by the registry loop (datagrams heard),
/// the start-up sync and read by status and metrics on other threads: fields are swapped whole.
/// </summary>
internal sealed class ClusterPeer
{
    private long _lastHeard; // TimeProvider timestamp; 0 = never
    private volatile SyncRecord? _lastSync;

    public ClusterPeer(PeerAddress address, int controlPort, int syncPort)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        ControlEndPoint = address.ControlEndPoint(controlPort);
        SyncEndPoint = new IPEndPoint(address.Address, syncPort);
    }

    public PeerAddress Address { get; }

    public IPEndPoint ControlEndPoint { get; }

    public IPEndPoint SyncEndPoint { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last datagram from this peer; 0 = never.</summary>
    public long LastHeard => Interlocked.Read(ref _lastHeard);

    /// <summary>The latest start-up sync attempt with this peer; null when none was made.</summary>
    public SyncRecord? LastSync => _lastSync;

    public void Heard(long timestamp) => Interlocked.Exchange(ref _lastHeard, timestamp);

    public void Synced(SyncRecord record) => _lastSync = record;
}
