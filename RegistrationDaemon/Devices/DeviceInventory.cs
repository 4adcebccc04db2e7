using System.Net;
using Replicator.Linux.Links;

namespace Replicator.RegistrationDaemon.Devices;

/// <summary>
/// Every link vxrd has seen (as the kernel reports it, <see cref="LinkInfo"/>), each classified as
/// managed or ignored with the reason: the one classification of vxrd (<see cref="Classify"/>). Owned
/// by the daemon loop; each update returns which managed devices appeared or disappeared, so the
/// caller registers, withdraws and reconciles exactly those.
/// </summary>
internal sealed class DeviceInventory
{
    private readonly DeviceFilter _filter;
    private readonly SortedDictionary<int, LinkInfo> _links = [];
    private readonly Dictionary<int, ManagedDevice> _managed = [];

    public DeviceInventory(DeviceFilter filter) => _filter = filter ?? throw new ArgumentNullException(nameof(filter));

    public IReadOnlyCollection<ManagedDevice> Managed => _managed.Values;

    public IEnumerable<LinkInfo> Links => _links.Values;

    /// <summary>
    /// Why vxrd would not manage <paramref name="link"/>, checked in this order: not VXLAN, not among the
    /// configured devices, no single VNI (external, or no VXLAN attributes), down, no local address;
    /// <see cref="IgnoreReason.None"/> for a device vxrd manages.
    /// </summary>
    public IgnoreReason Classify(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsVxlan) return IgnoreReason.NotVxlan;
        if (!_filter.Matches(link.Name)) return IgnoreReason.NotInDevices;
        if (Vni(link) is null) return IgnoreReason.NoVni;
        if (!link.IsUp) return IgnoreReason.Down;
        var local = link.Vxlan!.Local;
        if (local is null || local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any)) return IgnoreReason.NoLocalAddress;
        return IgnoreReason.None;
    }

    /// <summary>The VNI of a VXLAN device with a single one; null for other links and external (collect_metadata) devices.</summary>
    public static uint? Vni(LinkInfo link) => link.Vxlan is { CollectMetadata: false } vxlan ? vxlan.Vni : null;

    /// <summary>Applies one event of the link watcher: a resync replaces everything, the others change one link.</summary>
    public DeviceDelta Apply(LinkEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            LinkEventKind.Resync => ReplaceAll(e.Links),
            LinkEventKind.Added or LinkEventKind.Changed when e.Link is not null => Update(e.Link),
            LinkEventKind.Removed when e.Link is not null => Remove(e.Link.Index),
            _ => new DeviceDelta(),
        };
    }

    /// <summary>Replaces everything with a full dump (start, or resync after lost notifications).</summary>
    public DeviceDelta ReplaceAll(IEnumerable<LinkInfo> links)
    {
        var seen = new HashSet<int>();
        var delta = new DeviceDelta();
        foreach (var link in links)
        {
            seen.Add(link.Index);
            Upsert(link, delta);
        }
        foreach (var ifIndex in _links.Keys.Where(i => !seen.Contains(i)).ToList())
        {
            Remove(ifIndex, delta);
        }
        return delta;
    }

    public DeviceDelta Update(LinkInfo link)
    {
        var delta = new DeviceDelta();
        Upsert(link, delta);
        return delta;
    }

    public DeviceDelta Remove(int ifIndex)
    {
        var delta = new DeviceDelta();
        Remove(ifIndex, delta);
        return delta;
    }

    private void Upsert(LinkInfo link, DeviceDelta delta)
    {
        _links[link.Index] = link;
        ManagedDevice? next = Classify(link) == IgnoreReason.None
            ? new ManagedDevice(link.Index, link.Name, link.Vxlan!.Vni, link.Vxlan.Local!)
            : null;
        _managed.TryGetValue(link.Index, out var previous);
        if (previous == next) return;
        if (previous is not null)
        {
            _managed.Remove(link.Index);
            delta.Removed.Add(previous);
        }
        if (next is not null)
        {
            _managed[link.Index] = next;
            delta.Added.Add(next);
        }
    }

    private void Remove(int ifIndex, DeviceDelta delta)
    {
        _links.Remove(ifIndex);
        if (_managed.Remove(ifIndex, out var previous)) delta.Removed.Add(previous);
    }
}
