using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>
/// An <see cref="IBgpSpeaker"/> that records what the bridge asks of it: the exported set and every call, in order.
/// Called on the registry loop; tests on other threads read it through <see cref="Snapshot"/>.
/// </summary>
internal sealed class RecordingSpeaker(uint localAs = 65000) : IBgpSpeaker
{
    public List<EvpnMulticastRoute> Announced { get; } = [];

    public List<EvpnMulticastRouteKey> Withdrawn { get; } = [];

    /// <summary>The exported set as a speaker holds it: by key, the last announcement wins.</summary>
    public Dictionary<EvpnMulticastRouteKey, EvpnMulticastRoute> Exported { get; } = [];

    public uint LocalAs => localAs;

    public IReadOnlyList<BgpSessionStatus> Sessions => [];

    public void Announce(EvpnMulticastRoute route)
    {
        lock (Announced)
        {
            Announced.Add(route);
            Exported[route.Key] = route;
        }
    }

    public void Withdraw(EvpnMulticastRouteKey key)
    {
        lock (Announced)
        {
            Withdrawn.Add(key);
            Exported.Remove(key);
        }
    }

    /// <summary>Counts of announcements and withdrawals so far, taken under the lock.</summary>
    public (int Announced, int Withdrawn) Snapshot()
    {
        lock (Announced) return (Announced.Count, Withdrawn.Count);
    }

    public void Clear()
    {
        Announced.Clear();
        Withdrawn.Clear();
    }
}
