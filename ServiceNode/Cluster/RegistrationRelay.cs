using Microsoft.Extensions.Logging;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Relays every registration a VTEP sent to this node to every peer, marked relayed, so each node
/// of the cluster holds every VTEP whichever node the fabric sends it to. A relayed registration is
/// applied and never relayed again: with relaying one hop deep, no mesh can loop or storm, and each
/// registration is applied once per node. Also notes which peer a relayed datagram (or keepalive)
/// came from, for reachability.
/// </summary>
internal sealed class RegistrationRelay : IRegistrationListener
{
    private readonly ClusterState _state;
    private readonly ControlSocket _socket;
    private readonly ClusterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ControlAuthentication? _authentication; // hardening: relays are signed like everything else

    public RegistrationRelay(ClusterState state, ControlSocket socket, ClusterMetrics metrics, ILogger<RegistrationRelay> logger,
        ControlAuthentication? authentication = null)
    {
        _authentication = authentication?.Enabled == true ? authentication : null;
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public void OnRegistrationApplied(Registry.Registry registry, Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Relayed)
        {
            Received(registration);
            return;
        }
        // Nothing to apply elsewhere (a client asking for peer lists only): not relayed.
        if (_state.Peers.Count == 0 || registration.Vnis.Count == 0) return;
        var datagrams = Encode(registration);
        if (datagrams is null) return;
        int sent = 0;
        foreach (var peer in _state.Peers)
        {
            foreach (var datagram in datagrams)
            {
                if (_socket.Send(datagram, peer.ControlEndPoint)) sent++;
            }
        }
        _metrics.Relayed(sent);
    }

    private void Received(Registration registration)
    {
        var peer = registration.ReplyTo is { } from ? _state.Find(from.Address) : null;
        if (peer is null)
        {
            // Applied anyway: relaying is trusted like registering (authentication is a later step);
            // an unknown source is usually a peer whose route to us leaves from another address.
            if (registration.ReplyTo is { } source) ClusterLog.RelayFromUnknown(_logger, source);
        }
        else
        {
            _state.Heard(peer);
        }
        if (registration.Vnis.Count == 0) _metrics.KeepaliveReceived();
        else _metrics.RelayedReceivedOne();
    }

    /// <summary>The registration as the relayed datagram(s) peers apply; it came from one datagram, so normally one.</summary>
    private IReadOnlyList<byte[]>? Encode(Registration registration)
    {
        var vnis = new VniAddresses[registration.Vnis.Count];
        for (int i = 0; i < vnis.Length; i++)
        {
            var vni = registration.Vnis[i];
            var addresses = new System.Net.IPAddress[vni.Addresses.Count];
            for (int j = 0; j < addresses.Length; j++) addresses[j] = vni.Addresses[j].ToIPAddress();
            vnis[i] = new VniAddresses(vni.Vni, addresses);
        }
        uint hold = (uint)Math.Min(uint.MaxValue, Math.Ceiling(registration.HoldTime.TotalSeconds));
        var message = new RegisterMessage(registration.NodeId, hold, Relayed: true, WireResponseWanted.None, vnis);
        if (ControlCodec.TryEncodeRegister(message, ControlLimits.DefaultMaxDatagramBytes, reserveAuthenticationTrailer: _authentication is not null, out var datagrams, out var error))
        {
            _authentication?.Sign(datagrams);
            return datagrams;
        }
        ClusterLog.RelayEncodeFailed(_logger, registration.NodeId, error.ToString());
        return null;
    }
}
