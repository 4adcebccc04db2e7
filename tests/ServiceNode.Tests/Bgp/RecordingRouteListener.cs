using System.Collections.Concurrent;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>Records what a session tells the EVPN bridge, as lines ("route 192.0.2.11 vni 100", "withdrawn 192.0.2.11", "eor", "established", "lost").</summary>
internal sealed class RecordingRouteListener : IBgpRouteListener
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public void OnSessionEstablished(BgpPeerId peer) => _events.Enqueue("established");
    public void OnSessionLost(BgpPeerId peer) => _events.Enqueue("lost");
    public void OnMulticastRoute(BgpPeerId peer, EvpnMulticastRoute route) => _events.Enqueue($"route {route.Key.OriginatingRouter} vni {route.Vni}");
    public void OnMulticastRouteWithdrawn(BgpPeerId peer, EvpnMulticastRouteKey key) => _events.Enqueue($"withdrawn {key.OriginatingRouter}");
    public void OnEndOfRib(BgpPeerId peer) => _events.Enqueue("eor");

    /// <summary>Waits (generously) until <paramref name="line"/> was recorded.</summary>
    public async Task WaitForAsync(string line)
    {
        DateTime deadline = DateTime.UtcNow + ScriptedBgpPeer.Deadline;
        while (!_events.Contains(line))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{line}' not seen; got: {string.Join(", ", _events)}");
            await Task.Delay(10);
        }
    }
}
