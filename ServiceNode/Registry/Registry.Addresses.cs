using Replicator.Hosting.Addressing;
using Replicator.ServiceNode.Addresses;

namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    private const int RefusalKinds = (int)AddressRefusal.Own + 1;

    // Refusals by (origin, AddressRefusal): written on the loop, read by the metrics after each batch.
    private readonly long[] _refused = new long[((int)EntrySource.Evpn + 1) * RefusalKinds];
    private OwnAddressSet _own = OwnAddressSet.Empty;

    /// <summary>
    /// The node's own addresses. Registrations, relays, sync records, learning and static entries of
    /// these are refused; entries that already exist when an address becomes own stay in the registry
    /// (shown by <c>vxsnd fdb</c>) but are left out of member snapshots and peer lists until it is no
    /// longer own, so nothing is ever replicated to the node itself.
    /// </summary>
    public OwnAddressSet Own
    {
        get => _own;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var previous = _own;
            _own = value;
            int hidden = 0;
            foreach (var state in _vnis.Values)
            {
                bool changed = false;
                foreach (var address in state.Members.Keys)
                {
                    bool now = value.Contains(address);
                    if (now) hidden++;
                    changed |= now != previous.Contains(address);
                }
                if (changed) _changed.Add(state.Vni);
            }
            if (hidden > 0) Log.OwnEntriesHidden(_logger, hidden, value.Count);
        }
    }

    /// <summary>Addresses refused so far, coming from <paramref name="origin"/>, for <paramref name="refusal"/>.</summary>
    public long RefusedCount(EntrySource origin, AddressRefusal refusal) => _refused[(int)origin * RefusalKinds + (int)refusal];

    /// <summary>The non-zero refusal counts (a copy), for the metrics.</summary>
    internal Dictionary<(EntrySource Origin, AddressRefusal Refusal), long> RefusalCounts()
    {
        var counts = new Dictionary<(EntrySource, AddressRefusal), long>();
        for (int i = 0; i < _refused.Length; i++)
        {
            if (_refused[i] != 0) counts[((EntrySource)(i / RefusalKinds), (AddressRefusal)(i % RefusalKinds))] = _refused[i];
        }
        return counts;
    }

    /// <summary>
    /// The address policy as the registry applies it: <see cref="VtepAddress.Refusal"/> (loopback admitted
    /// with <see cref="RegistryLimits.AllowLoopback"/>), then <see cref="Own"/>. A refusal is counted under
    /// <paramref name="origin"/>. For callers that filter before applying (the start-up sync).
    /// </summary>
    public AddressRefusal CheckAddress(VtepAddress address, EntrySource origin)
    {
        var refusal = address.Refusal;
        if (refusal == AddressRefusal.Loopback && Limits.AllowLoopback) refusal = AddressRefusal.None;
        if (refusal == AddressRefusal.None) refusal = _own.Classify(address);
        if (refusal != AddressRefusal.None) _refused[(int)origin * RefusalKinds + (int)refusal]++;
        return refusal;
    }

    private bool IsRefused(VtepAddress address, EntrySource origin, out RegistryResult result)
    {
        var refusal = CheckAddress(address, origin);
        result = refusal == AddressRefusal.None
            ? RegistryResult.Ok
            : RegistryResult.Fail(RegistryError.InvalidAddress, $"{address} {AddressPolicy.Describe(refusal)}");
        return refusal != AddressRefusal.None;
    }
}
