using System.Net;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Pushes a VNI's new peer list to every member that asked for responses when the VNI's
/// membership changes, so head-end VTEPs converge in well under a second instead of at their
/// next refresh. Bursts are coalesced: at most one push per VNI per <see cref="Window"/>; a change
/// inside the window is pushed when it ends, with the membership of that moment. Runs on the
/// registry loop (the timer only posts work to it).
/// </summary>
internal sealed class PeerListPusher : IMembershipListener, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<uint, long> _lastPush = new();
    private readonly HashSet<uint> _pending = new();
    private readonly HashSet<IPEndPoint> _subscribers = new();
    private readonly PeerListSender _sender;
    private readonly ControlMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Func<IRegistryWriter> _writer;
    private readonly ITimer _timer;
    private bool _timerArmed;

    public PeerListPusher(PeerListSender sender, ControlMetrics metrics, TimeProvider time, Func<IRegistryWriter> writer)
    {
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _timer = time.CreateTimer(static s => ((PeerListPusher)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void OnMembershipChanged(Registry.Registry registry, IReadOnlyList<uint> vnis)
    {
        long now = _time.GetTimestamp();
        foreach (uint vni in vnis)
        {
            if (_lastPush.TryGetValue(vni, out long last) && _time.GetElapsedTime(last, now) < Window) _pending.Add(vni);
            else Push(registry, vni, now);
        }
        if (_pending.Count > 0) Arm();
        Prune(now);
    }

    private void OnTimer() => _writer().Post(Flush);

    private void Flush(Registry.Registry registry)
    {
        _timerArmed = false;
        long now = _time.GetTimestamp();
        List<uint>? due = null;
        foreach (uint vni in _pending)
        {
            if (!_lastPush.TryGetValue(vni, out long last) || _time.GetElapsedTime(last, now) >= Window) (due ??= []).Add(vni);
        }
        if (due is not null)
        {
            foreach (uint vni in due)
            {
                _pending.Remove(vni);
                Push(registry, vni, now);
            }
        }
        if (_pending.Count > 0) Arm();
    }

    private void Push(Registry.Registry registry, uint vni, long now)
    {
        _lastPush[vni] = now;
        _subscribers.Clear();
        registry.CollectSubscribers(vni, _subscribers);
        if (_subscribers.Count == 0) return;
        var datagrams = _sender.Encode(registry, [vni]);
        int sent = 0;
        // From the anycast address in a cluster: VTEPs register with it and accept lists only from it.
        // Without authentication each send writes that subscriber's cookie and applies its return-routability budget.
        foreach (var subscriber in _subscribers) sent += _sender.SendEncoded(datagrams, subscriber, ControlSource.Anycast);
        if (sent > 0) _metrics.PeerListsPushedAdd(sent);
    }

    private void Arm()
    {
        if (_timerArmed) return;
        _timerArmed = true;
        _timer.Change(Window, Timeout.InfiniteTimeSpan);
    }

    private void Prune(long now)
    {
        // Only VNIs pushed within the window matter; keep the map from growing with every VNI ever seen.
        if (_lastPush.Count < 4096) return;
        List<uint>? old = null;
        foreach (var (vni, last) in _lastPush)
        {
            if (_time.GetElapsedTime(last, now) >= Window && !_pending.Contains(vni)) (old ??= []).Add(vni);
        }
        if (old is not null) foreach (uint vni in old) _lastPush.Remove(vni);
    }

    public void Dispose() => _timer.Dispose();
}
