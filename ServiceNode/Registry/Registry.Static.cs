namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    private readonly HashSet<StaticEntry> _static = new();

    public IReadOnlyCollection<StaticEntry> StaticEntries => _static;

    /// <summary>Adds one static entry (persisted first through <see cref="PersistStatic"/>). Adding an existing one succeeds.</summary>
    public RegistryResult AddStatic(StaticEntry entry)
    {
        if (_static.Contains(entry)) return RegistryResult.Ok;
        var check = ValidateStatic([entry], replaceAll: false);
        if (!check.Succeeded) return check;
        // One journal line, not the whole set: the cost of an add does not grow with the set.
        var persisted = Persist(p => p.Add(entry));
        if (!persisted.Succeeded) return persisted;
        SetStatic(entry, true);
        _static.Add(entry);
        return RegistryResult.Ok;
    }

    /// <summary>Removes one static entry (persisted first). A VTEP's registration of the same address stays.</summary>
    public RegistryResult RemoveStatic(StaticEntry entry)
    {
        if (!_static.Contains(entry)) return RegistryResult.Fail(RegistryError.NotFound, $"no static entry {entry}");
        var persisted = Persist(p => p.Remove(entry));
        if (!persisted.Succeeded) return persisted;
        SetStatic(entry, false);
        _static.Remove(entry);
        return RegistryResult.Ok;
    }

    /// <summary>Replaces every static entry with <paramref name="entries"/>, validated as a whole before anything changes.</summary>
    public RegistryResult ReplaceStatic(IReadOnlyCollection<StaticEntry> entries, bool persist = true)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var next = new HashSet<StaticEntry>(entries);
        var check = ValidateStatic(next, replaceAll: true);
        if (!check.Succeeded) return check;
        if (persist)
        {
            var persisted = Persist(p => p.ReplaceAll(next));
            if (!persisted.Succeeded) return persisted;
        }
        foreach (var old in _static)
        {
            if (!next.Contains(old)) SetStatic(old, false);
        }
        foreach (var entry in next)
        {
            if (!_static.Contains(entry)) SetStatic(entry, true);
        }
        _static.Clear();
        _static.UnionWith(next);
        return RegistryResult.Ok;
    }

    private RegistryResult ValidateStatic(IEnumerable<StaticEntry> entries, bool replaceAll)
    {
        var addedPerVni = new Dictionary<uint, int>();
        int added = 0, removed = 0;
        var wanted = replaceAll ? new HashSet<StaticEntry>(entries) : null;
        foreach (var entry in entries)
        {
            if (entry.Vni > RegistryLimits.MaxVni) return RegistryResult.Fail(RegistryError.InvalidVni, $"VNI {entry.Vni} is out of range");
            if (IsRefused(entry.Address, EntrySource.Static, out var refused)) return refused;
            if (_vnis.TryGetValue(entry.Vni, out var state) && state.Members.ContainsKey(entry.Address)) continue;
            addedPerVni[entry.Vni] = addedPerVni.GetValueOrDefault(entry.Vni) + 1;
            added++;
        }
        if (wanted is not null)
        {
            // Static-only entries that the new set drops free their room.
            foreach (var old in _static)
            {
                if (!wanted.Contains(old) && _vnis.TryGetValue(old.Vni, out var state)
                    && state.Members.TryGetValue(old.Address, out var e) && !e.HasDynamic && !e.IsEvpn) removed++;
            }
        }
        foreach (var (vni, count) in addedPerVni)
        {
            int members = _vnis.TryGetValue(vni, out var state) ? state.Members.Count : 0;
            if ((long)members + count > Limits.MaxMembersPerVni)
                return RegistryResult.Fail(RegistryError.TooManyMembers, $"VNI {vni} would exceed MaxMembersPerVni ({Limits.MaxMembersPerVni})");
        }
        if ((long)_total + added - removed > Limits.MaxEntries)
            return RegistryResult.Fail(RegistryError.TooManyEntries, $"static entries would exceed MaxEntries ({Limits.MaxEntries})");
        return RegistryResult.Ok;
    }

    private RegistryResult Persist(Action<IStaticEntriesPersistence> change)
    {
        if (PersistStatic is null) return RegistryResult.Ok;
        try
        {
            change(PersistStatic);
            return RegistryResult.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RegistryResult.Fail(RegistryError.StorageFailed, $"cannot write the static entries file: {ex.Message}");
        }
    }

    private void SetStatic(StaticEntry entry, bool isStatic)
    {
        if (isStatic)
        {
            var state = GetOrAddVni(entry.Vni);
            ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(state.Members, entry.Address, out bool exists);
            int before = exists ? e.Class : -1;
            e.IsStatic = true;
            Reclassify(entry.Vni, entry.Address, before, e.Class);
            if (!exists)
            {
                _total++;
                _changed.Add(entry.Vni);
            }
        }
        else if (_vnis.TryGetValue(entry.Vni, out var state))
        {
            ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(state.Members, entry.Address);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref e)) return;
            int before = e.Class;
            e.IsStatic = false;
            int after = e.Class;
            Reclassify(entry.Vni, entry.Address, before, after);
            if (after < 0) RemoveEntry(state, entry.Address);
        }
    }
}
