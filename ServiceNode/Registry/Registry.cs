using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// VNI -> entries, as soft state. NOT thread-safe by design: every call happens on the
/// <see cref="RegistryLoop"/>, the only writer, so there are no locks. The data plane never reads
/// this class; it reads the <see cref="MemberTable"/> that <see cref="PublishChanges"/> refreshes
/// for each VNI whose membership changed.
/// </summary>
internal sealed partial class Registry
{
    private readonly Dictionary<uint, VniState> _vnis = new();
    private readonly Dictionary<VtepAddress, NodeState> _nodes = new();
    private readonly HashSet<uint> _changed = new();
    private readonly PriorityQueue<uint, long> _checks = new();
    private readonly long[] _bySource = new long[(int)EntrySource.Evpn + 1];
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly MemberTable _table;
    private readonly ILogger _logger;
    private int _total;

    public Registry(RegistryLimits limits, TimeProvider time, MemberTable table, ILogger<Registry>? logger = null)
    {
        Limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _epoch = time.GetTimestamp();
    }

    /// <summary>Bounds for changes from now on (reloadable; existing entries are kept when lowered).</summary>
    public RegistryLimits Limits { get; set; }

    /// <summary>
    /// Told of each static change after it was validated and before it is applied; throwing (e.g.
    /// IOException) aborts the change. The static entries store.
    /// </summary>
    public IStaticEntriesPersistence? PersistStatic { get; set; }

    public int EntryCount => _total;

    public int VniCount => _vnis.Count;

    /// <summary>Entries by the source operators see (index = <see cref="EntrySource"/>).</summary>
    public long CountBySource(EntrySource source) => _bySource[(int)source];

    /// <summary>Monotonic registry clock, in TimeSpan ticks; always positive (0 means "none").</summary>
    internal long Now => _time.GetElapsedTime(_epoch).Ticks + 1;

    /// <summary>
    /// Applies a registration whole or not at all: validated first (VNIs, addresses, hold time,
    /// bounds), then applied. Hold time 0 withdraws the listed entries (only those of the same
    /// node identifier, so a late withdraw from a previous incarnation cannot remove the new one).
    /// A new node identifier from a known address first drops everything the old incarnation registered.
    /// </summary>
    public RegistryResult Apply(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var check = Validate(registration);
        if (!check.Succeeded) return check;

        long now = Now;
        if (registration.HoldTime == TimeSpan.Zero)
        {
            Withdraw(registration);
            return RegistryResult.Ok;
        }

        long expiresAt = now + registration.HoldTime.Ticks;
        var source = registration.Relayed ? EntrySource.Relayed : EntrySource.Registered;
        // Nodes first: a restart detected here drops old entries, which may remove whole VNIs.
        bool first = true;
        VtepAddress lastAddress = default;
        // Indexed loops: foreach over IReadOnlyList boxes an enumerator, per VNI, per refresh.
        var list = registration.Vnis;
        for (int i = 0; i < list.Count; i++)
        {
            var addresses = list[i].Addresses;
            for (int j = 0; j < addresses.Count; j++)
            {
                var address = addresses[j];
                if (first || address != lastAddress) Node(address, registration, expiresAt);
                first = false;
                lastAddress = address;
            }
        }
        for (int i = 0; i < list.Count; i++)
        {
            var vni = list[i];
            if (vni.Addresses.Count == 0) continue;
            var state = GetOrAddVni(vni.Vni);
            for (int j = 0; j < vni.Addresses.Count; j++) Upsert(state, vni.Addresses[j], expiresAt, source);
        }
        return RegistryResult.Ok;
    }

    /// <summary>
    /// Learns an unregistered sender the data plane saw, with <see cref="RegistryLimits.LearnHoldTime"/>.
    /// Never overrides a registered, relayed, static or EVPN entry (it only creates or refreshes a learned one).
    /// </summary>
    public RegistryResult Learn(uint vni, VtepAddress address)
    {
        if (vni > RegistryLimits.MaxVni) return RegistryResult.Fail(RegistryError.InvalidVni, $"VNI {vni} is out of range");
        if (IsRefused(address, EntrySource.Learned, out var refused)) return refused;
        long expiresAt = Now + Limits.LearnHoldTime.Ticks;
        if (_vnis.TryGetValue(vni, out var state) && state.Members.TryGetValue(address, out var existing))
        {
            if (existing.IsStatic || existing.IsEvpn || (existing.HasDynamic && existing.Source != EntrySource.Learned)) return RegistryResult.Ok;
        }
        else
        {
            var bound = CheckRoom(vni, state?.Members.Count ?? 0, 1);
            if (!bound.Succeeded) return bound;
        }
        Upsert(state ?? GetOrAddVni(vni), address, expiresAt, EntrySource.Learned);
        return RegistryResult.Ok;
    }

