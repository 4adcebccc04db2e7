namespace Replicator.RegistrationDaemon.Devices;

/// <summary>
/// Every link vxrd has seen, each classified as managed or ignored (with the reason). Owned by
/// the daemon loop; each update returns which managed devices appeared or disappeared, so the
/// caller registers, withdraws and reconciles exactly those.
/// </summary>
public sealed class DeviceInventory
{
    private readonly DeviceFilter _filter;
    private readonly SortedDictionary<int, LinkInfo> _links = [];
    private readonly Dictionary<int, ManagedDevice> _managed = [];

    public DeviceInventory(DeviceFilter filter) => _filter = filter ?? throw new ArgumentNullException(nameof(filter));

    public IReadOnlyCollection<ManagedDevice> Managed => _managed.Values;

    public IEnumerable<LinkInfo> Links => _links.Values;

    public bool TryGetManaged(int ifIndex, out ManagedDevice device) => _managed.TryGetValue(ifIndex, out device!);

    public IgnoreReason Classify(LinkInfo link)
    {
        if (!link.IsVxlan) return IgnoreReason.NotVxlan;
        if (!_filter.Matches(link.Name)) return IgnoreReason.NotInDevices;
        if (link.Vni is null) return IgnoreReason.NoVni;
        if (!link.IsUp) return IgnoreReason.Down;
        if (link.Local is null || link.Local.Equals(System.Net.IPAddress.Any) || link.Local.Equals(System.Net.IPAddress.IPv6Any))
            return IgnoreReason.NoLocalAddress;
        return IgnoreReason.None;
    }

    /// <summary>Replaces everything with a full dump (start, or resync after lost notifications).</summary>
    public DeviceDelta ReplaceAll(IEnumerable<LinkInfo> links)
    {
        var seen = new HashSet<int>();
        var delta = new DeviceDelta();
        foreach (var link in links)
        {
            seen.Add(link.IfIndex);
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
        _links[link.IfIndex] = link;
        ManagedDevice? next = Classify(link) == IgnoreReason.None
            ? new ManagedDevice(link.IfIndex, link.Name, link.Vni!.Value, link.Local!)
            : null;
        _managed.TryGetValue(link.IfIndex, out var previous);
        if (previous == next) return;
        if (previous is not null)
        {
            _managed.Remove(link.IfIndex);
            delta.Removed.Add(previous);
        }
        if (next is not null)
        {
            _managed[link.IfIndex] = next;
            delta.Added.Add(next);
        }
    }

    private void Remove(int ifIndex, DeviceDelta delta)
    {
        _links.Remove(ifIndex);
        if (_managed.Remove(ifIndex, out var previous)) delta.Removed.Add(previous);
    }
}
