namespace Replicator.ServiceNode.Addresses;

/// <summary>
/// The node's current <see cref="OwnAddressSet"/>, replaced whole through a volatile reference: the
/// data plane reads <see cref="Current"/> once per batch without a lock, the registry loop is told of
/// each new set through <see cref="Changed"/>. Fed by <see cref="OwnAddressTracker"/> (tests set it directly).
/// </summary>
internal sealed class OwnAddresses
{
    private volatile OwnAddressSet _current;

    public OwnAddresses(OwnAddressSet? initial = null) => _current = initial ?? OwnAddressSet.Empty;

    public OwnAddressSet Current => _current;

    /// <summary>Raised after <see cref="Current"/> changed, on the thread that changed it.</summary>
    public event Action<OwnAddressSet>? Changed;

    /// <summary>Publishes <paramref name="set"/> unless it equals the current one; true when it changed.</summary>
    public bool Update(OwnAddressSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (_current.SetEquals(set)) return false;
        _current = set;
        Changed?.Invoke(set);
        return true;
    }
}
