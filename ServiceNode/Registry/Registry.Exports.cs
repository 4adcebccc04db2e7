namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    // Null until someone exports (the EVPN bridge): then every change of an entry's class that
    // changes whether it is exported is noted here, so the exporter's work follows the change,
    // not the size of the table.
    private HashSet<(uint Vni, VtepAddress Address)>? _exportChanges;

    /// <summary>True for the sources whose entries are announced as EVPN routes: registered, relayed and static (never EVPN or learned).</summary>
    public static bool IsExportedSource(EntrySource source) => source is EntrySource.Registered or EntrySource.Relayed or EntrySource.Static;

    /// <summary>Starts noting export changes (<see cref="TakeExportChanges"/>); the caller then reads the current set once with <see cref="CollectExported"/>.</summary>
    public void TrackExports() => _exportChanges ??= [];

    /// <summary>True when changes are waiting for <see cref="TakeExportChanges"/>.</summary>
    public bool HasExportChanges => _exportChanges is { Count: > 0 };

    /// <summary>Whether (<paramref name="vni"/>, <paramref name="address"/>) is now an entry whose source is exported.</summary>
    public bool IsExported(uint vni, VtepAddress address) =>
        _vnis.TryGetValue(vni, out var state) && state.Members.TryGetValue(address, out var entry)
        && entry.Class >= 0 && IsExportedSource((EntrySource)entry.Class);

    /// <summary>Moves the (VNI, address) pairs whose exported state may have changed since the last call into <paramref name="into"/>.</summary>
    public void TakeExportChanges(List<(uint Vni, VtepAddress Address)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (_exportChanges is null) return;
        into.AddRange(_exportChanges);
        _exportChanges.Clear();
    }

    /// <summary>Adds every exported entry to <paramref name="into"/> (once, when an exporter starts; it costs the whole table).</summary>
    public void CollectExported(List<(uint Vni, VtepAddress Address)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var state in _vnis.Values)
        {
            foreach (var (address, entry) in state.Members)
            {
                if (entry.Class >= 0 && IsExportedSource((EntrySource)entry.Class)) into.Add((state.Vni, address));
            }
        }
    }

    private void NoteExportChange(uint vni, VtepAddress address, int before, int after)
    {
        if (_exportChanges is null) return;
        bool was = before >= 0 && IsExportedSource((EntrySource)before);
        bool now = after >= 0 && IsExportedSource((EntrySource)after);
        if (was != now) _exportChanges.Add((vni, address));
    }
}
