using System.Diagnostics.Metrics;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>Instruments of registration and service-node reachability (meter <see cref="MeterName"/>).</summary>
internal sealed class RegistrationMetrics
{
    public const string MeterName = "Replicator.RegistrationDaemon.Registration";

    private readonly TimeProvider _time;
    private readonly Counter<long> _registrationsSent;
    private readonly Counter<long> _peerListsReceived;
    private readonly Counter<long> _controlDropped;
    private readonly Counter<long> _peersRefused;
    private readonly Counter<long> _peerListsRefused;
    private readonly Counter<long> _deltas;
    private readonly Counter<long> _resyncs;
    private readonly Counter<long> _incompleteLists;
    private volatile int _managedDevices;
    private volatile int _reachable;
    private long _lastContactTicks = -1;

    public RegistrationMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var meter = meterFactory.Create(MeterName);
        _registrationsSent = meter.CreateCounter<long>("vxrd.registrations.sent", "{datagram}", "Registration datagrams sent (refreshes and withdrawals).");
        _peerListsReceived = meter.CreateCounter<long>("vxrd.peerlists.received", "{datagram}", "Peer-list datagrams accepted from the service node.");
        _controlDropped = meter.CreateCounter<long>("vxrd.control.dropped", "{datagram}", "Control datagrams dropped, by reason.");
        _peersRefused = meter.CreateCounter<long>("vxrd.peers.refused", "{address}",
            "Peer addresses left out of the service node's lists by the address policy, by reason (loopback, multicast, ...).");
        _peerListsRefused = meter.CreateCounter<long>("vxrd.peerlists.refused", "{list}",
            "Member lists of one VNI refused whole (the VNI keeps its previous members), by reason (max_peers_per_vni).");
        _deltas = meter.CreateCounter<long>("vxrd.peerlists.deltas", "{delta}", "Peer-list deltas, by result: applied, repeated (already held), mismatched (did not start from the held generation).");
        _resyncs = meter.CreateCounter<long>("vxrd.peerlists.resyncs", "{request}", "Registrations sent at once because a delta did not start from the held generation, or a split list stayed incomplete (at most one a second).");
        _incompleteLists = meter.CreateCounter<long>("vxrd.peerlists.incomplete", "{list}",
            "Split peer lists found with no new part for 500 ms (a part was lost); each makes vxrd register again, keeping the parts held for the repeated answer.");
        meter.CreateObservableGauge("vxrd.devices.managed", () => _managedDevices, "{device}", "VXLAN devices vxrd manages.");
        meter.CreateObservableGauge("vxrd.servicenode.reachable", () => _reachable, null, "1 while the service node answers, 0 otherwise.");
        meter.CreateObservableGauge("vxrd.servicenode.contact.age", ObserveContactAge, "s", "Seconds since the service node last answered.");
    }

    public void RegistrationsSent(int datagrams)
    {
        if (datagrams > 0) _registrationsSent.Add(datagrams);
    }

    public void PeerListReceived() => _peerListsReceived.Add(1);

    /// <summary>
    /// Reasons: bad_sender, bad_port, malformed, unexpected_type, the verifier's, and the assembler's
    /// (bad_part, too_many_parts, inconsistent_part, too_large, evicted, incomplete).
    /// </summary>
    public void ControlDropped(string reason, int datagrams = 1)
    {
        if (_controlDropped.Enabled && datagrams > 0) _controlDropped.Add(datagrams, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Addresses refused by the address policy; <paramref name="reason"/> is <c>AddressPolicy.Tag</c>.</summary>
    public void PeersRefused(string reason, int addresses)
    {
        if (_peersRefused.Enabled && addresses > 0) _peersRefused.Add(addresses, new KeyValuePair<string, object?>("reason", reason));
    }

    public void PeerListRefused(string reason)
    {
        if (_peerListsRefused.Enabled) _peerListsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Deltas(string result, int count = 1)
    {
        if (_deltas.Enabled) _deltas.Add(count, new KeyValuePair<string, object?>("result", result));
    }

    public void Resync() => _resyncs.Add(1);

    public void IncompleteLists(int lists)
    {
        if (lists > 0) _incompleteLists.Add(lists);
    }

    public void SetManagedDevices(int count) => _managedDevices = count;

    public void SetReachable(bool reachable) => _reachable = reachable ? 1 : 0;

    public void SetLastContact(DateTimeOffset at) => Interlocked.Exchange(ref _lastContactTicks, at.UtcTicks);

    private IEnumerable<Measurement<double>> ObserveContactAge()
    {
        long ticks = Interlocked.Read(ref _lastContactTicks);
        if (ticks < 0) return [];
        return [new Measurement<double>((_time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond)];
    }
}
