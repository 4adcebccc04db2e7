namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    /// <summary>
    /// Marks (<paramref name="vni"/>, <paramref name="address"/>) as held by EVPN (the bridge calls it when the
    /// first route naming it arrives). The address policy and the bounds apply as to any new entry; an entry
    /// that already exists (registered, static, ...) only gains the flag, so it costs no room.
    /// </summary>
    public RegistryResult AddEvpn(uint vni, VtepAddress address)
    {
        if (vni > RegistryLimits.MaxVni) return RegistryResult.Fail(RegistryError.InvalidVni, $"VNI {vni} is out of range");
        if (IsRefused(address, EntrySource.Evpn, out var refused)) return refused;
        _vnis.TryGetValue(vni, out var state);
        if (state is null || !state.Members.ContainsKey(address))
        {
            var bound = CheckRoom(vni, state?.Members.Count ?? 0, 1);
            if (!bound.Succeeded) return bound;
        }
        state ??= GetOrAddVni(vni);
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(state.Members, address, out bool exists);
        int before = exists ? entry.Class : -1;
        entry.IsEvpn = true;
        Reclassify(vni, address, before, entry.Class);
        if (!exists)
        {
            _total++;
            _changed.Add(vni);
        }
        return RegistryResult.Ok;
    }

    /// <summary>
    /// Drops the EVPN part of (<paramref name="vni"/>, <paramref name="address"/>) (the last route naming it
    /// went); the entry goes when no other part (registration, static flag) holds it.
    /// </summary>
    public void RemoveEvpn(uint vni, VtepAddress address)
    {
        if (!_vnis.TryGetValue(vni, out var state)) return;
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(state.Members, address);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || !entry.IsEvpn) return;
        int before = entry.Class;
        entry.IsEvpn = false;
        int after = entry.Class;
        Reclassify(vni, address, before, after);
        if (after < 0) RemoveEntry(state, address);
    }
}
