using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>An <see cref="IBgpSpeaker"/> that records what the bridge asks of it: the exported set and every call, in order.</summary>
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
        Announced.Add(route);
        Exported[route.Key] = route;
    }

    public void Withdraw(EvpnMulticastRouteKey key)
    {
        Withdrawn.Add(key);
        Exported.Remove(key);
    }

    public void Clear()
    {
        Announced.Clear();
        Withdrawn.Clear();
    }
}
