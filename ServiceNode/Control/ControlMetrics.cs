using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Control;

/// <summary>The control plane's instruments.</summary>
internal sealed class ControlMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Control";

    private readonly Counter<long> _registrations;
    private readonly Counter<long> _pushed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _sentBytes;
    private readonly Counter<long> _paced;
    private readonly Counter<long> _pushDropped;
    private readonly Counter<long> _incomplete;
    private readonly KeyValuePair<string, object?>[] _kindTags;
    private readonly KeyValuePair<string, object?>[] _incompleteTags;
    private readonly KeyValuePair<string, object?>[] _reasonTags;
    private long _droppedTotal;
    private long _registrationsTotal;
    private long _pushedTotal;

    public ControlMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _registrations = meter.CreateCounter<long>("vxsnd.registrations.received", "{registration}", "Registration datagrams received and decoded (refreshes and withdrawals included).");
        _pushed = meter.CreateCounter<long>("vxsnd.peerlists.pushed", "{datagram}", "Peer-list datagrams pushed to subscribed VTEPs after a membership change.");
        _dropped = meter.CreateCounter<long>("vxsnd.control.dropped", "{datagram}", "Control datagrams not applied, by reason.");
        _reasonTags = [.. ControlDropReasons.Tags.Select(t => new KeyValuePair<string, object?>("reason", t))];
        _sent = meter.CreateCounter<long>("vxsnd.peerlists.sent", "{datagram}", "Peer-list datagrams sent (answers and pushes), by kind: full, delta, empty, current, parts.");
        _sentBytes = meter.CreateCounter<long>("vxsnd.peerlists.sent_bytes", "{byte}", "UDP payload bytes of those datagrams, by kind.");
        _paced = meter.CreateCounter<long>("vxsnd.peerlists.paced", "{datagram}", "Pushed peer-list datagrams that waited in the pacing queue.");
        _pushDropped = meter.CreateCounter<long>("vxsnd.peerlists.push.dropped", "{datagram}", "Pushed peer-list datagrams dropped because the pacing queue was full (repaired by the VTEP's next refresh).");
        _kindTags = [.. Enum.GetValues<PeerListKind>().Select(k => new KeyValuePair<string, object?>("kind", PeerListSender.Tag(k)))];
        _incomplete = meter.CreateCounter<long>("vxsnd.peerlists.incomplete", "{registration}",
            "Registrations naming an incomplete peer list (Register key 7), by result: served (its missing parts sent), unknown, invalid, larger (answered as usual).");
        _incompleteTags = [.. IncompleteListOutcomes.Tags.Select(t => new KeyValuePair<string, object?>("result", t))];
    }

    public void IncompleteListAnswered(IncompleteListOutcome outcome) => _incomplete.Add(1, _incompleteTags[(int)outcome]);

    public void PeerListsSent(PeerListKind kind, int datagrams, long bytes)
    {
        _sent.Add(datagrams, _kindTags[(int)kind]);
        _sentBytes.Add(bytes, _kindTags[(int)kind]);
    }

    public void Paced(int datagrams) => _paced.Add(datagrams);

    public void PushDropped(int datagrams) => _pushDropped.Add(datagrams);

    /// <summary>Totals since start, for <c>vxsnd status</c>.</summary>
    public long RegistrationsReceived => Interlocked.Read(ref _registrationsTotal);

    public long PeerListsPushed => Interlocked.Read(ref _pushedTotal);

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public void RegistrationReceived()
    {
        Interlocked.Increment(ref _registrationsTotal);
        _registrations.Add(1);
    }

    public void PeerListsPushedAdd(int datagrams)
    {
        Interlocked.Add(ref _pushedTotal, datagrams);
        _pushed.Add(datagrams);
    }

    public void Drop(ControlDropReason reason)
    {
        Interlocked.Increment(ref _droppedTotal);
        if (_dropped.Enabled) _dropped.Add(1, _reasonTags[(int)reason]);
    }
}
