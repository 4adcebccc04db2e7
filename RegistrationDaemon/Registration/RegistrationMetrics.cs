using System.Diagnostics.Metrics;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>Instruments of registration and service-node reachability (meter <see cref="MeterName"/>).</summary>
public sealed class RegistrationMetrics
{
    public const string MeterName = "Replicator.RegistrationDaemon.Registration";

    private readonly TimeProvider _time;
    private readonly Counter<long> _registrationsSent;
    private readonly Counter<long> _peerListsReceived;
    private readonly Counter<long> _controlDropped;
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
        meter.CreateObservableGauge("vxrd.devices.managed", () => _managedDevices, "{device}", "VXLAN devices vxrd manages.");
        meter.CreateObservableGauge("vxrd.servicenode.reachable", () => _reachable, null, "1 while the service node answers, 0 otherwise.");
        meter.CreateObservableGauge("vxrd.servicenode.contact.age", ObserveContactAge, "s", "Seconds since the service node last answered.");
    }

    public void RegistrationsSent(int datagrams)
    {
        if (datagrams > 0) _registrationsSent.Add(datagrams);
    }

    public void PeerListReceived() => _peerListsReceived.Add(1);

    /// <summary>Reasons: bad_sender, malformed.</summary>
    public void ControlDropped(string reason)
    {
        if (_controlDropped.Enabled) _controlDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
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
