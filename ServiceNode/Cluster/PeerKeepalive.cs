using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Tells every peer every <c>KeepaliveInterval</c> that this node is alive: a relayed registration
/// with no VNIs (a valid message that changes nothing), on the control port, so reachability is
/// measured on the path relayed registrations take. Its hold time is how long the receiver may
/// consider this node reachable without hearing from it again. Starts once the host has started
/// (the control socket is bound then).
/// </summary>
internal sealed class PeerKeepalive : IHostedService, IDisposable
{
    private readonly ClusterState _state;
    private readonly ControlSocket _socket;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly byte[] _datagram;
    private readonly ControlAuthentication? _authentication; // hardening: re-signed before every round (fresh nonce)
    private ITimer? _timer;

    public PeerKeepalive(ClusterState state, ControlSocket socket, TimeProvider time, IHostApplicationLifetime lifetime,
        ControlAuthentication? authentication = null)
    {
        _authentication = authentication?.Enabled == true ? authentication : null;
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        uint hold = (uint)Math.Ceiling(state.PeerTimeout.TotalSeconds);
        _datagram = ControlCodec.Encode(new RegisterMessage(state.NodeId, hold, Relayed: true, WireResponseWanted.None, []), _authentication is not null);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_state.Peers.Count == 0) return Task.CompletedTask;
        _lifetime.ApplicationStarted.Register(static s =>
        {
            var self = (PeerKeepalive)s!;
            self._timer = self._time.CreateTimer(static t => ((PeerKeepalive)t!).SendAll(), self, TimeSpan.Zero, self._state.KeepaliveInterval);
        }, this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Sends one keepalive to each peer; returns how many left.</summary>
    public int SendAll()
    {
        int sent = 0;
        _authentication?.Sign([_datagram]);
        foreach (var peer in _state.Peers)
        {
            if (_socket.Send(_datagram, peer.ControlEndPoint)) sent++;
        }
        return sent;
    }

    public void Dispose() => _timer?.Dispose();
}