    private RegistryResult Validate(Registration registration)
    {
        if (registration.HoldTime < TimeSpan.Zero || registration.HoldTime > RegistryLimits.MaxHoldTime)
            return RegistryResult.Fail(RegistryError.InvalidHoldTime, $"hold time {registration.HoldTime} is out of range");
        if (registration.HoldTime == TimeSpan.Zero)
        {
            foreach (var vni in registration.Vnis)
            {
                if (vni.Vni > RegistryLimits.MaxVni) return RegistryResult.Fail(RegistryError.InvalidVni, $"VNI {vni.Vni} is out of range");
            }
            return RegistryResult.Ok;
        }

        int added = 0;
        var list = registration.Vnis;
        for (int i = 0; i < list.Count; i++)
        {
            var vni = list[i];
            if (vni.Vni > RegistryLimits.MaxVni) return RegistryResult.Fail(RegistryError.InvalidVni, $"VNI {vni.Vni} is out of range");
            _vnis.TryGetValue(vni.Vni, out var state);
            int addedHere = 0;
            for (int j = 0; j < vni.Addresses.Count; j++)
            {
                var address = vni.Addresses[j];
                if (IsRefused(address, registration.Relayed ? EntrySource.Relayed : EntrySource.Registered, out var refused)) return refused;
                if (state is null || !state.Members.ContainsKey(address)) addedHere++;
            }
            // Counted per listed VNI; a VNI listed twice is counted twice, which can only err on the safe side.
            var bound = CheckRoom(vni.Vni, state?.Members.Count ?? 0, addedHere);
            if (!bound.Succeeded) return bound;
            added += addedHere;
        }
        if ((long)_total + added > Limits.MaxEntries)
            return RegistryResult.Fail(RegistryError.TooManyEntries, $"registration would exceed MaxEntries ({Limits.MaxEntries})");
        return RegistryResult.Ok;
    }

    private RegistryResult CheckRoom(uint vni, int members, int added)
    {
        if (added == 0) return RegistryResult.Ok;
        if ((long)members + added > Limits.MaxMembersPerVni)
            return RegistryResult.Fail(RegistryError.TooManyMembers, $"VNI {vni} would exceed MaxMembersPerVni ({Limits.MaxMembersPerVni})");
        if ((long)_total + added > Limits.MaxEntries)
            return RegistryResult.Fail(RegistryError.TooManyEntries, $"would exceed MaxEntries ({Limits.MaxEntries})");
        return RegistryResult.Ok;
    }

    private void Node(VtepAddress address, Registration registration, long expiresAt)
    {
        if (!_nodes.TryGetValue(address, out var node))
        {
            node = new NodeState(registration.NodeId);
            _nodes.Add(address, node);
        }
        else if (!string.Equals(node.NodeId, registration.NodeId, StringComparison.Ordinal))
        {
            Log.NodeRestarted(_logger, address.ToString(), node.NodeId, registration.NodeId);
            DropDynamic(address);
            node.NodeId = registration.NodeId;
            node.ExpiresAt = 0;
        }
        if (!registration.Relayed)
        {
            node.ReplyTo = registration.ReplyTo;
            node.Response = registration.ReplyTo is null ? ResponseWanted.None : registration.Response;
        }
        if (expiresAt > node.ExpiresAt) node.ExpiresAt = expiresAt;
    }

    private void Withdraw(Registration registration)
    {
        foreach (var vni in registration.Vnis)
        {
            if (!_vnis.TryGetValue(vni.Vni, out var state)) continue;
            foreach (var address in vni.Addresses)
            {
                if (_nodes.TryGetValue(address, out var node) && !string.Equals(node.NodeId, registration.NodeId, StringComparison.Ordinal)) continue;
                ClearDynamic(state, address);
            }
        }
    }

    /// <summary>Removes the dynamic part of every entry of <paramref name="address"/> (a restarted VTEP's old registrations).</summary>
    private void DropDynamic(VtepAddress address)
    {
        foreach (var state in _vnis.Values)
        {
            if (state.Members.ContainsKey(address)) ClearDynamic(state, address);
        }
    }

    private VniState GetOrAddVni(uint vni)
    {
        if (!_vnis.TryGetValue(vni, out var state))
        {
            state = new VniState(vni);
            _vnis.Add(vni, state);
        }
        return state;
    }

    private void Upsert(VniState state, VtepAddress address, long expiresAt, EntrySource source)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(state.Members, address, out bool exists);
        int before = exists ? entry.Class : -1;
        if (entry.HasDynamic && entry.Source == EntrySource.Registered && source == EntrySource.Relayed)
            source = EntrySource.Registered; // a direct registration outranks a relayed copy of it
        entry.ExpiresAt = expiresAt;
        entry.Source = source;
        Reclassify(state.Vni, address, before, entry.Class);
        if (!exists)
        {
            _total++;
            _changed.Add(state.Vni);
        }
        if (expiresAt < state.NextCheck)
        {
            state.NextCheck = expiresAt;
            _checks.Enqueue(state.Vni, expiresAt);
        }
    }

    /// <summary>Removes the dynamic part of one entry; removes the entry when nothing (no static flag) is left.</summary>
    private void ClearDynamic(VniState state, VtepAddress address)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(state.Members, address);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || !entry.HasDynamic) return;
        int before = entry.Class;
        entry.ExpiresAt = 0;
        int after = entry.Class;
        Reclassify(state.Vni, address, before, after);
        if (after < 0) RemoveEntry(state, address);
    }

    private void RemoveEntry(VniState state, VtepAddress address)
    {
        state.Members.Remove(address);
        _total--;
        _changed.Add(state.Vni);
        if (state.Members.Count == 0) _vnis.Remove(state.Vni);
    }

    private void Reclassify(uint vni, VtepAddress address, int before, int after)
    {
        if (before == after) return;
        if (before >= 0) _bySource[before]--;
        if (after >= 0) _bySource[after]++;
        NoteExportChange(vni, address, before, after);
    }
}
