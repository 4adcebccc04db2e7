using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// Tells next-hop trackers that the registry published new members (a singleton <see cref="IMembershipListener"/>,
/// so the registry need not know the data plane's trackers, which come and go with it). Called on the control
/// loop; only sets the trackers' wake-up, never blocks. The trackers read the <see cref="MemberTable"/> themselves.
/// </summary>
internal sealed class NextHopMembershipRelay : IMembershipListener
{
    private readonly Lock _gate = new();
    private Action[] _subscribers = [];

    public void OnMembershipChanged(Registry.Registry registry, IReadOnlyList<uint> vnis)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber();
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> after each membership change until the result is disposed.</summary>
    public IDisposable Subscribe(Action onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_gate) _subscribers = [.. _subscribers, onChanged];
        return new Subscription(this, onChanged);
    }

    private void Unsubscribe(Action onChanged)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => s != onChanged)];
    }

    private sealed class Subscription(NextHopMembershipRelay relay, Action onChanged) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) relay.Unsubscribe(onChanged);
        }
    }
}
