using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// Keeps the speaker's exported set equal to the registry's registered, relayed and static entries: one
/// type-3 route each. Runs on the registry loop. After one full pass at start it only follows the entries the
/// registry reports as changed (<see cref="Registry.Registry.TakeExportChanges"/>), so one registration among
/// 100,000 entries costs one <see cref="IBgpSpeaker.Announce"/>, not a new table.
/// Two entries of one VTEP whose VNIs share their low 16 bits get the same route distinguisher with the
/// type-1 form, hence the same NLRI: the first keeps the route, the other waits (logged and counted) until
/// it is free. The <c>{as}:{vni}</c> form has no such collision.
/// </summary>
internal sealed class EvpnExporter : IExportListener
{
    private readonly HashSet<(uint Vni, VtepAddress Address)> _exported = [];
    private readonly Dictionary<EvpnMulticastRouteKey, (uint Vni, VtepAddress Address)> _owners = [];
    private readonly Dictionary<EvpnMulticastRouteKey, List<(uint Vni, VtepAddress Address)>> _waiting = [];
    private readonly List<(uint Vni, VtepAddress Address)> _changes = [];
    private readonly IBgpSpeaker _speaker;
    private readonly EvpnRouteBuilder _routes;
    private readonly Action<uint, VtepAddress, uint>? _collision;
    private int _count;
    private bool _started;

    /// <param name="collision">Told (vni, vtep, the VNI holding the route) when an entry must wait for its route distinguisher.</param>
    public EvpnExporter(IBgpSpeaker speaker, EvpnRouteBuilder routes, Action<uint, VtepAddress, uint>? collision = null)
    {
        _collision = collision;
        _speaker = speaker ?? throw new ArgumentNullException(nameof(speaker));
        _routes = routes ?? throw new ArgumentNullException(nameof(routes));
    }

    /// <summary>Routes in the speaker's exported set now (read by the metrics on any thread).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>On the loop, once: starts tracking and announces every entry there is.</summary>
    public void Start(Registry.Registry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (_started) return;
        _started = true;
        registry.TrackExports();
        registry.TakeExportChanges(_changes); // older than the full pass below
        _changes.Clear();
        registry.CollectExported(_changes);
        Apply(registry);
    }

    public void OnExportsChanged(Registry.Registry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!_started) return;
        registry.TakeExportChanges(_changes);
        Apply(registry);
    }

    private void Apply(Registry.Registry registry)
    {
        foreach (var (vni, address) in _changes)
        {
            if (registry.IsExported(vni, address))
            {
                if (_exported.Add((vni, address))) Export(vni, address);
            }
            else if (_exported.Remove((vni, address)))
            {
                Unexport(vni, address);
            }
        }
        _changes.Clear();
        Volatile.Write(ref _count, _owners.Count);
    }

    private void Export(uint vni, VtepAddress address)
    {
        var key = _routes.Key(vni, address);
        if (_owners.TryGetValue(key, out var owner))
        {
            if (!_waiting.TryGetValue(key, out var list)) _waiting[key] = list = [];
            list.Add((vni, address));
            _collision?.Invoke(vni, address, owner.Vni);
            return;
        }
        _owners[key] = (vni, address);
        _speaker.Announce(_routes.Build(vni, address));
    }

    private void Unexport(uint vni, VtepAddress address)
    {
        var key = _routes.Key(vni, address);
        if (_owners.TryGetValue(key, out var owner) && owner == (vni, address))
        {
            if (_waiting.TryGetValue(key, out var list) && list.Count > 0)
            {
                // The next waiting entry takes the NLRI over: Announce replaces the route, no withdrawal.
                var next = list[0];
                list.RemoveAt(0);
                if (list.Count == 0) _waiting.Remove(key);
                _owners[key] = next;
                _speaker.Announce(_routes.Build(next.Vni, next.Address));
                return;
            }
            _owners.Remove(key);
            _speaker.Withdraw(key);
        }
        else if (_waiting.TryGetValue(key, out var list))
        {
            list.Remove((vni, address));
            if (list.Count == 0) _waiting.Remove(key);
        }
    }
}
